import { describe, expect, it } from 'vitest';
import { confirmText, emptyOrUnknownReason, holdsText } from './storage-text';

describe('storage panel words', () => {
  const HOLDS: { counts: Record<string, number>; target: string }[] = [
    { counts: { voices: 2, directions: 1 }, target: '2 voices · 1 direction' },
    { counts: { voices: 1, directions: 0 }, target: '1 voice' },
    { counts: { targets: 1, clips: 3, analyses: 6 }, target: '1 target voice · 3 clips · 6 clip analyses' },
    { counts: { measurements: 12_345 }, target: '12,345 measurements' },
    { counts: { files: 0 }, target: 'Empty' },
  ];
  it.each(HOLDS)('$counts -> $target', ({ counts, target }) => {
    expect(holdsText({ counts, bytes: 1 })).toBe(target);
  });

  it('asks with what goes and how big it is', () => {
    expect(confirmText('voices', { counts: { voices: 2, directions: 1 }, bytes: 1_045_000 })).toBe(
      'Delete 2 voices and 1 direction (1.0 MB)? This cannot be undone: download the voices you want to keep first.',
    );
    expect(confirmText('measurements', { counts: { measurements: 3 }, bytes: 3_300 })).toContain(
      'Delete 3 measurements (3.3 kB)? Nothing you made is lost',
    );
  });

  it('refuses to clear what is still being measured or holds nothing', () => {
    expect(emptyOrUnknownReason(undefined)).toBe('Still measuring.');
    expect(emptyOrUnknownReason({ counts: { searches: 0 }, bytes: 0 })).toBe('Nothing to clear.');
    expect(emptyOrUnknownReason({ counts: { searches: 1 }, bytes: 10 })).toBeUndefined();
  });
});
