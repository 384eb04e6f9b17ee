/**
 * The instant estimate: a learned map from a speaker embedding to voice-pack coordinates
 * (basis.ts), fitted on renderings made on the spot, whose prediction for the reference is
 * the first clone (no search) and the search's start.
 *
 * Training pairs are (embedding of a rendering of pack(c), c) for coordinates c in the basis,
 * so every pair is exact. The stock voices themselves are NOT pairs: a stock pack is not in
 * the basis (8 pack axes + offset), its coordinates are a least-squares projection that can
 * sound quite different (cosine 0.38-0.998 to the original on the fixture), and fitting their
 * embeddings to those coordinates taught the map wrong answers (bench/instant.ts).
 *
 * - Without the reference: jittered random blends of 2-3 stock voices (the same set for every
 *   reference, so a cache keeps it across jobs of the same text).
 * - With the reference (`estimateInstant`): LOCAL training. Blends of the ANCHOR_COUNT stock
 *   voices most like the reference (their renderings come free with the ranking), then rounds
 *   that fit the map around the reference and render its prediction, which becomes a training
 *   pair too: each round's map knows more about the neighbourhood of the answer. The estimate
 *   is the rendered candidate most like the reference (usually a late prediction).
 *
 * The map itself (kernel ridge regression, chosen by leave-one-out error) is instant-map.ts.
 *
 * A training rendering whose measurement is bad (BadMeasurementError: unusable audio, a NaN
 * embedding) is skipped: it is no sample, but it used one of the `blendCount` renderings (so
 * the training always ends), and a refused map prediction is followed by a random blend (the
 * same samples would predict the same pack again). A stock voice that cannot be measured is
 * no anchor. Skips are counted (`skipped`, `onSkip`); only when fewer than the 3 samples a map
 * needs are left does the training fail (RendersKeepFailingError).
 */
import { throwIfAborted } from '../progress';
import { coordinatesOfPack, packFromCoordinates, type PackBasis } from './basis';
import {
  fitInstantMap,
  localWeights,
  predictCoordinates,
  type InstantMap,
  type InstantMapSample,
} from './instant-map';
import { cosine } from './linalg';
import { SeededRandom } from './random';
import { isBadMeasurement, refusalReason, RENDERS_FAILING_ADVICE, RendersKeepFailingError } from './search';
import type { NamedPack } from './types';

export {
  fitInstantMap,
  LOCAL_NEIGHBOURS,
  localWeights,
  predictCoordinates,
  type InstantFitOptions,
  type InstantKernel,
  type InstantMap,
  type InstantMapSample,
} from './instant-map';

/** A cache name for a pack from its exact contents (two 32-bit hashes of its float bits). */
export function packCacheId(pack: Float32Array): string {
  const words = new Uint32Array(pack.buffer, pack.byteOffset, pack.length);
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as number;
    a = Math.imul(a ^ word, 0x01000193) >>> 0;
    b = Math.imul(b ^ word, 0x5bd1e995) >>> 0;
    b = (b ^ (b >>> 15)) >>> 0;
  }
  return `instant-${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

export interface InstantTrainingOptions {
  basis: PackBasis;
  stock: readonly NamedPack[];
  /** Renderings to make: blends, and with a reference the rendered predictions too (at least 3). */
  blendCount: number;
  /** Std of the jitter added to each blend's coordinates (units of stock std). */
  jitter: number;
  seed: number;
  /**
   * Embeds a pack on the target probe; reports renders spent. Every pack comes with a cache
   * name: a stock voice's id, else packCacheId (its contents), so a cache can never hand a
   * blend's embedding to a different pack.
   */
  measure: (pack: Float32Array, cacheId: string) => Promise<{ embedding: Float32Array; renders: number }>;
  /** The reference embedding: the training is then local to it (see the file comment). */
  reference?: ArrayLike<number>;
  /**
   * Each stock voice's target similarity (cosine of its target-probe embedding to `reference`),
   * in `stock` order, when the caller has them already (the ranking does): then no stock voice
   * is measured again.
   */
  stockSimilarities?: readonly number[];
  signal?: AbortSignal;
  /** Progress over stock.length + blendCount steps (the stock steps cost nothing with stockSimilarities, a cache lookup each otherwise). */
  onSample?: (done: number, total: number) => void;
  /** A stock voice or training rendering was skipped (bad measurement): why, and how many so far. */
  onSkip?: (reason: string, skipped: number) => void;
}

/** Samples fitInstantMap needs at least. */
const MIN_SAMPLES = 3;

/** Measured on the hidden targets of bench/instant.ts (fixture models): see bench/README.md. */
export const DEFAULT_INSTANT_TRAINING = { blendCount: 48, jitter: 0.2 } as const;

/** Local training: blends of this many stock voices nearest the reference... */
export const ANCHOR_COUNT = 8;
/** ...make this share of the renderings; map predictions rendered one by one make the rest. */
const FIRST_ROUND_SHARE = 2 / 3;

/** A jittered Dirichlet blend of 2-3 of `sources` (coordinates). */
function randomBlend(rng: SeededRandom, sources: readonly Float64Array[], jitter: number): Float64Array {
  const parts = rng.sample(sources.length, 2 + rng.int(2));
  const weights = rng.dirichlet(parts.length);
  const coordinates = new Float64Array((sources[0] as Float64Array).length);
  parts.forEach((index, p) => {
    const source = sources[index] as Float64Array;
    for (let c = 0; c < coordinates.length; c++)
      coordinates[c] = (coordinates[c] as number) + (weights[p] as number) * (source[c] as number);
  });
  for (let c = 0; c < coordinates.length; c++)
    coordinates[c] = (coordinates[c] as number) + jitter * rng.gaussian();
  return coordinates;
}

/**
 * Renders the training set: seeded random blends, of the whole library without a reference,
 * of the stock voices nearest it (then rendered map predictions) with one. Only rendered
 * packs of the basis are samples (see the file comment).
 */
export async function collectInstantSamples(
  options: InstantTrainingOptions,
): Promise<{ samples: InstantMapSample[]; renders: number; skipped: number }> {
  const { basis, stock, blendCount, reference } = options;
  if (!(blendCount >= MIN_SAMPLES)) throw new RangeError('collectInstantSamples: need at least 3 renderings');
  if (stock.length === 0) throw new RangeError('collectInstantSamples: no stock voices');
  const rng = new SeededRandom(options.seed);
  const total = stock.length + blendCount;
  let renders = 0;
  let skipped = 0;
  let lastReason = '';
  /** Measures a pack; undefined when its measurement was bad (skipped and counted). */
  const measure = async (pack: Float32Array, cacheId: string) => {
    try {
      return await options.measure(pack, cacheId);
    } catch (error) {
      if (!isBadMeasurement(error)) throw error;
      throwIfAborted(options.signal); // a pause during the bad rendering is a pause
      skipped++;
      lastReason = refusalReason(error);
      options.onSkip?.(lastReason, skipped);
      return undefined;
    }
  };
  let sourceVoices = stock;
  if (reference) {
    const known = options.stockSimilarities;
    if (known && known.length !== stock.length)
      throw new RangeError('collectInstantSamples: one similarity per stock voice');
    const similarities: number[] = known ? [...known] : [];
    if (known) options.onSample?.(stock.length, total);
    for (const voice of known ? [] : stock) {
      throwIfAborted(options.signal);
      const measured = await measure(voice.pack, voice.id);
      similarities.push(measured ? cosine(measured.embedding, reference) : -Infinity);
      options.onSample?.(similarities.length, total);
    }
    const order = similarities
      .map((_, i) => i)
      .filter((i) => (similarities[i] as number) > -Infinity)
      .sort((a, b) => (similarities[b] as number) - (similarities[a] as number));
    if (order.length === 0) {
      throw new RendersKeepFailingError(
        `Renders keep failing: no stock voice could be measured for the instant estimate (${lastReason}). ${RENDERS_FAILING_ADVICE}, then start again.`,
      );
    }
    sourceVoices = order.slice(0, ANCHOR_COUNT).map((i) => stock[i] as NamedPack);
  } else {
    options.onSample?.(stock.length, total); // nothing to measure: stock voices are not samples
  }
  const sources = sourceVoices.map((voice) => coordinatesOfPack(basis, voice.pack));
  const samples: InstantMapSample[] = [];
  /** Renders and measures one training pack; false when it was skipped. */
  const add = async (coordinates: Float64Array, attempt: number): Promise<boolean> => {
    throwIfAborted(options.signal);
    const pack = packFromCoordinates(basis, coordinates);
    const measured = await measure(pack, packCacheId(pack));
    // A skipped rendering was spent all the same (a bad measurement is never a cache hit).
    renders += measured ? measured.renders : 1;
    if (measured) samples.push({ embedding: measured.embedding, coordinates });
    options.onSample?.(stock.length + attempt + 1, total);
    return measured !== undefined;
  };
  const firstRound = reference
    ? Math.max(MIN_SAMPLES, Math.round(FIRST_ROUND_SHARE * blendCount))
    : blendCount;
  // Exactly blendCount renderings: the first round's random blends, then (with a reference)
  // the map's predictions. A random blend stands in for a prediction while there are too few
  // samples to fit, and right after a prediction was refused.
  const prediction = (target: ArrayLike<number>) => {
    const weights = localWeights(
      samples.map((sample) => sample.embedding),
      target,
    );
    return predictCoordinates(fitInstantMap(samples, { weights }), target);
  };
  let refused = false;
  for (let attempt = 0; attempt < blendCount; attempt++) {
    const coordinates: Float64Array =
      reference && attempt >= firstRound && samples.length >= MIN_SAMPLES && !refused
        ? prediction(reference)
        : randomBlend(rng, sources, options.jitter);
    refused = !(await add(coordinates, attempt));
  }
  if (samples.length < MIN_SAMPLES) {
    throw new RendersKeepFailingError(
      `Renders keep failing: only ${samples.length} of ${blendCount} renderings for the instant estimate were usable, and it needs ${MIN_SAMPLES} (${lastReason}). ${RENDERS_FAILING_ADVICE}, then start again.`,
    );
  }
  return { samples, renders, skipped };
}

export interface InstantResult {
  map: InstantMap;
  coordinates: Float64Array;
  /** Renderings the training needed (0 with a given map or a warm cache). */
  renders: number;
  /** Target similarity of the estimate's rendering; undefined with a given map (nothing rendered). */
  similarity: number | undefined;
  /** Stock voices and training renderings skipped for a bad measurement (0 with a given map). */
  skipped: number;
}

/**
 * The instant estimate for `reference`: local training, then the rendered candidate (blend or
 * map prediction) most like the reference. With `map` (fitted before) it is that map's
 * prediction, and nothing is rendered.
 */
export async function estimateInstant(
  options: InstantTrainingOptions & { reference: ArrayLike<number>; map?: InstantMap },
): Promise<InstantResult> {
  const { reference } = options;
  if (options.map) {
    return {
      map: options.map,
      coordinates: predictCoordinates(options.map, reference),
      renders: 0,
      similarity: undefined,
      skipped: 0,
    };
  }
  const { samples, renders, skipped } = await collectInstantSamples(options);
  const embeddings = samples.map((sample) => sample.embedding);
  const map = fitInstantMap(samples, { weights: localWeights(embeddings, reference) });
  const similarities = embeddings.map((embedding) => cosine(embedding, reference));
  const best = similarities.indexOf(Math.max(...similarities));
  return {
    map,
    coordinates: Float64Array.from((samples[best] as InstantMapSample).coordinates),
    renders,
    similarity: similarities[best],
    skipped,
  };
}
