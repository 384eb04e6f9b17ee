/**
 * Word error rate: (substitutions + deletions + insertions) / reference words, by Levenshtein
 * alignment over words. Both texts are normalised first: lower case, digits kept, every other
 * character but letters and apostrophes a word break, so "Well," and "well" match. Used by
 * the intelligibility checks (an ASR's transcript against the text spoken) and by cloning's
 * transcript check (a transcript that does not match the clip).
 */

/** Lower-case words: letters, digits and inner apostrophes; everything else separates. */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .split(/[^\p{L}\p{N}']+/u)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w.length > 0);
}

export interface WordErrors {
  substitutions: number;
  deletions: number;
  insertions: number;
  referenceWords: number;
  /** (S + D + I) / N; 0 for two empty texts, 1 per inserted word when the reference is empty. */
  rate: number;
}

/** Word errors of `hypothesis` against `reference` (a minimum edit alignment). */
export function wordErrors(reference: string, hypothesis: string): WordErrors {
  const ref = wordsOf(reference);
  const hyp = wordsOf(hypothesis);
  const n = ref.length;
  const m = hyp.length;
  // cost[i][j]: edits turning ref[0..i) into hyp[0..j); op tracks which edit got there.
  const cost = new Uint32Array((n + 1) * (m + 1));
  const op = new Uint8Array((n + 1) * (m + 1)); // 0 match, 1 sub, 2 del, 3 ins
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = 1; i <= n; i++) {
    cost[at(i, 0)] = i;
    op[at(i, 0)] = 2;
  }
  for (let j = 1; j <= m; j++) {
    cost[at(0, j)] = j;
    op[at(0, j)] = 3;
  }
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const same = ref[i - 1] === hyp[j - 1];
      const diagonal = (cost[at(i - 1, j - 1)] as number) + (same ? 0 : 1);
      const deletion = (cost[at(i - 1, j)] as number) + 1;
      const insertion = (cost[at(i, j - 1)] as number) + 1;
      let best = diagonal;
      let how = same ? 0 : 1;
      if (deletion < best) {
        best = deletion;
        how = 2;
      }
      if (insertion < best) {
        best = insertion;
        how = 3;
      }
      cost[at(i, j)] = best;
      op[at(i, j)] = how;
    }
  }
  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  for (let i = n, j = m; i > 0 || j > 0;) {
    const how = op[at(i, j)] as number;
    if (how === 0 || how === 1) {
      if (how === 1) substitutions++;
      i--;
      j--;
    } else if (how === 2) {
      deletions++;
      i--;
    } else {
      insertions++;
      j--;
    }
  }
  const errors = substitutions + deletions + insertions;
  return {
    substitutions,
    deletions,
    insertions,
    referenceWords: n,
    rate: n === 0 ? errors : errors / n,
  };
}

/** The corpus word error rate: all errors over all reference words (not a mean of per-sentence rates). */
export function corpusWordErrorRate(pairs: readonly { reference: string; hypothesis: string }[]): number {
  let errors = 0;
  let words = 0;
  for (const { reference, hypothesis } of pairs) {
    const e = wordErrors(reference, hypothesis);
    errors += e.substitutions + e.deletions + e.insertions;
    words += e.referenceWords;
  }
  return words === 0 ? 0 : errors / words;
}
