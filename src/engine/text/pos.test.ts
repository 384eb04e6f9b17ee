import { beforeAll, describe, expect, it } from 'vitest';
import { createBenchFrontend, createDiskLexiconLoader } from '../../test-support/text-frontend';
import type { TextFrontend } from './index';
import { createPosTagger, parentTag, readingForTag } from './pos';

describe("misaki's tag rule", () => {
  it('takes the exact tag, then its parent, else nothing (DEFAULT)', () => {
    const read = { VBD: 'ɹˈɛd', VBN: 'ɹˈɛd', VBP: 'ɹˈɛd', ADJ: 'ɹˈɛd' };
    expect(readingForTag(read, 'VBD')).toBe('ɹˈɛd');
    expect(readingForTag(read, 'VB')).toBeUndefined(); // VERB is not a key: DEFAULT
    expect(readingForTag({ VERB: 'lˈɪv' }, 'VBP')).toBe('lˈɪv');
    expect(readingForTag({ NOUN: 'pɹˈOdˌus' }, 'NN')).toBe('pɹˈOdˌus');
    expect(readingForTag({ VERB: 'x' }, undefined)).toBeUndefined();
    expect(['VBZ', 'NNS', 'RBR', 'RP', 'JJS', 'DT'].map(parentTag)).toEqual([
      'VERB',
      'NOUN',
      'ADV',
      'ADV',
      'ADJ',
      'DT',
    ]);
  });
});

describe('the tagger', () => {
  const tagger = createPosTagger();
  it('gives Penn tags aligned to the words', () => {
    expect(tagger.tag(['They', 'live', 'here', 'now'])).toEqual(['PRP', 'VBP', 'RB', 'RB']);
    expect(tagger.tag(['We', 'saw', 'live', 'music'])[2]).toBe('JJ');
    expect(tagger.tag(['I', 'want', 'to', 'present', 'a', 'present'])[3]).toBe('VB');
    expect(tagger.tag(['She', 'has', 'read', 'it'])[2]).toBe('VBN');
    expect(tagger.tag(['The', 'dove', 'flew'])[1]).toBe('NN');
    expect(tagger.tag([])).toEqual([]);
  });
});

let frontend: TextFrontend;
beforeAll(async () => {
  frontend = await createBenchFrontend(createDiskLexiconLoader());
}, 120_000);

async function phonemes(text: string): Promise<string> {
  const prepared = await frontend.prepare(text, 'en-us');
  return prepared.chunks.map((c) => c.phonemes).join(' ');
}

describe('heteronyms read by their part of speech', () => {
  it.each([
    ['They live here now.', 'lˈɪv'],
    ['We heard live music.', 'lˈIv'],
    ['I want to present a present to you.', 'pɹizˈɛnt ɐ pɹˈɛzᵊnt'],
    ['The farm sells fresh produce.', 'pɹˈOdˌus'],
    ['They produce steel.', 'pɹədˈus'],
    ['He read the book yesterday.', 'ɹˈɛd'],
    ['I want to read it.', 'ɹˈid'],
    ['Please record the meeting.', 'ɹəkˈɔɹd'],
    ['The record was broken.', 'ɹˈɛkəɹd'],
    ['Close the door.', 'klˈOz'],
    ['A tear rolled down her cheek.', 'tˈɪɹ'],
    ["Don't tear the paper.", 'tˈɛɹ'],
  ])('%s -> %s', async (text, expected) => {
    expect(await phonemes(text)).toContain(expected);
  });
});
