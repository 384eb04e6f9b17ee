/** What the studio says about itself in the files it writes. */
import type { WavInfo } from '../engine/audio/wav';
import {
  fileProvenance,
  speechProvenance,
  type FileProvenance,
  type VoiceOrigin,
} from '../engine/provenance';

declare const __TIMBRE_VERSION__: string;

/** "Timbre 0.1.0" (the version from package.json, set at build time). */
export const SOFTWARE = `Timbre ${typeof __TIMBRE_VERSION__ === 'string' ? __TIMBRE_VERSION__ : 'dev'}`;

/** Provenance tags for a WAV of synthetic speech in `origin`'s voice. */
export function wavProvenance(origin: VoiceOrigin, title?: string): WavInfo {
  return speechProvenance({ software: SOFTWARE, origin, ...(title ? { title } : {}) });
}

/** Provenance for a voice file or recipe of a voice from `origin`. */
export function voiceFileProvenance(origin: VoiceOrigin): FileProvenance {
  return fileProvenance({ software: SOFTWARE, origin });
}
