/** The voice picker's groups: language then gender, English first, best grade then name within a group. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ModelManifest, VoiceEntry } from '../../engine/models/manifest';
import { gradeRank, groupVoices } from './voices';

const voice = (
  id: string,
  name: string,
  language: VoiceEntry['language'],
  gender: VoiceEntry['gender'],
  grade?: string,
): VoiceEntry => ({
  id,
  name,
  language,
  gender,
  ...(grade ? { grade } : {}),
  file: { path: `voices/${id}.bin`, url: `https://example.invalid/${id}.bin`, bytes: 522_240 },
});

describe('groupVoices', () => {
  it('puts English first, female before male, and sorts by grade then name', () => {
    const groups = groupVoices([
      voice('ff_siwis', 'Siwis', 'fr', 'female', 'B-'),
      voice('am_puck', 'Puck', 'en-us', 'male', 'C+'),
      voice('af_sky', 'Sky', 'en-us', 'female', 'C-'),
      voice('af_bella', 'Bella', 'en-us', 'female', 'A-'),
      voice('af_alloy', 'Alloy', 'en-us', 'female', 'C'),
      voice('af_aoede', 'Aoede', 'en-us', 'female', 'C+'),
      voice('af_nova', 'Nova', 'en-us', 'female', 'C'),
      voice('am_echo', 'Echo', 'en-us', 'male'),
      voice('bf_emma', 'Emma', 'en-gb', 'female', 'B-'),
    ]);
    expect(groups.map((g) => g.label)).toEqual([
      'American English · Female',
      'American English · Male',
      'British English · Female',
      'French · Female',
    ]);
    expect(groups[0]!.voices.map((v) => v.name)).toEqual(['Bella', 'Aoede', 'Alloy', 'Nova', 'Sky']);
    // A voice without a grade comes after every graded one.
    expect(groups[1]!.voices.map((v) => v.name)).toEqual(['Puck', 'Echo']);
    expect(gradeRank(undefined)).toBeGreaterThan(gradeRank('F-'));
  });

  it('keeps every voice of the real manifest, each once', () => {
    const manifest = JSON.parse(readFileSync('public/models/manifest.json', 'utf8')) as ModelManifest;
    const grouped = groupVoices(manifest.voices).flatMap((g) => g.voices.map((v) => v.id));
    expect(grouped).toHaveLength(manifest.voices.length);
    expect(new Set(grouped)).toEqual(new Set(manifest.voices.map((v) => v.id)));
    expect(grouped[0]).toBe('af_heart'); // the only A grade among American women
  });
});
