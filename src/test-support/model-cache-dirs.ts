/**
 * Where `npm run models:real` keeps what it fetches outside git, shared by the script and the
 * tests and benchmarks that use it: the PyPI wheel cache (~/.cache/timbre/pypi, or
 * TIMBRE_PYPI_CACHE) and, beside it, the extracted ASR (…/timbre/asr/pocketsphinx-5.1.1).
 */
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The ASR package the intelligibility checks run (shared/docs/real-models.md). */
export const ASR_PACKAGE = { name: 'pocketsphinx', version: '5.1.1' } as const;

export function defaultCacheDir(): string {
  return (
    process.env.TIMBRE_PYPI_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'timbre', 'pypi')
  );
}

/** Where the ASR wheel is extracted: beside the wheel cache. */
export function asrDir(cacheDir: string = defaultCacheDir()): string {
  return join(dirname(resolve(cacheDir)), 'asr', `${ASR_PACKAGE.name}-${ASR_PACKAGE.version}`);
}
