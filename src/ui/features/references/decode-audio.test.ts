import { describe, expect, it } from 'vitest';
import { AudioDecodeError, checkUploadSize, decodeAudio, MAX_UPLOAD_BYTES } from './decode-audio';

describe('upload limits', () => {
  it('refuses a file over the size limit before reading it, saying the limit', () => {
    expect(() => checkUploadSize(MAX_UPLOAD_BYTES, '“ok.wav”')).not.toThrow();
    expect(() => checkUploadSize(MAX_UPLOAD_BYTES + 1, '“hour.wav”')).toThrow(AudioDecodeError);
    expect(() => checkUploadSize(700 * 1024 * 1024, '“hour.wav”')).toThrow(
      /“hour\.wav” is 700 MB; Timbre reads files up to 256 MB/,
    );
  });

  it('reads only the start of a long WAV and keeps its full length', async () => {
    const rate = 8000;
    const seconds = 400;
    const header = new DataView(new ArrayBuffer(44));
    const dataBytes = rate * seconds * 2;
    const bytes = new Uint8Array(44 + dataBytes);
    const tag = (at: number, text: string) =>
      [...text].forEach((c, i) => header.setUint8(at + i, c.charCodeAt(0)));
    tag(0, 'RIFF');
    header.setUint32(4, 36 + dataBytes, true);
    tag(8, 'WAVEfmt ');
    header.setUint32(16, 16, true);
    header.setUint16(20, 1, true);
    header.setUint16(22, 1, true);
    header.setUint32(24, rate, true);
    header.setUint32(28, rate * 2, true);
    header.setUint16(32, 2, true);
    header.setUint16(34, 16, true);
    tag(36, 'data');
    header.setUint32(40, dataBytes, true);
    bytes.set(new Uint8Array(header.buffer), 0);
    const decoded = await decodeAudio(bytes.buffer, '“long.wav”');
    expect(decoded.sourceS).toBe(seconds);
    expect(decoded.channels[0]!.length).toBe(301 * rate);
  });
});
