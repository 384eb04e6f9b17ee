/**
 * Stress marks on misaki phoneme strings: ˈ primary, ˌ secondary, placed before a vowel.
 * Levels follow misaki's convention: < -1 strip all, -1 demote, 0 / 0.5 / 1 give an
 * unstressed word a secondary stress, >= 1 promote secondary to primary, > 1 add a primary.
 */

export const PRIMARY_STRESS = 'ˈ';
export const SECONDARY_STRESS = 'ˌ';
const VOWELS = new Set('AIOQWYaiuæɑɒɔəɛɜɪʊʌᵻ');

export function hasVowel(phonemes: string): boolean {
  for (const symbol of phonemes) if (VOWELS.has(symbol)) return true;
  return false;
}

export function startsWithVowel(phonemes: string): boolean | null {
  for (const symbol of phonemes) {
    if (symbol === PRIMARY_STRESS || symbol === SECONDARY_STRESS) continue;
    return VOWELS.has(symbol);
  }
  return null;
}

/** Puts `mark` right before the first vowel (misaki's stress position). */
function addStressBeforeFirstVowel(phonemes: string, mark: string): string {
  const symbols = [...phonemes];
  const index = symbols.findIndex((symbol) => VOWELS.has(symbol));
  if (index < 0) return phonemes;
  symbols.splice(index, 0, mark);
  return symbols.join('');
}

export function applyStress(phonemes: string, level: number | undefined): string {
  if (level === undefined) return phonemes;
  const hasPrimary = phonemes.includes(PRIMARY_STRESS);
  const hasSecondary = phonemes.includes(SECONDARY_STRESS);
  if (level < -1) return phonemes.replaceAll(PRIMARY_STRESS, '').replaceAll(SECONDARY_STRESS, '');
  if (level === -1 || (level <= 0 && hasPrimary)) {
    return phonemes.replaceAll(SECONDARY_STRESS, '').replaceAll(PRIMARY_STRESS, SECONDARY_STRESS);
  }
  if (level >= 0 && level <= 1 && !hasPrimary && !hasSecondary)
    return addStressBeforeFirstVowel(phonemes, SECONDARY_STRESS);
  if (level >= 1 && !hasPrimary && hasSecondary) return phonemes.replaceAll(SECONDARY_STRESS, PRIMARY_STRESS);
  if (level > 1 && !hasPrimary && !hasSecondary) return addStressBeforeFirstVowel(phonemes, PRIMARY_STRESS);
  return phonemes;
}

/** Letter-by-letter spelling stress: all secondary, the last one primary ("FBI" ˌɛfbˌiˈI). */
export function spelledStress(phonemes: string): string {
  const demoted = applyStress(phonemes, 0);
  const last = demoted.lastIndexOf(SECONDARY_STRESS);
  return last < 0 ? demoted : `${demoted.slice(0, last)}${PRIMARY_STRESS}${demoted.slice(last + 1)}`;
}

/**
 * Joins the parts of a compound ("state-of-the-art") without spaces; when most parts carry
 * a primary stress, the lighter half is demoted so the compound keeps one main beat.
 */
export function joinCompound(parts: readonly string[]): string {
  const weighted = parts.map((phonemes, index) => ({
    index,
    primary: phonemes.includes(PRIMARY_STRESS) ? 1 : 0,
    weight: [...phonemes].reduce((sum, s) => sum + ('AIOQWYʤʧ'.includes(s) ? 2 : 1), 0),
  }));
  const stressed = weighted.reduce((sum, part) => sum + part.primary, 0);
  const result = [...parts];
  if (parts.length >= 2 && stressed > Math.floor((parts.length + 1) / 2)) {
    const lightest = [...weighted].sort(
      (a, b) => a.primary - b.primary || a.weight - b.weight || a.index - b.index,
    );
    for (const part of lightest.slice(0, Math.floor(parts.length / 2))) {
      result[part.index] = applyStress(result[part.index] ?? '', -0.5);
    }
  }
  return result.join('');
}
