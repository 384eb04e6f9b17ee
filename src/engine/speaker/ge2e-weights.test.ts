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
