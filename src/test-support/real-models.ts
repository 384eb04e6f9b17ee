/**
 * The real model files for tests and benchmarks: where `npm run models:real` lays them out
 * (public/models, the studio's self-hosted folder), read through the manifest. A missing file
 * is an error that says how to get it, never a skipped test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ModelFile, ModelManifest } from '../engine/models/manifest';
import { parseManifestText } from '../engine/models/validate';
import { buildGe2eModel, readGe2eWeights, type Ge2eRunner } from '../engine/speaker/ge2e';
import { createGe2eRunner } from '../workers/ort/ge2e-runner';
import { KokoroSessionRunner, type TensorConstructor } from '../workers/ort/kokoro-runner';
import { REPO_ROOT } from './shared';

export const REAL_MODELS_DIR = process.env.TIMBRE_REAL_MODELS ?? join(REPO_ROOT, 'public', 'models');

export function realManifest(): ModelManifest {
  const path = join(REPO_ROOT, 'public', 'models', 'manifest.json');
  return parseManifestText(readFileSync(path, 'utf8'), path);
}

export function realModelPath(file: ModelFile): string {
  const path = join(REAL_MODELS_DIR, file.path);
  if (!existsSync(path))
    throw new Error(
      `The real model file ${file.path} is not in ${REAL_MODELS_DIR}: run \`npm run models:real\` first.`,
    );
  return path;
}

export function realKokoroFile(): ModelFile {
  const variant = realManifest().kokoro.variants.find((v) => v.id === 'int8');
  if (!variant) throw new Error('The manifest has no int8 Kokoro variant.');
  return variant;
}

/** The real Kokoro-82M int8 through the studio's one runner, on onnxruntime-node. */
export async function realKokoroRunner(threads = 1): Promise<KokoroSessionRunner> {
  const file = realKokoroFile();
  const session = await ort.InferenceSession.create(realModelPath(file), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  return new KokoroSessionRunner(
    'wasm',
    'int8',
    session,
    ort.Tensor as unknown as TensorConstructor,
    file.path,
  );
}

/** Resemblyzer's GE2E encoder: the real pretrained.pt through the studio's reader and graph builder. */
export async function realGe2eRunner(threads = 1): Promise<Ge2eRunner> {
  const file = realManifest().ge2eEncoder?.file;
  if (!file) throw new Error('The manifest has no GE2E encoder.');
  const weights = readGe2eWeights(file.path, new Uint8Array(readFileSync(realModelPath(file))));
  const session = await ort.InferenceSession.create(buildGe2eModel(weights), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  });
  return createGe2eRunner(session, ort.Tensor as unknown as TensorConstructor);
}
