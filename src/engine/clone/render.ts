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

export function createKokoroRenderer(runner: KokoroRunner, variant: string, speed = 1): Renderer {
  return {
    variant,
    async render(pack: Float32Array, probe: Probe, signal?: AbortSignal): Promise<Float32Array> {
      throwIfAborted(signal);
      const style = styleForTokens(pack, probe.tokenIds.length);
      const pcm = await runner.run(withPads(probe.tokenIds), style, speed);
      throwIfAborted(signal);
      return pcm;
    },
  };
}

/** An Embedder that computes the mean-normalised Kaldi fbank and runs the encoder on it. */
export function createFbankEmbedder(runner: EncoderRunner, variant: string): Embedder {
  return {
    variant,
    async embed(pcm16k: Float32Array, signal?: AbortSignal): Promise<Float32Array> {
      throwIfAborted(signal);
      const fbank = meanNormalise(computeFbank(padToMinimum(pcm16k)));
      const embedding = await runner.run(fbank.data, fbank.frames);
      if (embedding.length === 0 || fbank.bins !== FBANK_MEL_BINS)
        throw new Error('The speaker encoder returned nothing');
      throwIfAborted(signal);
      return embedding;
    },
  };
}
