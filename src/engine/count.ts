/**
 * Counts for people: 522,240 (thousands grouped by commas, as en-US writes them), without Intl.
 * The first `toLocaleString` of a page builds ICU's number formatter: 13-31 ms of main thread
 * in Chromium on the 2-core bench machine (three fresh browsers), spent in the studio's first
 * script and first render, where every millisecond is part of a long task. The studio speaks
 * English, so its numbers follow en-US everywhere.
 */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const sign = value < 0 ? '-' : '';
  // At most three decimals, rounded, as Intl's default. Integers are taken as they are: scaling
  // one past 2^53 / 1000 by 1000 would lose its last digits.
  const magnitude = Math.abs(value);
  const [whole = '', fraction] = String(
    Number.isInteger(magnitude) ? magnitude : Math.round(magnitude * 1000) / 1000,
  ).split('.');
  // String() writes 1e21 and above in exponent form; Intl would spell them out: rare enough
  // here (byte counts, characters) to leave as String() has them.
  if (whole.includes('e')) return String(value);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}
