import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, sharedPath } from '../../test-support/shared';
import { createLexiconLoader, isGzip, lexiconFileName, lexiconPath, parseLexicon } from './lexicon-assets';

const COMMIT_LIMIT_BYTES = 3 * 1024 * 1024;
const FILES = [
  ['us', 'gold'],
  ['us', 'silver'],
  ['gb', 'gold'],
  ['gb', 'silver'],
] as const;

describe('built lexicon assets (public/lexicons)', () => {
  it.each(FILES)(
    '%s_%s.json.gz is gzip, under the commit limit, and holds the shared lexicon',
    (dialect, grade) => {
      const path = join(REPO_ROOT, 'public', lexiconPath(dialect, grade));
      expect(lexiconFileName(dialect, grade)).toBe(`${dialect}_${grade}.json.gz`);
      expect(statSync(path).size).toBeLessThan(COMMIT_LIMIT_BYTES);
      const bytes = new Uint8Array(readFileSync(path));
      expect(isGzip(bytes)).toBe(true);
      const built = parseLexicon(gunzipSync(bytes).toString('utf8'));
      const source = JSON.parse(
        readFileSync(sharedPath('misaki-lexicons', `${dialect}_${grade}.json`), 'utf8'),
      );
      expect(built).toEqual(source);
    },
  );

  it('ships the misaki notice beside them', () => {
    expect(readFileSync(join(REPO_ROOT, 'public', 'lexicons', 'NOTICE.md'), 'utf8')).toContain('Apache');
  });
});

describe('lexicon parsing and loading', () => {
  it('tells gzip bytes from plain JSON (a host may have inflated them already)', () => {
    expect(isGzip(new Uint8Array(gzipSync('{}')))).toBe(true);
    expect(isGzip(new TextEncoder().encode('{}'))).toBe(false);
  });

  const BAD = ['[]', '"word"', '{"hello": 3}', '{"read": {"DEFAULT": 1}}'];
  it.each(BAD)('rejects %s', (json) => expect(() => parseLexicon(json)).toThrow());

  it('reads each dialect once, gold and silver together', async () => {
    const reads: string[] = [];
    const loader = createLexiconLoader(async (dialect, grade) => {
      reads.push(`${dialect}/${grade}`);
      return grade === 'gold' ? '{"hello": "həlˈO"}' : '{"read": {"DEFAULT": "ɹˈid", "VBD": "ɹˈɛd"}}';
    });
    const [first, second] = await Promise.all([loader.load('us'), loader.load('us')]);
    expect(first).toBe(second);
    expect(first.gold.hello).toBe('həlˈO');
    expect(reads.sort()).toEqual(['us/gold', 'us/silver']);
  });

  it('lets a failed load be retried', async () => {
    let attempts = 0;
    const loader = createLexiconLoader(async () => {
      attempts += 1;
      if (attempts <= 2) throw new Error('offline');
      return '{}';
    });
    await expect(loader.load('gb')).rejects.toThrow('offline');
    await expect(loader.load('gb')).resolves.toEqual({ gold: {}, silver: {} });
  });
});
