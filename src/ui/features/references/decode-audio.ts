/**
 * Audio files and recordings -> PCM channels. WAV goes through the engine's decoder (exact
 * samples at the file's own rate); everything else through the browser's decodeAudioData,
 * which decodes off the main thread. Downmixing and resampling happen in the clean-up worker.
 */
import { decodeWav } from '../../../engine/audio/wav';

export interface DecodedChannels {
  channels: Float32Array[];
  sampleRateHz: number;
}

/** The formats the upload accepts (also used for the file picker's `accept`). */
export const ACCEPTED_AUDIO = 'audio/*,.wav,.mp3,.ogg,.oga,.opus,.flac,.m4a,.aac,.mp4,.webm';
export const SUPPORTED_FORMATS_TEXT = 'WAV, MP3, OGG/Opus, FLAC, M4A/AAC and WebM';
/** decodeAudioData resamples to its context's rate; 48 kHz keeps everything a voice has. */
const BROWSER_DECODE_RATE_HZ = 48000;

export class AudioDecodeError extends Error {
  override name = 'AudioDecodeError';
}

function isRiffWave(bytes: Uint8Array): boolean {
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  return bytes.length >= 12 && tag(0) === 'RIFF' && tag(8) === 'WAVE';
}

async function decodeWithBrowser(buffer: ArrayBuffer): Promise<DecodedChannels> {
  const context = new OfflineAudioContext(1, 1, BROWSER_DECODE_RATE_HZ);
  const audio = await context.decodeAudioData(buffer);
  const channels = Array.from(
    { length: audio.numberOfChannels },
    (_, c) => new Float32Array(audio.getChannelData(c)),
  );
  return { channels, sampleRateHz: audio.sampleRate };
}

/** Decodes an audio file; throws AudioDecodeError with a message for the user. */
export async function decodeAudio(buffer: ArrayBuffer, what: string): Promise<DecodedChannels> {
  const bytes = new Uint8Array(buffer);
  if (bytes.length === 0) throw new AudioDecodeError(`${what} is empty.`);
  let wavProblem: string | undefined;
  if (isRiffWave(bytes)) {
    try {
      const wav = decodeWav(bytes);
      return checked({ channels: wav.channels, sampleRateHz: wav.sampleRateHz }, what);
    } catch (error) {
      // Some WAV encodings (ADPCM, A-law...) the browser may still read; try it before giving up.
      wavProblem = error instanceof Error ? error.message : String(error);
    }
  }
  try {
    return checked(await decodeWithBrowser(buffer.slice(0)), what);
  } catch (error) {
    if (error instanceof AudioDecodeError) throw error;
    const detail = wavProblem ? ` (${wavProblem})` : '';
    throw new AudioDecodeError(
      `${what} could not be read as audio: the format is not supported or the file is damaged${detail}. Timbre reads ${SUPPORTED_FORMATS_TEXT}. Nothing was changed.`,
    );
  }
}

function checked(decoded: DecodedChannels, what: string): DecodedChannels {
  const length = decoded.channels[0]?.length ?? 0;
  if (length === 0) throw new AudioDecodeError(`${what} contains no audio. Nothing was changed.`);
  return decoded;
}
