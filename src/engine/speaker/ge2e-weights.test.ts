/**
 * What the GE2E weight reader refuses, with the message a user sees: anything that is not
 * Resemblyzer's checkpoint, a checkpoint with a tensor of the wrong shape, and pickles that
 * would set an object's state. (The real pretrained.pt is read in ge2e.real.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { float32ToLittleEndian } from '../voices/formats/numeric';
import { readRestrictedPickle } from '../voices/formats/pickle';
import { tensorPickle, writePt } from '../voices/formats/pt';
import { writeZip } from '../voices/formats/zip';
import { Ge2eWeightsError, readGe2eWeights } from './ge2e';

const ascii = (text: string) => [...new TextEncoder().encode(text)];
const shortUnicode = (text: string) => [0x8c, ascii(text).length, ...ascii(text)];

/** torch.save({'model_state': {key: tensor}}) in the zip format, the tensor as tensorPickle describes it. */
function checkpointWith(key: string, size: number[]): Uint8Array {
  const numel = size.reduce((a, b) => a * b, 1);
  const stride = size.map((_, i) => size.slice(i + 1).reduce((a, b) => a * b, 1));
  const tensor = tensorPickle({ storageNumel: numel, size, stride });
  const body = [...tensor.subarray(2, tensor.length - 1)]; // without PROTO and STOP
  const pickle = new Uint8Array([
    0x80,
    2,
    0x7d,
    ...shortUnicode('model_state'),
    0x7d,
    ...shortUnicode(key),
    ...body,
    0x73,
    0x73,
    0x2e,
  ]);
  return writeZip(
    [
      { name: 'ckpt/data.pkl', data: pickle },
      { name: 'ckpt/data/0', data: float32ToLittleEndian(new Float32Array(numel)) },
    ],
    'torch',
  );
}

function refusal(bytes: Uint8Array): string {
  try {
    readGe2eWeights('pretrained.pt', bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(Ge2eWeightsError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('readGe2eWeights refuses what is not the encoder', () => {
  it('a tensor of the wrong shape, naming it and the shape expected', () => {
    expect(refusal(checkpointWith('lstm.weight_ih_l0', [512, 40]))).toContain(
      '"lstm.weight_ih_l0" has shape [512, 40], expected [1024, 40]',
    );
  });

  it('a checkpoint without the LSTM', () => {
    expect(refusal(checkpointWith('linear.weight', [256, 256]))).toContain(
      'has no tensor "lstm.weight_ih_l0"',
    );
  });

  it('a voice pack saved as .pt', () => {
    const message = refusal(writePt({ name: 'af_heart', data: new Float32Array(510 * 256) }));
    expect(message).toMatch(/no model state|has no tensor/);
  });

  it('bytes that are no PyTorch file at all', () => {
    expect(refusal(Uint8Array.from({ length: 4096 }, (_, i) => (i * 31) % 251))).toContain(
      "is not Resemblyzer's encoder checkpoint",
    );
  });
});

describe('hostile checkpoints end quickly with a message', () => {
  it('a legacy file whose object is a list that contains itself (memo) is walked once', () => {
    const magic = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
    const legacy = new Uint8Array([
      ...[0x80, 2, 0x8a, 10, ...magic, 0x2e], // magic number
      ...[0x80, 2, 0x4d, 0xe9, 0x03, 0x2e], // protocol 1001
      ...[0x80, 2, 0x7d, 0x2e], // system info {}
      ...[0x80, 2, 0x5d, 0x71, 0, 0x28, 0x68, 0, 0x68, 0, 0x65, 0x2e], // l = []; l += [l, l]
      ...[0x80, 2, 0x5d, 0x2e], // no storages
    ]);
    const started = performance.now();
    expect(refusal(legacy)).toContain('holds no model state');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('a float where a tensor offset belongs is refused, not read', () => {
    const tensor = [...tensorPickle({ storageNumel: 4, size: [4], stride: [1] })];
    // BININT1 0 (the storage offset, right after BINPERSID) becomes BINFLOAT NaN.
    const at = tensor.indexOf(0x51) + 1;
    expect(tensor.slice(at, at + 2)).toEqual([0x4b, 0]);
    tensor.splice(at, 2, 0x47, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0);
    const body = tensor.slice(2, tensor.length - 1);
    const pickle = new Uint8Array([0x80, 2, 0x7d, ...shortUnicode('lstm.weight_ih_l0'), ...body, 0x73, 0x2e]);
    const zip = writeZip(
      [
        { name: 'ckpt/data.pkl', data: pickle },
        { name: 'ckpt/data/0', data: new Uint8Array(16) },
      ],
      'torch',
    );
    expect(refusal(zip)).toMatch(/damaged: unexpected arguments to _rebuild_tensor_v2/);
  });
});

describe('the checkpoint mode of the pickle reader stays restricted', () => {
  it('refuses BUILD on anything but a dict, and BUILD and floats outside checkpoint mode', () => {
    const buildOnList = new Uint8Array([0x80, 2, 0x5d, 0x7d, 0x62, 0x2e]); // [] .__setstate__({})
    expect(() => readRestrictedPickle('x.pt', buildOnList, 0, { checkpoint: true })).toThrow(
      /sets the state of an object that is not a dict/,
    );
    const buildOnDict = new Uint8Array([0x80, 2, 0x7d, 0x7d, 0x62, 0x2e]);
    expect(readRestrictedPickle('x.pt', buildOnDict, 0, { checkpoint: true }).value).toEqual(new Map());
    expect(() => readRestrictedPickle('x.pt', buildOnDict)).toThrow(/opcode BUILD/);
    const float = new Uint8Array([0x80, 2, 0x47, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0x2e]); // 1.5
    expect(readRestrictedPickle('x.pt', float, 0, { checkpoint: true }).value).toBe(1.5);
    expect(() => readRestrictedPickle('x.pt', float)).toThrow(/opcode BINFLOAT/);
  });
});
