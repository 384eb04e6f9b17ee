/**
 * npm run models:fetch -- [--kokoro q8,fp32|default|none] [--voices af_heart,am_adam|all|none]
 *                         [--encoder q8|default|none] [--voices-from DIR] [--out DIR]
 *
 * Puts the model files named in public/models/manifest.json under public/models/<path>, so the
 * studio loads them from its own origin (offline, no third-party requests). Each file is
 * written to a temporary name, checked (size and SHA-256) and only then renamed into place;
 * files already in place are verified instead of downloaded again.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync, rmSync } from 'node:fs';
import { chmod, copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatBytes } from '../src/engine/models/format';
import { parseManifestText } from '../src/engine/models/validate';
import {
  selectFiles,
  totalBytes,
  type FileSelection,
  type SelectedFile,
} from '../src/engine/models/variants';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MANIFEST_PATH = join(REPO_ROOT, 'public/models/manifest.json');
/** No answer (headers) within this time means the hub is unreachable, not slow. */
const CONNECT_TIMEOUT_MS = 15_000;
/** A body that sends nothing for this long is treated as a dropped connection. */
const STALL_TIMEOUT_MS = 60_000;
const PROGRESS_INTERVAL_MS = 250;
const MAX_LISTED_FILES = 6;

const USAGE = `Usage: npm run models:fetch -- [options]
  --kokoro LIST        Kokoro variants: ids (q8,fp32,fp16), "default" (the manifest defaults) or "none"  [default]
  --voices LIST        voice ids (af_heart,am_adam), "all" or "none"  [all]
  --encoder LIST       speaker encoder variants: ids (fp32,q8), "default" or "none"  [default]
  --voices-from DIR    copy voice .bin files from DIR instead of downloading them (e.g. ../shared/kokoro-voices)
  --out DIR            where to put the files  [public/models]`;

class UsageError extends Error {}

/** The temporary file being written, removed if the user interrupts (Ctrl-C). */
let pendingTempPath: string | undefined;
process.on('SIGINT', () => {
  if (pendingTempPath) rmSync(pendingTempPath, { force: true });
  console.error('\nmodels:fetch: interrupted; the partial file was removed.');
  process.exit(130);
});

/** Thrown when the hub cannot be reached at all: the message explains manual self-hosting. */
class OfflineError extends Error {}

function parseList(value: string, keyword: 'default' | 'all'): readonly string[] | 'default' | 'all' {
  if (value === keyword) return keyword;
  if (value === 'none') return [];
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new UsageError(`Empty list "${value}".`);
  return ids;
}

function parseCommandLine(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      kokoro: { type: 'string', default: 'default' },
      voices: { type: 'string', default: 'all' },
      encoder: { type: 'string', default: 'default' },
      'voices-from': { type: 'string' },
      out: { type: 'string', default: join(REPO_ROOT, 'public/models') },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const selection: FileSelection = {
    kokoro: parseList(values.kokoro, 'default') as FileSelection['kokoro'],
    voices: parseList(values.voices, 'all') as FileSelection['voices'],
    encoder: parseList(values.encoder, 'default') as FileSelection['encoder'],
  };
  const voicesFrom = values['voices-from'] ? resolve(values['voices-from']) : undefined;
  return { selection, voicesFrom, outDir: resolve(values.out), help: values.help };
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Why `path` is not a good copy of `file`, or undefined when it is. */
async function problemWith(path: string, file: SelectedFile): Promise<string | undefined> {
  const { size } = await stat(path);
  if (size !== file.bytes) return `size ${size} bytes, expected ${file.bytes}`;
  if (file.sha256) {
    const digest = await sha256OfFile(path);
    if (digest !== file.sha256) return `SHA-256 ${digest}, expected ${file.sha256}`;
  }
  return undefined;
}

/** Moves a checked temporary file into place, or deletes it and throws. */
async function commit(tempPath: string, destPath: string, file: SelectedFile, from: string): Promise<void> {
  const problem = await problemWith(tempPath, file);
  if (problem) {
    await rm(tempPath, { force: true });
    throw new Error(`${file.path} from ${from} is corrupt (${problem}); it was discarded.`);
  }
  await rename(tempPath, destPath);
}

function progressLine(file: SelectedFile, loaded: number, startedMs: number): string {
  const seconds = Math.max((Date.now() - startedMs) / 1000, 0.001);
  const percent = Math.floor((100 * loaded) / file.bytes);
  return `  ${file.path}  ${formatBytes(loaded)} / ${formatBytes(file.bytes)}  ${percent}%  ${formatBytes(loaded / seconds)}/s`;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  if (error.name === 'TimeoutError' || error.name === 'AbortError')
    return `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`;
  return cause?.message ?? cause?.code ?? error.message;
}

async function download(file: SelectedFile, destPath: string): Promise<void> {
  const connect = new AbortController();
  const connectTimer = setTimeout(() => connect.abort(), CONNECT_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(file.url, { signal: connect.signal, redirect: 'follow' });
  } catch (error) {
    throw new OfflineError(describeNetworkError(error));
  } finally {
    clearTimeout(connectTimer);
  }
  if (!response.ok || !response.body) throw new Error(`${file.url} answered HTTP ${response.status}.`);

  await mkdir(dirname(destPath), { recursive: true });
  const tempPath = `${destPath}.part-${process.pid}`;
  pendingTempPath = tempPath;
  const out = createWriteStream(tempPath);
  const startedMs = Date.now();
  let loaded = 0;
  let lastReportMs = 0;
  const interactive = process.stderr.isTTY === true;
  const reader = response.body.getReader();
  try {
    for (;;) {
      let stallTimer: NodeJS.Timeout | undefined;
      const stalled = new Promise<never>((_, reject) => {
        stallTimer = setTimeout(
          () => reject(new Error(`no data for ${STALL_TIMEOUT_MS / 1000} s`)),
          STALL_TIMEOUT_MS,
        );
      });
      const { done, value } = await Promise.race([reader.read(), stalled]).finally(() =>
        clearTimeout(stallTimer),
      );
      if (done) break;
      loaded += value.byteLength;
      if (!out.write(value)) await once(out, 'drain');
      if (interactive && Date.now() - lastReportMs >= PROGRESS_INTERVAL_MS) {
        lastReportMs = Date.now();
        process.stderr.write(`\r${progressLine(file, loaded, startedMs)}\u001b[K`);
      }
    }
    out.end();
    await once(out, 'finish');
    if (interactive) process.stderr.write('\r\u001b[K');
    await commit(tempPath, destPath, file, file.url);
  } catch (error) {
    void reader.cancel().catch(() => undefined);
    out.destroy();
    await rm(tempPath, { force: true });
    throw error;
  } finally {
    pendingTempPath = undefined;
  }
  console.log(`  ${file.path}: downloaded ${formatBytes(file.bytes)} (verified)`);
}

async function copyVoice(file: SelectedFile, voicesFrom: string, destPath: string): Promise<void> {
  const name = file.path.slice(file.path.lastIndexOf('/') + 1);
  const sourcePath = join(voicesFrom, name);
  if (!existsSync(sourcePath)) throw new Error(`--voices-from: ${sourcePath} does not exist.`);
  await mkdir(dirname(destPath), { recursive: true });
  const tempPath = `${destPath}.part-${process.pid}`;
  await copyFile(sourcePath, tempPath);
  // copyFile keeps the source's mode; shared data is read-only, the served copy need not be.
  await chmod(tempPath, 0o644);
  await commit(tempPath, destPath, file, sourcePath);
  console.log(`  ${file.path}: copied from ${relative(process.cwd(), sourcePath)} (verified)`);
}

/** `dir` relative to the working directory when inside it, else absolute. */
function shownDir(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
}

function offlineHelp(reason: string, missing: SelectedFile[], outDir: string, doneCount: number): string {
  const shown = missing.slice(0, MAX_LISTED_FILES);
  const rest = missing.length - shown.length;
  const out = shownDir(outDir);
  const lines = [
    `models:fetch: cannot reach the model hub (${new URL(missing[0]?.url ?? 'https://huggingface.co/').host}): ${reason}.`,
    'This machine looks offline or behind a firewall. ' +
      (doneCount === 0
        ? 'Nothing was downloaded.'
        : `${doneCount} file(s) were downloaded before that; the rest were not.`),
    '',
    `To self-host without network here, download these files elsewhere and copy them into ${out}/:`,
    ...shown.map((file) => `  ${join(out, file.path)}  <-  ${file.url}  (${formatBytes(file.bytes)})`),
    ...(rest > 0
      ? [
          `  ... and ${rest} more (${formatBytes(totalBytes(missing.slice(MAX_LISTED_FILES)))}), same pattern: ${out}/<path> <- the url in public/models/manifest.json`,
        ]
      : []),
    '',
    'Voice packs can also be copied from a local folder: npm run models:fetch -- --voices-from ../shared/kokoro-voices',
    'Run this command again afterwards: files already in place are verified (size and SHA-256), not downloaded.',
  ];
  return lines.join('\n');
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseCommandLine>;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`models:fetch: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const manifest = parseManifestText(readFileSync(MANIFEST_PATH, 'utf8'), MANIFEST_PATH);
  let files: SelectedFile[];
  try {
    files = selectFiles(manifest, options.selection);
  } catch (error) {
    console.error(`models:fetch: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  console.log(
    `models:fetch: ${files.length} files, ${formatBytes(totalBytes(files))}, into ${shownDir(options.outDir)}/`,
  );

  const missing: SelectedFile[] = [];
  for (const file of files) {
    const destPath = join(options.outDir, file.path);
    if (existsSync(destPath)) {
      const problem = await problemWith(destPath, file);
      if (!problem) {
        console.log(`  ${file.path}: already in place (verified)`);
        continue;
      }
      console.log(`  ${file.path}: replacing the copy in place (${problem})`);
    }
    missing.push(file);
  }

  const toDownload: SelectedFile[] = [];
  for (const file of missing) {
    if (options.voicesFrom && file.role.startsWith('voice '))
      await copyVoice(file, options.voicesFrom, join(options.outDir, file.path));
    else toDownload.push(file);
  }

  for (const [index, file] of toDownload.entries()) {
    try {
      await download(file, join(options.outDir, file.path));
    } catch (error) {
      if (error instanceof OfflineError) {
        console.error(offlineHelp(error.message, toDownload.slice(index), options.outDir, index));
        return 1;
      }
      console.error(`models:fetch: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
  }
  console.log(
    'models:fetch: done. The studio now loads these files from /models/ (see public/models/README.md).',
  );
  return 0;
}

process.exitCode = await main();
