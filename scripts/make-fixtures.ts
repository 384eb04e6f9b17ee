/**
 * Writes the fixture model tree that tests and e2e runs load instead of the real models
 * (no weights can be downloaded here): `npm run fixtures` [-- --out <dir>].
 *
 *   <out>/models/      manifest.json (fixture: true), kokoro/onnx/*.onnx, speaker/onnx/*.onnx, voices/*.bin
 *   <out>/corrupt/     same manifest; model files have flipped bytes (same size: only SHA-256 catches it)
 *   <out>/missing/     same manifest; model files absent (404)
 *   <out>/truncated/   same manifest; Kokoro files cut to half (the size check catches it)
 *   <out>/audio/       clone-reference.wav + .txt: the clone e2e reference (scripts/make-clone-reference.ts)
 *
 * The scenario folders reach the voices through a `voices` symlink to ../models/voices
 * (copies where symlinks are not allowed), so every manifest has the same paths.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelManifest } from '../src/engine/models/manifest';
import { REPO_ROOT } from '../src/test-support/shared';
import {
  buildFixtureManifest,
  defaultTemplate,
  ENCODER_VARIANT_PATHS,
  KOKORO_VARIANT_PATHS,
  readRealManifest,
} from '../src/test-support/fixture-models/fixture-manifest';
import {
  buildFixtureKokoro,
  KOKORO_FIXTURE_VARIANTS,
  type KokoroFixtureVariant,
} from '../src/test-support/fixture-models/kokoro-fixture';
import {
  buildFixtureEncoder,
  ENCODER_FIXTURE_VARIANTS,
  type EncoderFixtureVariant,
} from '../src/test-support/fixture-models/speaker-fixture';
import { listStockVoiceIds, stockVoiceDir } from '../src/test-support/fixture-models/voice-stats';

export { buildFixtureKokoro } from '../src/test-support/fixture-models/kokoro-fixture';
export { buildFixtureEncoder } from '../src/test-support/fixture-models/speaker-fixture';

export const DEFAULT_FIXTURES_DIR = join(REPO_ROOT, '.fixtures');
export const REAL_MANIFEST_PATH = join(REPO_ROOT, 'public', 'models', 'manifest.json');
export const FIXTURE_SCENARIOS = ['models', 'corrupt', 'missing', 'truncated'] as const;
export type FixtureScenario = (typeof FIXTURE_SCENARIOS)[number];

export interface MakeFixturesOptions {
  /** Manifest to mirror (voices, names, grades, variant ids); default public/models/manifest.json. */
  templatePath?: string;
}

export interface FixtureSummary {
  outDir: string;
  manifest: ModelManifest;
  /** Whether the real manifest was used as the template (false: built from the voice packs). */
  fromRealManifest: boolean;
  /** Model files written under models/, relative paths. */
  modelPaths: string[];
}

function writeFile(path: string, bytes: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

/** Same length, different content: XOR a stretch in the middle, so size checks pass and hashes fail. */
export function corruptBytes(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes);
  const start = Math.floor(copy.length / 2);
  for (let i = start; i < Math.min(copy.length, start + 64); i++) copy[i] = copy[i]! ^ 0xff;
  return copy;
}

function linkVoices(scenarioDir: string, modelsDir: string): void {
  const link = join(scenarioDir, 'voices');
  try {
    symlinkSync(join('..', 'models', 'voices'), link, 'dir');
  } catch {
    cpSync(join(modelsDir, 'voices'), link, { recursive: true });
  }
}

function isKokoroVariant(id: string): id is KokoroFixtureVariant {
  return (KOKORO_FIXTURE_VARIANTS as readonly string[]).includes(id);
}

function isEncoderVariant(id: string): id is EncoderFixtureVariant {
  return (ENCODER_FIXTURE_VARIANTS as readonly string[]).includes(id);
}

/** Writes all fixture scenarios under `outDir` (replacing what was there). */
export function makeFixtures(
  outDir: string = DEFAULT_FIXTURES_DIR,
  options: MakeFixturesOptions = {},
): FixtureSummary {
  const real = readRealManifest(options.templatePath ?? REAL_MANIFEST_PATH);
  const voiceIds = listStockVoiceIds();
  const template = real ?? defaultTemplate(voiceIds);

  const kokoro = new Map<string, Uint8Array>();
  for (const { id } of template.kokoro.variants)
    if (isKokoroVariant(id)) kokoro.set(id, buildFixtureKokoro({ variant: id }));
  const encoder = new Map<string, Uint8Array>();
  for (const { id } of template.speakerEncoder.variants)
    if (isEncoderVariant(id)) encoder.set(id, buildFixtureEncoder({ variant: id }));
  const voices = new Map(
    voiceIds.map((id) => [id, new Uint8Array(readFileSync(join(stockVoiceDir(), `${id}.bin`)))]),
  );
  const manifest = buildFixtureManifest(template, { kokoro, encoder, voices });
  const manifestJson = `${JSON.stringify(manifest, null, 2)}\n`;

  for (const scenario of FIXTURE_SCENARIOS) rmSync(join(outDir, scenario), { recursive: true, force: true });
  const modelsDir = join(outDir, 'models');
  const modelPaths: string[] = [];
  const models = [
    ...[...kokoro].map(([id, bytes]) => ({ kind: 'kokoro', path: KOKORO_VARIANT_PATHS[id]!, bytes })),
    ...[...encoder].map(([id, bytes]) => ({ kind: 'encoder', path: ENCODER_VARIANT_PATHS[id]!, bytes })),
  ];
  for (const { path, bytes } of models) {
    writeFile(join(modelsDir, path), bytes);
    modelPaths.push(path);
  }
  for (const [id, bytes] of voices) writeFile(join(modelsDir, 'voices', `${id}.bin`), bytes);
  writeFile(join(modelsDir, 'manifest.json'), manifestJson);

  for (const scenario of ['corrupt', 'missing', 'truncated'] as const) {
    const dir = join(outDir, scenario);
    writeFile(join(dir, 'manifest.json'), manifestJson);
    linkVoices(dir, modelsDir);
    for (const { kind, path, bytes } of models) {
      if (scenario === 'corrupt') writeFile(join(dir, path), corruptBytes(bytes));
      if (scenario === 'truncated')
        writeFile(join(dir, path), kind === 'kokoro' ? bytes.slice(0, Math.floor(bytes.length / 2)) : bytes);
    }
  }
  return { outDir, manifest, fromRealManifest: real !== undefined, modelPaths };
}

function parseOutDir(argv: readonly string[]): string {
  const value = argv[argv.indexOf('--out') + 1];
  return argv.includes('--out') && value ? resolve(value) : DEFAULT_FIXTURES_DIR;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const summary = makeFixtures(parseOutDir(process.argv.slice(2)));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `Fixtures written to ${summary.outDir} in ${seconds} s (template: ${summary.fromRealManifest ? 'public/models/manifest.json' : 'stock voice packs'})`,
  );
  for (const path of summary.modelPaths) {
    const bytes = readFileSync(join(summary.outDir, 'models', path)).length;
    console.log(`  models/${path}  ${(bytes / 1024).toFixed(1)} KiB`);
  }
  console.log(
    `  models/voices/*.bin  ${summary.manifest.voices.length} voices; scenarios: ${FIXTURE_SCENARIOS.join(', ')}`,
  );
  if (!existsSync(join(summary.outDir, 'models', 'manifest.json'))) process.exitCode = 1;
  // Rendered with the fixture Kokoro just written (async, onnxruntime-node; imported lazily so
  // importing this module stays cheap).
  import('./make-clone-reference')
    .then(async ({ makeCloneReference, describeCloneReference }) => {
      console.log(describeCloneReference(await makeCloneReference(summary.outDir), summary.outDir));
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
