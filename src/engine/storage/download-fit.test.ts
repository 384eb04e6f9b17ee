import { describe, expect, it } from 'vitest';
import { availableBytes, checkDownloadFits, type StorageEstimateLike } from './download-fit';

const MB = 1_000_000;
const GB = 1_000 * MB;

describe('availableBytes', () => {
  const TESTS: { estimate: StorageEstimateLike | undefined; target: number | undefined }[] = [
    { estimate: { usage: 10 * MB, quota: 50 * MB }, target: 40 * MB },
    { estimate: { usage: 60 * MB, quota: 50 * MB }, target: 0 }, // over quota: nothing left, not negative
    { estimate: { quota: 50 * MB }, target: 50 * MB }, // usage unknown: counted as none
    { estimate: { usage: 10 * MB }, target: undefined }, // no quota: nothing to check against
    { estimate: { usage: 0, quota: Number.NaN }, target: undefined },
    { estimate: { usage: 0, quota: -1 }, target: undefined },
    { estimate: {}, target: undefined },
    { estimate: undefined, target: undefined },
  ];
  it.each(TESTS)('$estimate -> $target', ({ estimate, target }) => {
    expect(availableBytes(estimate)).toBe(target);
  });
});

describe('checkDownloadFits', () => {
  it('says nothing when the download fits, exactly or with room', () => {
    expect(checkDownloadFits(40 * MB, { usage: 10 * MB, quota: 50 * MB })).toBeUndefined();
    expect(checkDownloadFits(39 * MB, { usage: 10 * MB, quota: 50 * MB })).toBeUndefined();
    expect(checkDownloadFits(0, { usage: 50 * MB, quota: 50 * MB })).toBeUndefined();
  });

  it('lets the download go when the browser gives no quota', () => {
    expect(checkDownloadFits(326 * MB, undefined)).toBeUndefined();
    expect(checkDownloadFits(326 * MB, { usage: 5 * MB })).toBeUndefined();
  });

  it('refuses with the numbers, what to do, and that nothing was lost', () => {
    const message = checkDownloadFits(92_361_271, { usage: 1.2 * GB, quota: 1.24 * GB }, 'Kokoro int8');
    expect(message).toBe(
      'Kokoro int8 needs 92.4 MB but the browser allows only 40.0 MB more for this site ' +
        '(it already keeps 1.20 GB of the 1.24 GB it allows). Nothing was downloaded and nothing already ' +
        'stored was removed. To make room, clear what you no longer need in Models & settings, or free ' +
        'disk space on this device, then try again.',
    );
  });

  const REFUSALS: { need: number; estimate: StorageEstimateLike; contains: string }[] = [
    // Nothing left at all.
    { need: 19_293, estimate: { usage: 60_000, quota: 50_000 }, contains: 'allows no more room' },
    // Sizes that round to the same text are shown to the byte.
    {
      need: 92_410_000,
      estimate: { usage: 0, quota: 92_400_000 },
      contains: 'needs 92,410,000 bytes but the browser allows only 92,400,000 bytes more',
    },
    // The default subject.
    { need: 2 * MB, estimate: { usage: 0, quota: MB }, contains: 'This download needs 2.0 MB' },
  ];
  it.each(REFUSALS)('$need bytes against $estimate: "$contains"', ({ need, estimate, contains }) => {
    expect(checkDownloadFits(need, estimate)).toContain(contains);
  });
});
