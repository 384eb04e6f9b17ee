/**
 * Our text frontend against misaki 0.9.4, the G2P of Kokoro's official pipeline
 * (golden/g2p-misaki.json, written by scripts/golden/g2p_misaki.py from golden/g2p-corpus.json):
 * the share of sentences whose Kokoro token ids are identical, printed with the differences.
 * Sentences where we read as a person would and misaki does not (golden/g2p-intended.json:
 * ordinal dates, clock times, British "and", expanded abbreviations) are outside the share,
 * and must keep exactly the reading recorded there.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createBenchFrontend, createDiskLexiconLoader } from '../../test-support/text-frontend';
import type { TextFrontend } from './index';
import golden from './golden/g2p-misaki.json';
import intended from './golden/g2p-intended.json';
import { phonemesToTokenIds } from './vocab';

const SPACE_ID = phonemesToTokenIds(' ')[0]!;

/** Issue 10's bar: sentences whose token ids equal misaki's, outside the intended differences. */
const MIN_SHARE = 0.95;

let frontend: TextFrontend;
beforeAll(async () => {
  frontend = await createBenchFrontend(createDiskLexiconLoader());
  await frontend.preload('en-gb');
}, 120_000);

describe('G2P parity with misaki', () => {
  it('prints the share of sentences with identical token ids', async () => {
    const intendedByKey = new Map(intended.sentences.map((s) => [`${s.dialect} ${s.text}`, s]));
    let same = 0;
    let counted = 0;
    const differences: string[] = [];
    const drifted: string[] = [];
    for (const item of golden.sentences) {
      const prepared = await frontend.prepare(item.text, item.dialect as 'en-us' | 'en-gb', {
        chunking: 'sentence',
      });
      const phonemes = prepared.chunks.map((c) => c.phonemes).join(' ');
      const exception = intendedByKey.get(`${item.dialect} ${item.text}`);
      if (exception) {
        if (phonemes !== exception.ours)
          drifted.push(
            `${item.dialect} ${item.text}\n    recorded ${exception.ours}\n    now      ${phonemes}`,
          );
        continue;
      }
      counted++;
      // Chunks are sentences; misaki phonemized the item as one string, with a space between them.
      const ours = prepared.chunks.flatMap((c, i) => (i === 0 ? [...c.tokenIds] : [SPACE_ID, ...c.tokenIds]));
      if (ours.length === item.ids.length && ours.every((id, i) => id === item.ids[i])) same++;
      else
        differences.push(`${item.dialect} ${item.text}\n    misaki ${item.phonemes}\n    ours   ${phonemes}`);
    }
    const share = same / counted;
    console.log(
      `G2P parity with misaki: ${same}/${counted} sentences identical (${(share * 100).toFixed(1)} %); ` +
        `${golden.sentences.length - counted} intended differences (${Object.keys(intended.kinds).join(', ')}) outside the share`,
    );
    console.log(differences.join('\n'));
    expect(golden.sentences.length).toBeGreaterThanOrEqual(300);
    // Every intended difference is a sentence of the corpus, and reads exactly as reviewed.
    expect(
      intended.sentences.every((s) =>
        golden.sentences.some((g) => g.text === s.text && g.dialect === s.dialect),
      ),
    ).toBe(true);
    expect(drifted, drifted.join('\n')).toEqual([]);
    expect(share).toBeGreaterThanOrEqual(MIN_SHARE);
  }, 300_000);
});
