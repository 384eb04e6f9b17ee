/**
 * The reference clip the clone e2e test uploads: the fixture Kokoro (onnxruntime-node)
 * saying CLONE_REFERENCE_TRANSCRIPT with a hidden voice that is in no library (a blend of
 * three English stock packs plus an offset and noise, bench/support/clone-targets.ts), so
 * the clone has something to find that ranking alone cannot.
 *
 *   npx tsx scripts/make-clone-reference.ts [--out <dir>]    (npm run fixtures writes it too)
 *
 *   <out>/audio/clone-reference.wav   24 kHz mono 16-bit PCM
 *   <out>/audio/clone-reference.txt   its transcript (one line)
 *
 * Uses <out>/models/kokoro/onnx/model.onnx (the fp32 fixture the e2e server hands out) when
 * it exists, else builds the same model in memory.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeSession, nodeKokoroRunner } from '../bench/support/ort-node';
import { makeHiddenTargets } from '../bench/support/clone-targets';
import { encodeWav } from '../src/engine/audio/wav';
import { createKokoroRenderer } from '../src/engine/clone/render';
import { KOKORO_SAMPLE_RATE_HZ } from '../src/engine/tts/types';
import { probeOf } from '../src/test-support/clone-fixtures';
import { readStockVoice, REPO_ROOT, STOCK_VOICE_NAMES } from '../src/test-support/shared';
import { buildFixtureKokoro } from '../src/test-support/fixture-models/kokoro-fixture';

/** What the clip says (CLONE_PROBE_PHONEMES.stellaLong is its phonemisation). */
export const CLONE_REFERENCE_TRANSCRIPT = 'Please call Stella and ask her to bring these things.';
/** Seed of the hidden voice (makeHiddenTargets). */
export const CLONE_REFERENCE_SEED = 11;
/** The clone worker's library: American and British English voices. */
const LIBRARY_VOICE_ID = /^[ab][fm]_/;
/** The fixture's output is scaled to this peak so the clip looks like a normal recording. */
const PEAK = 0.7;

export interface CloneReferenceSummary {
  wavPath: string;
  textPath: string;
  durationS: number;
  /** How the hidden voice was made (stock ids and weights). */
  recipe: string;
}

export async function makeCloneReference(outDir: string): Promise<CloneReferenceSummary> {
  const modelPath = join(outDir, 'models', 'kokoro', 'onnx', 'model.onnx');
  const model = existsSync(modelPath) ? new Uint8Array(readFileSync(modelPath)) : buildFixtureKokoro();
  const renderer = createKokoroRenderer(
    nodeKokoroRunner(await createNodeSession(model), 'fixture kokoro/onnx/model.onnx'),
    'fixture-kokoro-fp32',
  );
  const library = STOCK_VOICE_NAMES.filter((id) => LIBRARY_VOICE_ID.test(id)).map((id) => ({
    id,
    pack: readStockVoice(id),
  }));
  const hidden = makeHiddenTargets(library, 1, CLONE_REFERENCE_SEED)[0]!;
  const pcm = await renderer.render(hidden.pack, probeOf('stellaLong'));
  let peak = 0;
  for (const x of pcm) peak = Math.max(peak, Math.abs(x));
  if (peak === 0) throw new Error('The fixture Kokoro rendered silence for the clone reference.');
  const scaled = pcm.map((x) => (x * PEAK) / peak);

  const audioDir = join(outDir, 'audio');
  mkdirSync(audioDir, { recursive: true });
  const wavPath = join(audioDir, 'clone-reference.wav');
  const textPath = join(audioDir, 'clone-reference.txt');
  writeFileSync(wavPath, encodeWav(scaled, KOKORO_SAMPLE_RATE_HZ));
  writeFileSync(textPath, `${CLONE_REFERENCE_TRANSCRIPT}\n`);
  return { wavPath, textPath, durationS: scaled.length / KOKORO_SAMPLE_RATE_HZ, recipe: hidden.recipe };
}

export function describeCloneReference(summary: CloneReferenceSummary, outDir: string): string {
  const relative = summary.wavPath.slice(outDir.length + 1);
  return `  ${relative}  ${summary.durationS.toFixed(2)} s (hidden voice ${summary.recipe})`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const value = argv[argv.indexOf('--out') + 1];
  const outDir = argv.includes('--out') && value ? resolve(value) : join(REPO_ROOT, '.fixtures');
  makeCloneReference(outDir).then(
    (summary) => console.log(describeCloneReference(summary, outDir)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
