/**
 * Builds public/lexicons/{us,gb}_{gold,silver}.json.gz from shared/misaki-lexicons (compact
 * JSON, gzip level 9) plus the misaki NOTICE. The outputs are committed so a fresh clone
 * serves them without ../shared. Run: npx tsx scripts/build-lexicons.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIR = join(process.env.TIMBRE_SHARED ?? resolve(REPO_ROOT, '../shared'), 'misaki-lexicons');
const OUT_DIR = join(REPO_ROOT, 'public', 'lexicons');
/** Repository rule: no committed file of 3 MB or more. */
const MAX_OUTPUT_BYTES = 3 * 1024 * 1024;

mkdirSync(OUT_DIR, { recursive: true });
for (const dialect of ['us', 'gb'] as const) {
  for (const grade of ['gold', 'silver'] as const) {
    const name = `${dialect}_${grade}.json`;
    const data: unknown = JSON.parse(readFileSync(join(SOURCE_DIR, name), 'utf8'));
    const compact = JSON.stringify(data);
    // mtime 0 in the gzip header is the default for gzipSync, so rebuilding gives identical bytes.
    const gz = gzipSync(Buffer.from(compact, 'utf8'), { level: constants.Z_BEST_COMPRESSION });
    if (gz.length >= MAX_OUTPUT_BYTES)
      throw new Error(`${name}.gz is ${gz.length} bytes, over the commit limit`);
    writeFileSync(join(OUT_DIR, `${name}.gz`), gz);
    console.log(
      `${name}.gz: ${Object.keys(data as object).length} words, ${compact.length} -> ${gz.length} bytes`,
    );
  }
}
// Copy the text, not the file: the shared source is read-only and its mode must not follow.
writeFileSync(join(OUT_DIR, 'NOTICE.md'), readFileSync(join(SOURCE_DIR, 'NOTICE.md')));
console.log(`wrote ${OUT_DIR}`);
