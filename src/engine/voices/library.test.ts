import { describe, expect, it } from 'vitest';
import {
  matchesVoiceFilter,
  parseTags,
  uniqueVoiceName,
  voiceNameProblem,
  type FilterableVoice,
  type VoiceFilter,
} from './library';

const TAKEN = ['af_bella', 'af_bella_2', 'My blend', 'Warm'];

const NAME_CASES: { name: string; problem: RegExp | undefined }[] = [
  { name: 'Bright narrator', problem: undefined },
  { name: 'af_new', problem: undefined },
  { name: '', problem: /needs a name/ },
  { name: '   ', problem: /needs a name/ },
  { name: ' padded', problem: /spaces/ },
  { name: 'x'.repeat(61), problem: /at most 60/ },
  { name: 'tab\there', problem: /control characters/ },
  { name: 'AF_BELLA', problem: /already a voice called “af_bella”/ },
  { name: 'my blend', problem: /already/ },
];

describe('voiceNameProblem', () => {
  it.each(NAME_CASES)('"$name"', ({ name, problem }) => {
    const found = voiceNameProblem(name, TAKEN);
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });
});

const UNIQUE_CASES = [
  { wanted: 'af_sky', expected: 'af_sky' },
  { wanted: 'af_bella', expected: 'af_bella_3' },
  { wanted: 'My blend', expected: 'My blend 2' },
  { wanted: 'warm', expected: 'warm_2' },
  { wanted: '  ', expected: 'voice' },
];

describe('uniqueVoiceName', () => {
  it.each(UNIQUE_CASES)('$wanted -> $expected', ({ wanted, expected }) => {
    const name = uniqueVoiceName(wanted, TAKEN);
    expect(name).toBe(expected);
    expect(voiceNameProblem(name, TAKEN)).toBeUndefined();
  });
});

describe('parseTags', () => {
  const CASES = [
    { text: 'warm, Narrator ,warm,, deep', tags: ['warm', 'narrator', 'deep'] },
    { text: '', tags: [] },
    { text: 'a'.repeat(30), tags: ['a'.repeat(24)] },
    {
      text: Array.from({ length: 20 }, (_, i) => `t${i}`).join(','),
      tags: Array.from({ length: 12 }, (_, i) => `t${i}`),
    },
  ];
  it.each(CASES)('$text', ({ text, tags }) => expect(parseTags(text)).toEqual(tags));
});

describe('matchesVoiceFilter', () => {
  const VOICES: FilterableVoice[] = [
    { name: 'Bella', id: 'af_bella', tags: [], kind: 'stock' },
    { name: 'Warm narrator', tags: ['warm', 'narration'], kind: 'blend' },
    { name: 'Grandpa', tags: ['deep'], kind: 'import' },
  ];
  const ANY: VoiceFilter = { text: '', tag: '', kind: 'all' };
  const CASES: { filter: VoiceFilter; names: string[] }[] = [
    { filter: ANY, names: ['Bella', 'Warm narrator', 'Grandpa'] },
    { filter: { ...ANY, text: 'AF_B' }, names: ['Bella'] },
    { filter: { ...ANY, text: 'narr warm' }, names: ['Warm narrator'] },
    { filter: { ...ANY, text: 'deep' }, names: ['Grandpa'] },
    { filter: { ...ANY, tag: 'warm' }, names: ['Warm narrator'] },
    { filter: { ...ANY, kind: 'stock' }, names: ['Bella'] },
    { filter: { ...ANY, kind: 'clone' }, names: [] },
    { filter: { text: 'bella', tag: '', kind: 'blend' }, names: [] },
  ];
  it.each(CASES)('%o', ({ filter, names }) => {
    expect(VOICES.filter((v) => matchesVoiceFilter(v, filter)).map((v) => v.name)).toEqual(names);
  });
});
