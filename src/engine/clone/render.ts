/**
 * Adapters from the model runners to the clone interfaces: a Renderer over a KokoroRunner
 * (pads and the style row handled here, exactly as synthesis does) and an Embedder over a
 * speaker-encoder runner (resampling to 16 kHz is the caller's job; fbank here).
 */
import {
  computeFbank,
  FBANK_FRAME_SAMPLES,
  FBANK_MEL_BINS,
  FBANK_SHIFT_SAMPLES,
  meanNormalise,
} from '../audio/fbank';
import { throwIfAborted } from '../progress';
import { checkAudio } from '../tts/audio-check';
import { withPads } from '../tts/synthesize';
import type { KokoroRunner } from '../tts/types';
import { styleForTokens } from '../voices/style';
import type { Embedder, EncoderRunner, Probe, Renderer } from './types';

/** Fbank frames below which an embedding means little (0.25 s); shorter audio is padded with silence. */
const MIN_EMBED_FRAMES = 25;

const MIN_EMBED_SAMPLES = FBANK_FRAME_SAMPLES + FBANK_SHIFT_SAMPLES * (MIN_EMBED_FRAMES - 1);

function padToMinimum(pcm16k: Float32Array): Float32Array {
  if (pcm16k.length >= MIN_EMBED_SAMPLES) return pcm16k;
  const padded = new Float32Array(MIN_EMBED_SAMPLES);
  padded.set(pcm16k);
  return padded;
}

/** A rendering or a measurement that cannot be trusted; it is never cached or scored. */
export class BadMeasurementError extends Error {
  override readonly name = 'BadMeasurementError';
}

export interface RendererOptions {
  speed?: number;
  /** A WASM runner for re-rendering what a GPU runner got wrong (asked for once, when first needed). */
  fallback?: () => Promise<KokoroRunner>;
}

/**
 * Renders a probe with a pack, checked as synthesis checks audio (NaN/Inf, silence, an absurd
 * peak): a bad GPU rendering is rendered again on the WASM fallback; a bad one there is refused
 * with a BadMeasurementError.
 */
export function createKokoroRenderer(
  runner: KokoroRunner,
  variant: string,
  options: RendererOptions = {},
): Renderer {
  const speed = options.speed ?? 1;
  let fallback: Promise<KokoroRunner> | undefined;
  return {
    variant,
    async render(pack: Float32Array, probe: Probe, signal?: AbortSignal): Promise<Float32Array> {
      throwIfAborted(signal);
      const style = styleForTokens(pack, probe.tokenIds.length);
      const ids = withPads(probe.tokenIds);
      let pcm = await runner.run(ids, style, speed);
      let verdict = checkAudio(pcm);
      if (!verdict.ok && runner.backend !== 'wasm' && options.fallback) {
        fallback ??= options.fallback();
        let wasm: KokoroRunner;
        try {
          wasm = await fallback;
        } catch (error) {
          fallback = undefined; // ask again next time rather than keep a failure for good
          throw error;
        }
        throwIfAborted(signal);
        pcm = await wasm.run(ids, style, speed);
        verdict = checkAudio(pcm);
      }
      if (!verdict.ok) throw new BadMeasurementError(`Kokoro rendered unusable audio (${verdict.reason}).`);
      throwIfAborted(signal);
      return pcm;
    },
  };
}

/** An Embedder that computes the mean-normalised Kaldi fbank and runs the encoder on it. */
export function createFbankEmbedder(runner: EncoderRunner, variant: string): Embedder {
  return checkedEmbedder(variant, async (pcm16k) => {
    const fbank = meanNormalise(computeFbank(padToMinimum(pcm16k)));
    if (fbank.bins !== FBANK_MEL_BINS) throw new BadMeasurementError('The speaker encoder returned nothing.');
    return runner.run(fbank.data, fbank.frames);
  });
}

/**
 * An Embedder over any encoder (`embed` takes 16 kHz audio), trusting nothing it returns: an
 * empty, NaN, infinite or all-zero embedding is a BadMeasurementError (never cached).
 */
export function checkedEmbedder(
  variant: string,
  embed: (pcm16k: Float32Array) => Promise<Float32Array>,
): Embedder {
  return {
    variant,
    async embed(pcm16k: Float32Array, signal?: AbortSignal): Promise<Float32Array> {
      throwIfAborted(signal);
      const embedding = await embed(pcm16k);
      if (embedding.length === 0) throw new BadMeasurementError('The speaker encoder returned nothing.');
      let norm = 0;
      for (const v of embedding) norm += v * v;
      if (!Number.isFinite(norm) || norm === 0)
        throw new BadMeasurementError(
          'The speaker encoder returned an embedding of NaN, infinite or zero values.',
        );
      throwIfAborted(signal);
      return embedding;
    },
  };
}
