/**
 * Audio files and recordings -> PCM channels. WAV goes through the engine's decoder (exact
 * samples at the file's own rate); everything else through the browser's decodeAudioData,
 * which decodes off the main thread. Downmixing and resampling happen in the clean-up worker.
 */
import { allFinite, decodeWav, NonFiniteSamplesError } from '../../../engine/audio/wav';
import { MAX_CLIP_S } from '../../../engine/reference/clip-policy';

export interface DecodedChannels {
  channels: Float32Array[];
  sampleRateHz: number;
  /** The file's length when only its start was decoded (a long WAV). */
  sourceS?: number;
}

/** Files over this size are refused before they are read (5 minutes of 48 kHz stereo float WAV is 115 MB). */
export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;
/**
 * Compressed files are decoded whole by the browser; over this length (read from the
 * container before decoding) they are refused: an hour of MP3 would be over 1 GB of samples.
 */
export const MAX_COMPRESSED_S = 15 * 60;
/** WAVs are read only this far (the clip keeps MAX_CLIP_S); longer ones are never held whole. */
const WAV_READ_S = MAX_CLIP_S + 1;

function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

function minutes(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;
}

/** Refuses a file by its size before anything is read; a message that says the limit. */
export function checkUploadSize(bytes: number, what: string): void {
  if (bytes > MAX_UPLOAD_BYTES)
    throw new AudioDecodeError(
      `${what} is ${megabytes(bytes)}; Timbre reads files up to ${megabytes(MAX_UPLOAD_BYTES)} (a reference needs at most ${MAX_CLIP_S / 60} minutes of speech). Cut out the part you want first. Nothing was changed.`,
    );
}

/**
 * The duration the container states, read by the browser's media element from the file's
 * headers (no decoding); undefined where the browser cannot tell.
 */
export async function containerSeconds(file: Blob, timeoutMs = 10_000): Promise<number | undefined> {
  if (typeof document === 'undefined') return undefined;
  const url = URL.createObjectURL(file);
  const audio = document.createElement('audio');
  audio.preload = 'metadata';
  try {
    return await new Promise<number | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      audio.onloadedmetadata = () => {
        clearTimeout(timer);
        resolve(Number.isFinite(audio.duration) ? audio.duration : undefined);
      };
      audio.onerror = () => {
        clearTimeout(timer);
        resolve(undefined);
      };
      audio.src = url;
    });
  } finally {
    audio.removeAttribute('src');
    URL.revokeObjectURL(url);
  }
}

/** An uploaded file: size and (compressed formats) length checked before it is read or decoded. */
export async function decodeAudioFile(file: File): Promise<DecodedChannels> {
  const what = `“${file.name}”`;
  checkUploadSize(file.size, what);
  const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  if (!isRiffWave(head)) {
    const seconds = await containerSeconds(file);
    if (seconds !== undefined && seconds > MAX_COMPRESSED_S)
      throw new AudioDecodeError(
        `${what} is ${minutes(seconds)} long; Timbre decodes compressed files up to ${MAX_COMPRESSED_S / 60} minutes (it keeps the first ${MAX_CLIP_S / 60}). Cut out the part you want, or convert it to WAV, whose start is read without decoding the rest. Nothing was changed.`,
      );
  }
  return decodeAudio(await file.arrayBuffer(), what);
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
      const wav = decodeWav(bytes, { maxSeconds: WAV_READ_S });
      return checked(
        {
          channels: wav.channels,
          sampleRateHz: wav.sampleRateHz,
          ...(wav.sourceSeconds !== undefined ? { sourceS: wav.sourceSeconds } : {}),
        },
        what,
      );
    } catch (error) {
      if (error instanceof AudioDecodeError) throw error;
      if (error instanceof NonFiniteSamplesError) throw nonFinite(what);
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

function nonFinite(what: string): AudioDecodeError {
  return new AudioDecodeError(
    `${what} holds samples that are not numbers (NaN or infinite): the file is damaged. Nothing was changed.`,
  );
}

function checked(decoded: DecodedChannels, what: string): DecodedChannels {
  const length = decoded.channels[0]?.length ?? 0;
  if (length === 0) throw new AudioDecodeError(`${what} contains no audio. Nothing was changed.`);
  if (!decoded.channels.every(allFinite)) throw nonFinite(what);
  return decoded;
}
