import type { LanguageCode, VoiceEntry } from '../../engine/models/manifest';
import type { Dialect } from '../../workers/protocol';

export const LANGUAGE_NAMES: Record<LanguageCode, string> = {
  'en-us': 'American English',
  'en-gb': 'British English',
  es: 'Spanish',
  fr: 'French',
  hi: 'Hindi',
  it: 'Italian',
  ja: 'Japanese',
  'pt-br': 'Brazilian Portuguese',
  zh: 'Mandarin Chinese',
};

export interface VoiceGroup {
  label: string;
  voices: VoiceEntry[];
}

/** Groups by language then gender, English first, best grades first within a group. */
export function groupVoices(voices: readonly VoiceEntry[]): VoiceGroup[] {
  const order = Object.keys(LANGUAGE_NAMES) as LanguageCode[];
  const groups: VoiceGroup[] = [];
  for (const language of order) {
    for (const gender of ['female', 'male'] as const) {
      const members = voices
        .filter((v) => v.language === language && v.gender === gender)
        .sort((a, b) => gradeRank(a.grade) - gradeRank(b.grade) || byName(a.name, b.name));
      if (members.length) {
        groups.push({
          label: `${LANGUAGE_NAMES[language]} · ${gender === 'female' ? 'Female' : 'Male'}`,
          voices: members,
        });
      }
    }
  }
  return groups;
}

/**
 * Code-point order. Kokoro's voice names are plain ASCII words; `localeCompare`'s first call
 * builds an ICU collator, 17 ms of the main thread in the render that shows the voice list
 * (profiled on the real models).
 */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const GRADES = ['A+', 'A', 'A-', 'B+', 'B', 'B-', 'C+', 'C', 'C-', 'D+', 'D', 'D-', 'F+', 'F', 'F-'];
export function gradeRank(grade: string | undefined): number {
  const i = grade ? GRADES.indexOf(grade) : -1;
  return i < 0 ? GRADES.length : i;
}

/** The English text frontend's dialect for a voice: British voices get British English. */
export function dialectForVoice(voiceId: string): Dialect {
  return voiceId.startsWith('b') ? 'en-gb' : 'en-us';
}
