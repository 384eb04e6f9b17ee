/**
 * Where model files may come from, as pure string logic (the engine has no `URL` class and no
 * `fetch`; the worker-side store does the network part).
 *
 * - default source: the app's own `/models/` folder first (self-hosted, works offline and behind
 *   firewalls), then the model hub URL written in the manifest;
 * - custom source: one base URL (a folder holding manifest.json and the files), nothing else.
 */
import type { ModelFile } from './manifest';

export type ModelSource = { kind: 'default'; selfHostBase: string } | { kind: 'custom'; base: string };

/** The folder Vite serves `public/models/` from. */
export const DEFAULT_SELF_HOST_BASE = '/models/';
export const MANIFEST_FILE_NAME = 'manifest.json';
/** Where the repository keeps self-hosted files (for messages that tell the user what to do). */
export const SELF_HOST_REPO_DIR = 'public/models/';

export type CandidateOrigin = 'self-hosted' | 'hub' | 'custom';

export interface CandidateUrl {
  url: string;
  origin: CandidateOrigin;
}

/** The source for a `modelBase` option: undefined or empty = default (self-hosted, then the hub). */
export function sourceFromBase(base?: string, selfHostBase = DEFAULT_SELF_HOST_BASE): ModelSource {
  const trimmed = base?.trim();
  return trimmed ? { kind: 'custom', base: withTrailingSlash(trimmed) } : { kind: 'default', selfHostBase };
}

/** A short human description of a source, for status lines (`self-hosted, then the hub`). */
export function describeSource(source: ModelSource): string {
  return source.kind === 'default' ? `${source.selfHostBase} (self-hosted), then the model hub` : source.base;
}

/**
 * A manifest path must stay inside its base: relative, `/`-separated, no `.`/`..` segments,
 * no scheme, no query. The same path names a file under public/models/ for models:fetch.
 */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.startsWith('/') || path.includes('\\') || /[?#:]/.test(path)) return false;
  return path.split('/').every((segment) => segment.length > 0 && segment !== '.' && segment !== '..');
}

function withTrailingSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

/**
 * `base` + `path`, the result `new URL(path, base)` gives for a folder base. A base without a
 * trailing slash is treated as a folder too (a user typing `https://host/models` means the folder).
 */
export function joinUrl(base: string, path: string): string {
  if (!isSafeRelativePath(path))
    throw new Error(`Unsafe model path "${path}": it must be relative, without "..".`);
  return withTrailingSlash(base) + path;
}

/** The URLs to try for one file, best first. */
export function candidateUrls(file: ModelFile, source: ModelSource): CandidateUrl[] {
  if (source.kind === 'custom') return [{ url: joinUrl(source.base, file.path), origin: 'custom' }];
  return [
    { url: joinUrl(source.selfHostBase, file.path), origin: 'self-hosted' },
    { url: file.url, origin: 'hub' },
  ];
}

export function manifestUrl(source: ModelSource): string {
  return joinUrl(source.kind === 'custom' ? source.base : source.selfHostBase, MANIFEST_FILE_NAME);
}

function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** What the user can do to make a missing file available (used in error messages). */
export function selfHostHint(path: string, source: ModelSource): string {
  if (source.kind === 'custom') return `put ${fileName(path)} at ${joinUrl(source.base, path)}`;
  return `run \`npm run models:fetch\` or put ${fileName(path)} at ${SELF_HOST_REPO_DIR}${path}`;
}
