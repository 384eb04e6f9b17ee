import { describe, expect, it } from 'vitest';
import {
  aliasBomb,
  declareSize,
  deflatedPt,
  manyEntryNpz,
  markBomb,
} from '../../../test-support/hostile-voice-files';
import { readStockVoice } from '../../../test-support/shared';
import { exportBundle, importVoiceFile, PACK_BYTES, VOICE_FILE_LIMITS, VoiceFileError } from './index';
import { readTorchCheckpoint } from './checkpoint';
import { writePt } from './pt';
import { readRestrictedPickle } from './pickle';
import { float32ToLittleEndian } from './numeric';
import { writeZip } from './zip';

const PROTO_2 = [0x80, 0x02];

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VoiceFileError);
    return (error as Error).message;
  }
  throw new Error('expected the file to be refused');
}

describe('voice files are refused at their caps, before the memory is allocated', () => {
  it('a MARK bomb deflated inside a .pt is refused by its compression ratio, without inflating', () => {
    const bomb = deflatedPt(markBomb(4 * 1024 * 1024), new Uint8Array(4));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(refusal(() => importVoiceFile('bomb.pt', bomb))).toMatch(
      /bomb\.pt: refused: bomb\/data\.pkl would expand \d+-fold .*zip bomb/,
    );
  });

  it('an entry declaring 200 MB is refused by its declared size', () => {
    const zip = deflatedPt(markBomb(64 * 1024));
    const lying = declareSize(zip, 'bomb/data.pkl', 200 * 1024 * 1024);
    expect(refusal(() => importVoiceFile('lying.pt', lying))).toMatch(
      /refused: bomb\/data\.pkl claims 209,715,200 bytes/,
    );
  });

  it('a stored data.pkl over the pickle cap is refused before it is run', () => {
    const big = writeZip(
      [
        { name: 'x/data.pkl', data: markBomb(VOICE_FILE_LIMITS.maxPickleBytes + 1) },
        { name: 'x/data/0', data: new Uint8Array(PACK_BYTES) },
      ],
      'torch',
    );
    expect(refusal(() => importVoiceFile('big.pt', big))).toMatch(
      /refused: its tensor description \(data\.pkl\)/,
    );
  });

  it('MARKs nested past the depth cap are refused (legacy files run the pickle straight from the file)', () => {
    expect(refusal(() => importVoiceFile('marks.pt', markBomb(100_000)))).toMatch(
      /refused: the tensor description \(pickle\) nests more than 64 levels deep/,
    );
  });

  it('a pickle running past the operation cap is refused', () => {
    const nones = new Uint8Array(VOICE_FILE_LIMITS.maxPickleOps + 10).fill(0x4e); // NONE, NONE, …
    nones.set(PROTO_2);
    expect(refusal(() => readRestrictedPickle('ops.pt', nones))).toMatch(/runs more than 200,000 operations/);
  });

  it('a pickle filling its memo past the cap is refused', () => {
    const memo = new Uint8Array(3 + VOICE_FILE_LIMITS.maxMemoEntries + 1).fill(0x94); // MEMOIZE
    memo.set([...PROTO_2, 0x4e]);
    expect(refusal(() => readRestrictedPickle('memo.pt', memo))).toMatch(/more than 100,000 memo entries/);
  });

  it('a dict of thousands of references to one tensor is refused by the tensor cap', () => {
    const pt = writeZip(
      [
        { name: 'a/data.pkl', data: aliasBomb(5000) },
        { name: 'a/data/0', data: new Uint8Array(PACK_BYTES) },
      ],
      'torch',
    );
    expect(refusal(() => importVoiceFile('alias.pt', pt))).toMatch(
      /refused: the file holds 5,000 entries; a voice file holds at most 256 voices/,
    );
  });

  it('references under the cap decode, and each storage is read once', () => {
    const heart = readStockVoice('af_heart');
    const pt = writeZip(
      [
        { name: 'a/data.pkl', data: aliasBomb(3) },
        { name: 'a/data/0', data: float32ToLittleEndian(heart) },
      ],
      'torch',
    );
    const packs = importVoiceFile('alias.pt', pt);
    expect(packs.map((pack) => pack.name)).toEqual(['v0', 'v1', 'v2']);
    expect(packs[2]?.data).toEqual(heart);
  });

  it('an .npz listing more entries than the cap is refused before any is read', () => {
    const many = manyEntryNpz(VOICE_FILE_LIMITS.maxZipEntries + 1);
    expect(refusal(() => importVoiceFile('many.npz', many))).toMatch(
      /refused: the archive lists 1,025 entries; a voice file has at most 1024/,
    );
  });

  it('the decoded-bytes budget counts every voice of a bundle', () => {
    const heart = readStockVoice('af_heart');
    const bundle = exportBundle(['a', 'b', 'c'].map((name) => ({ name, data: heart })));
    expect(importVoiceFile('three.npz', bundle)).toHaveLength(3);
    const tight = { ...VOICE_FILE_LIMITS, maxDecodedBytes: 2 * PACK_BYTES };
    expect(refusal(() => importVoiceFile('three.npz', bundle, tight))).toMatch(
      /refused: decoding tensor 3 would bring the file to 1\.5 MB, over the 1\.0 MB a voice file may decode to/,
    );
  });

  it('a checkpoint goes through the same caps (its own, larger ones)', () => {
    const pt = writePt({ name: 'heart', data: readStockVoice('af_heart') });
    const checkpoint = readTorchCheckpoint('heart.pt', pt);
    expect(checkpoint.root).toMatchObject({ kind: 'tensor' });
    expect(refusal(() => readTorchCheckpoint('marks.pt', markBomb(100_000)))).toMatch(
      /nests more than 64 levels/,
    );
  });
});
