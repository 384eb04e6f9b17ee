/**
 * The fixture models wired up for cloning tests and the clone benchmark: a Renderer and an
 * Embedder over onnxruntime-node, the 54 stock packs, and short fixed probe sentences.
 * Models come from `.fixtures/models` (npm run fixtures) when present, else are built in
 * memory by the same generator, so the tests never depend on a previous step.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtureKokoro } from './fixture-models/kokoro-fixture';
import { buildFixtureEncoder } from './fixture-models/speaker-fixture';
import { createNodeSession, NodeEncoderRunner, nodeKokoroRunner } from '../../bench/support/ort-node';
import { createFbankEmbedder, createKokoroRenderer } from '../engine/clone/render';
import type { Embedder, NamedPack, Probe, Renderer } from '../engine/clone/types';
import { phonemesToTokenIds } from '../engine/text/vocab';
import { PACK_LENGTH, STYLE_DIM } from '../engine/voices/pack';
import { styleRowIndex } from '../engine/voices/style';
import { SeededRandom } from '../engine/clone/random';
import { readStockVoice, REPO_ROOT, STOCK_VOICE_NAMES } from './shared';

export const FIXTURE_MODELS_DIR = join(REPO_ROOT, '.fixtures', 'models');

/**
 * Short misaki-phoneme probes (what the text frontend makes of the sentence in the comment),
 * written out so tests need no eSpeak. Short on purpose: rendering cost grows with length.
 */
export const CLONE_PROBE_PHONEMES = {
  /** "The sun rose." (13 tokens, ~1.4 s with the fixture) */
  sun: 'ðə sˈʌn ɹˈOz.',
  /** "Fresh bread." (12 tokens) */
  bread: 'fɹˈɛʃ bɹˈɛd.',
  /** "Call Stella." (12 tokens) */
  stella: 'kˈɔl stˈɛlə.',
  /** "A rainbow." (10 tokens) */
  rainbow: 'ə ɹˈAnbˌO.',
  /** "Please call Stella and ask her to bring these things." (a longer reference clip) */
  stellaLong: 'plˈiz kˈɔl stˈɛlə ænd ˈæsk həɹ tə bɹˈɪŋ ðiz θˈɪŋz.',
} as const;

export function probeOf(id: keyof typeof CLONE_PROBE_PHONEMES): Probe {
  return { id, tokenIds: phonemesToTokenIds(CLONE_PROBE_PHONEMES[id]) };
}

export interface FixtureCloneKit {
  renderer: Renderer;
  embedder: Embedder;
  stock: NamedPack[];
}

function modelBytes(relativePath: string, build: () => Uint8Array): Uint8Array {
  const path = join(FIXTURE_MODELS_DIR, relativePath);
  return existsSync(path) ? new Uint8Array(readFileSync(path)) : build();
}

/** The fp32 fixture Kokoro and encoder through onnxruntime-node, and the stock packs. */
export async function createFixtureCloneKit(): Promise<FixtureCloneKit> {
  const kokoro = await createNodeSession(modelBytes('kokoro/onnx/model.onnx', () => buildFixtureKokoro()));
  const encoder = await createNodeSession(modelBytes('speaker/onnx/model.onnx', () => buildFixtureEncoder()));
  return {
    renderer: createKokoroRenderer(
      nodeKokoroRunner(kokoro, 'fixture kokoro/onnx/model.onnx'),
      'fixture-kokoro-fp32',
    ),
    embedder: createFbankEmbedder(new NodeEncoderRunner(encoder), 'fixture-speaker-fp32'),
    stock: STOCK_VOICE_NAMES.map((id) => ({ id, pack: readStockVoice(id) })),
  };
}

/**
 * A renderer/embedder pair without models, for fast unit tests: the "audio" is a short
 * harmonic tone (so voice features can be computed) and the embedding is whatever
 * `embeddingOf(pack, probe)` says for the pack rendered last. Counts calls.
 */
export interface FakeCloneKit {
  renderer: Renderer & { calls: number; probes: string[] };
  embedder: Embedder & { calls: number };
  /** The 24 kHz tone every rendering returns. */
  audio: Float32Array;
}

const FAKE_SAMPLE_RATE_HZ = 24_000;
const FAKE_AUDIO_SECONDS = 0.2;

export function createFakeCloneKit(
  embeddingOf: (pack: Float32Array, probe: Probe) => Float32Array,
): FakeCloneKit {
  let last: Float32Array | undefined;
  const tone = Float32Array.from({ length: Math.round(FAKE_AUDIO_SECONDS * FAKE_SAMPLE_RATE_HZ) }, (_, i) => {
    let x = 0;
    for (let k = 1; k <= 8; k++) x += Math.sin((2 * Math.PI * 150 * k * i) / FAKE_SAMPLE_RATE_HZ) / k;
    return 0.2 * x;
  });
  const renderer = {
    variant: 'fake-renderer',
    calls: 0,
    probes: [] as string[],
    async render(pack: Float32Array, probe: Probe): Promise<Float32Array> {
      renderer.calls++;
      renderer.probes.push(probe.id);
      last = embeddingOf(pack, probe);
      return tone;
    },
  };
  const embedder = {
    variant: 'fake-embedder',
    calls: 0,
    async embed(): Promise<Float32Array> {
      embedder.calls++;
      if (!last) throw new Error('fake embedder: nothing rendered yet');
      return last;
    },
  };
  return { renderer, embedder, audio: tone };
}

/**
 * The fake kit's embedder, except that audio longer than any fake rendering (the reference
 * clip) embeds as `reference`, however often it is prepared.
 */
export function referenceAwareEmbedder(kit: FakeCloneKit, reference: Float32Array): Embedder {
  return {
    variant: kit.embedder.variant,
    embed: (pcm16k: Float32Array) =>
      pcm16k.length > kit.audio.length ? Promise.resolve(reference) : kit.embedder.embed(pcm16k),
  };
}

/** `count` random packs named v0, v1, ... (Gaussian, std `scale`), reproducible from `seed`. */
export function randomNamedPacks(count: number, seed: number, scale = 0.2): NamedPack[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: count }, (_, v) => {
    const pack = new Float32Array(PACK_LENGTH);
    rng.fillGaussian(pack);
    return { id: `v${v}`, pack: pack.map((x) => scale * x) };
  });
}

/**
 * A smooth fake "voice" for createFakeCloneKit: 12 values of the style row the probe selects,
 * squashed, plus a constant; the probe named `selfProbeId` is shifted slightly.
 */
export function styleRowEmbedding(selfProbeId: string): (pack: Float32Array, probe: Probe) => Float32Array {
  return (pack, probe) => {
    const start = styleRowIndex(probe.tokenIds.length) * STYLE_DIM;
    return Float32Array.from({ length: 13 }, (_, i) =>
      i === 12 ? 0.3 : Math.tanh(pack[start + i]! + (probe.id === selfProbeId ? 0.02 * i : 0)),
    );
  };
}
