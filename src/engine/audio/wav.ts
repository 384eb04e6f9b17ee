/**
 * WAV (RIFF/WAVE) encoding and decoding, pure TypeScript.
 *
 * Encoding writes the one format every tool reads: 16-bit PCM mono.
 * Decoding accepts what users actually upload: integer PCM (8/16/24/32-bit), IEEE float
 * (32/64-bit), WAVE_FORMAT_EXTENSIBLE wrappers of both, any channel count, unknown chunks
 * (LIST, bext, fact, ...) and the pad byte after odd-sized chunks.
 */

/** A file that is not a WAV we can read: corrupt, truncated or an unsupported encoding. */
export class AudioFileError extends Error {
  override name = 'AudioFileError';
}

/** A float WAV holding NaN or infinite samples (damaged, or made to break what reads it). */
export class NonFiniteSamplesError extends AudioFileError {
  override name = 'NonFiniteSamplesError';
}

export interface DecodedAudio {
  sampleRateHz: number;
  /** One array per channel, samples in [-1, 1] (float files may exceed it; they are not clamped). */
  channels: Float32Array[];
  /** Seconds of audio the file holds, when `maxSeconds` read only the start of it. */
  sourceSeconds?: number;
}

export interface DecodeWavOptions {
  /**
   * Read whatever sample frames are present when the data chunk claims more bytes than the
   * file holds. Default false: such a file is reported as truncated. Streaming writers'
   * placeholder sizes (>= 0x7fff0000, as written by `espeak-ng --stdout` or ffmpeg into a
   * pipe) are always read to the end of the file.
   */
  allowTruncated?: boolean;
  /**
   * Read at most this many seconds from the start; the rest is never decoded (a long file is
   * not held whole in float). `sourceSeconds` then says how long the file is.
   */
  maxSeconds?: number;
}

const RIFF_HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;
const PCM_FMT_CHUNK_BYTES = 16;
const WAV_HEADER_BYTES = RIFF_HEADER_BYTES + CHUNK_HEADER_BYTES + PCM_FMT_CHUNK_BYTES + CHUNK_HEADER_BYTES;

const FORMAT_PCM = 0x0001;
const FORMAT_IEEE_FLOAT = 0x0003;
const FORMAT_EXTENSIBLE = 0xfffe;
/** Sizes streaming writers put in headers before they know the length. */
const STREAMING_SIZE_MIN = 0x7fff0000;

const INT16_SCALE = 32768;
const INT16_MAX = 32767;
const INT16_MIN = -32768;

/**
 * Text tags for a RIFF LIST/INFO chunk, by their four-character ids: `INAM` title, `IART`
 * artist, `ICMT` comment, `ISFT` software, `ICRD` creation date, `IPRD` product. ffprobe,
 * sox, Audacity and most players show them; readers that do not know LIST skip it.
 */
export type WavInfo = Partial<Record<'INAM' | 'IART' | 'ICMT' | 'ISFT' | 'ICRD' | 'IPRD' | 'IGNR', string>>;

const textEncoder = new TextEncoder();

/** The LIST/INFO chunk for `info` (each value NUL-terminated, padded to an even size), or empty. */
function infoChunk(info: WavInfo | undefined): Uint8Array {
  const entries = Object.entries(info ?? {}).filter(([, v]) => typeof v === 'string' && v.length > 0) as [
    string,
    string,
  ][];
  if (entries.length === 0) return new Uint8Array(0);
  const parts = entries.map(([id, text]) => {
    if (!/^[A-Z0-9]{4}$/.test(id)) throw new RangeError(`encodeWav: "${id}" is not a four-character INFO id`);
    const value = textEncoder.encode(text.replace(/\0/g, ''));
    const size = value.byteLength + 1; // NUL terminator
    const part = new Uint8Array(CHUNK_HEADER_BYTES + size + (size % 2));
    writeTag(part, 0, id);
    new DataView(part.buffer).setUint32(4, size, true);
    part.set(value, CHUNK_HEADER_BYTES);
    return part;
  });
  const body = 4 + parts.reduce((n, p) => n + p.byteLength, 0);
  const chunk = new Uint8Array(CHUNK_HEADER_BYTES + body);
  writeTag(chunk, 0, 'LIST');
  new DataView(chunk.buffer).setUint32(4, body, true);
  writeTag(chunk, 8, 'INFO');
  let at = 12;
  for (const part of parts) {
    chunk.set(part, at);
    at += part.byteLength;
  }
  return chunk;
}

/**
 * Encode mono float samples as a 16-bit PCM WAV. Samples are clamped to [-1, 1] and rounded.
 * `info` adds a LIST/INFO chunk (between fmt and data): provenance the studio writes into
 * every file it makes.
 */
export function encodeWav(pcm: Float32Array, sampleRateHz: number, info?: WavInfo): Uint8Array {
  if (!Number.isInteger(sampleRateHz) || sampleRateHz <= 0 || sampleRateHz > 0xffffffff) {
    throw new RangeError(`encodeWav: sample rate must be a positive integer, got ${sampleRateHz}`);
  }
  const bytesPerSample = 2;
  const dataBytes = pcm.length * bytesPerSample;
  const list = infoChunk(info);
  const headerBytes = WAV_HEADER_BYTES + list.byteLength;
  if (headerBytes + dataBytes > 0xffffffff) throw new RangeError('encodeWav: audio too long for a WAV file');
  const out = new Uint8Array(headerBytes + dataBytes);
  const view = new DataView(out.buffer);
  writeTag(out, 0, 'RIFF');
  view.setUint32(4, headerBytes - CHUNK_HEADER_BYTES + dataBytes, true);
  writeTag(out, 8, 'WAVE');
  writeTag(out, 12, 'fmt ');
  view.setUint32(16, PCM_FMT_CHUNK_BYTES, true);
  view.setUint16(20, FORMAT_PCM, true);
  view.setUint16(22, 1, true); // channels
  view.setUint32(24, sampleRateHz, true);
  view.setUint32(28, sampleRateHz * bytesPerSample, true); // byte rate
  view.setUint16(32, bytesPerSample, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  out.set(list, 36);
  writeTag(out, 36 + list.byteLength, 'data');
  view.setUint32(40 + list.byteLength, dataBytes, true);
  let offset = headerBytes;
  for (let i = 0; i < pcm.length; i++) {
    // Symmetric scaling by 32768 keeps the round-trip error <= 1/32768; clamping before the
    // integer conversion is what prevents +1.0 from wrapping round to -32768.
    const x = pcm[i] ?? 0;
    const scaled = Number.isNaN(x) ? 0 : Math.round(x * INT16_SCALE);
    view.setInt16(offset, Math.min(INT16_MAX, Math.max(INT16_MIN, scaled)), true);
    offset += bytesPerSample;
  }
  return out;
}

interface WavFormat {
  sampleFormat: 'int' | 'float';
  channelCount: number;
  sampleRateHz: number;
  blockAlignBytes: number;
  bitsPerSample: number;
}

/** Decode a WAV file into per-channel float arrays. Throws AudioFileError when it cannot. */
export function decodeWav(bytes: Uint8Array, options: DecodeWavOptions = {}): DecodedAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < RIFF_HEADER_BYTES)
    throw new AudioFileError('Not a WAV file: too short for a RIFF header');
  if (readTag(bytes, 0) !== 'RIFF' || readTag(bytes, 8) !== 'WAVE') {
    throw new AudioFileError(
      `Not a WAV file: expected RIFF/WAVE, found "${readTag(bytes, 0)}"/"${readTag(bytes, 8)}"`,
    );
  }
  let format: WavFormat | undefined;
  let offset = RIFF_HEADER_BYTES;
  // The RIFF size field is ignored: many writers get it wrong, the chunks are what count.
  while (offset + CHUNK_HEADER_BYTES <= bytes.byteLength) {
    const tag = readTag(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const bodyStart = offset + CHUNK_HEADER_BYTES;
    const remaining = bytes.byteLength - bodyStart;
    if (tag === 'fmt ') {
      if (size > remaining) throw new AudioFileError('Truncated WAV file: the fmt chunk is cut short');
      format = parseFormat(view, bodyStart, size);
    } else if (tag === 'data') {
      if (!format) throw new AudioFileError('Corrupt WAV file: data chunk before the fmt chunk');
      let dataBytes = size;
      if (size > remaining) {
        const placeholder = size >= STREAMING_SIZE_MIN;
        if (!placeholder && !options.allowTruncated) {
          throw new AudioFileError(
            `Truncated WAV file: the data chunk declares ${size} bytes but only ${remaining} remain`,
          );
        }
        dataBytes = remaining;
      }
      const totalFrames = Math.floor(dataBytes / format.blockAlignBytes);
      const maxFrames =
        options.maxSeconds === undefined ? totalFrames : Math.ceil(options.maxSeconds * format.sampleRateHz);
      const frames = Math.min(totalFrames, maxFrames);
      const channels = readSamples(view, bodyStart, frames * format.blockAlignBytes, format);
      if (format.sampleFormat === 'float' && channels.some((c) => !allFinite(c)))
        throw new NonFiniteSamplesError(
          'The WAV holds samples that are not numbers (NaN or infinite): the file is damaged',
        );
      return {
        sampleRateHz: format.sampleRateHz,
        channels,
        ...(frames < totalFrames ? { sourceSeconds: totalFrames / format.sampleRateHz } : {}),
      };
    }
    // Chunks are word-aligned: an odd-sized body is followed by one pad byte.
    offset = bodyStart + size + (size % 2);
  }
  throw new AudioFileError(format ? 'Corrupt WAV file: no data chunk' : 'Corrupt WAV file: no fmt chunk');
}

/** True when no sample is NaN or infinite. */
export function allFinite(samples: Float32Array): boolean {
  for (let i = 0; i < samples.length; i++) if (!Number.isFinite(samples[i])) return false;
  return true;
}

function parseFormat(view: DataView, start: number, size: number): WavFormat {
  if (size < PCM_FMT_CHUNK_BYTES) throw new AudioFileError(`Corrupt WAV file: fmt chunk of ${size} bytes`);
  let formatTag = view.getUint16(start, true);
  const channelCount = view.getUint16(start + 2, true);
  const sampleRateHz = view.getUint32(start + 4, true);
  const blockAlignBytes = view.getUint16(start + 12, true);
  const bitsPerSample = view.getUint16(start + 14, true);
  if (formatTag === FORMAT_EXTENSIBLE) {
    // cbSize(2) validBits(2) channelMask(4) then the sub-format GUID, whose first two bytes
    // are the ordinary format tag.
    if (size < 40)
      throw new AudioFileError('Corrupt WAV file: WAVE_FORMAT_EXTENSIBLE fmt chunk is too short');
    formatTag = view.getUint16(start + 24, true);
  }
  if (channelCount === 0) throw new AudioFileError('Corrupt WAV file: zero channels');
  if (sampleRateHz === 0) throw new AudioFileError('Corrupt WAV file: zero sample rate');
  let sampleFormat: WavFormat['sampleFormat'];
  if (formatTag === FORMAT_PCM && [8, 16, 24, 32].includes(bitsPerSample)) sampleFormat = 'int';
  else if (formatTag === FORMAT_IEEE_FLOAT && (bitsPerSample === 32 || bitsPerSample === 64))
    sampleFormat = 'float';
  else {
    throw new AudioFileError(
      `Unsupported WAV encoding: format 0x${formatTag.toString(16).padStart(4, '0')} with ${bitsPerSample} bits per sample ` +
        '(supported: PCM 8/16/24/32-bit, float 32/64-bit)',
    );
  }
  if (blockAlignBytes < (channelCount * bitsPerSample) / 8) {
    throw new AudioFileError(
      `Corrupt WAV file: block align ${blockAlignBytes} is too small for ${channelCount} x ${bitsPerSample}-bit`,
    );
  }
  return { sampleFormat, channelCount, sampleRateHz, blockAlignBytes, bitsPerSample };
}

type SampleReader = (view: DataView, byteOffset: number) => number;

function sampleReader(format: WavFormat): SampleReader {
  if (format.sampleFormat === 'float') {
    return format.bitsPerSample === 32 ? (v, o) => v.getFloat32(o, true) : (v, o) => v.getFloat64(o, true);
  }
  switch (format.bitsPerSample) {
    case 8:
      return (v, o) => (v.getUint8(o) - 128) / 128; // 8-bit WAV is unsigned, centred on 128
    case 16:
      return (v, o) => v.getInt16(o, true) / 32768;
    case 24:
      return (v, o) => ((v.getInt8(o + 2) << 16) | (v.getUint8(o + 1) << 8) | v.getUint8(o)) / 8388608;
    default:
      return (v, o) => v.getInt32(o, true) / 2147483648;
  }
}

function readSamples(view: DataView, start: number, dataBytes: number, format: WavFormat): Float32Array[] {
  const frameCount = Math.floor(dataBytes / format.blockAlignBytes);
  const bytesPerSample = format.bitsPerSample / 8;
  const read = sampleReader(format);
  const channels: Float32Array[] = [];
  for (let c = 0; c < format.channelCount; c++) {
    const samples = new Float32Array(frameCount);
    let offset = start + c * bytesPerSample;
    for (let i = 0; i < frameCount; i++) {
      samples[i] = read(view, offset);
      offset += format.blockAlignBytes;
    }
    channels.push(samples);
  }
  return channels;
}

function writeTag(out: Uint8Array, offset: number, tag: string): void {
  for (let i = 0; i < 4; i++) out[offset + i] = tag.charCodeAt(i);
}

function readTag(bytes: Uint8Array, offset: number): string {
  let tag = '';
  for (let i = 0; i < 4 && offset + i < bytes.byteLength; i++)
    tag += String.fromCharCode(bytes[offset + i] ?? 0);
  return tag;
}

/** Duration in seconds of `sampleCount` samples at `sampleRateHz`. */
export function durationSeconds(sampleCount: number, sampleRateHz: number): number {
  return sampleCount / sampleRateHz;
}

/** The LIST/INFO tags of a WAV (empty when it has none); unreadable files give an AudioFileError. */
export function readWavInfo(bytes: Uint8Array): Record<string, string> {
  if (bytes.byteLength < RIFF_HEADER_BYTES || readTag(bytes, 0) !== 'RIFF' || readTag(bytes, 8) !== 'WAVE')
    throw new AudioFileError('Not a WAV file (no RIFF/WAVE header)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder();
  const info: Record<string, string> = {};
  let offset = RIFF_HEADER_BYTES;
  while (offset + CHUNK_HEADER_BYTES <= bytes.byteLength) {
    const id = readTag(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + CHUNK_HEADER_BYTES;
    if (id === 'LIST' && size >= 4 && body + size <= bytes.byteLength && readTag(bytes, body) === 'INFO') {
      let at = body + 4;
      while (at + CHUNK_HEADER_BYTES <= body + size) {
        const tag = readTag(bytes, at);
        const length = view.getUint32(at + 4, true);
        if (at + CHUNK_HEADER_BYTES + length > body + size) break;
        info[tag] = decoder
          .decode(bytes.subarray(at + CHUNK_HEADER_BYTES, at + CHUNK_HEADER_BYTES + length))
          .replace(/\0+$/, '');
        at += CHUNK_HEADER_BYTES + length + (length % 2);
      }
    }
    offset = body + size + (size % 2);
  }
  return info;
}
