/**
 * Pure rules of the voice library: what a voice may be called (names double as identifiers
 * in voice expressions and recipes, so they must be unique across stock and user voices),
 * tags, and the library filter.
 */

/** Where a library voice came from; stock voices come from the model manifest. */
export type VoiceKind = 'stock' | 'blend' | 'clone' | 'import' | 'duplicate';
export const VOICE_KINDS: readonly VoiceKind[] = ['stock', 'blend', 'clone', 'import', 'duplicate'];

export const MAX_VOICE_NAME_LENGTH = 60;
export const MAX_TAGS = 12;
export const MAX_TAG_LENGTH = 24;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why `name` cannot name a voice (given the names already taken), or undefined if it can. */
export function voiceNameProblem(name: string, taken: Iterable<string>): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'A voice needs a name.';
  if (trimmed !== name) return 'A voice name cannot start or end with spaces.';
  if (name.length > MAX_VOICE_NAME_LENGTH)
    return `A voice name can have at most ${MAX_VOICE_NAME_LENGTH} characters.`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'A voice name cannot contain control characters.';
  const lower = name.toLowerCase();
  for (const other of taken) {
    if (other.toLowerCase() === lower) return `There is already a voice called “${other}”.`;
  }
  return undefined;
}

/**
 * `wanted` if free, else the first free of `wanted_2`, `wanted_3`, ... (identifier names stay
 * identifiers, so they need no quotes in expressions) or `wanted 2`, ... for other names.
 * Comparison ignores case, like voiceNameProblem.
 */
export function uniqueVoiceName(wanted: string, taken: Iterable<string>): string {
  const base = wanted.trim().slice(0, MAX_VOICE_NAME_LENGTH - 4) || 'voice';
  const used = new Set([...taken].map((name) => name.toLowerCase()));
  if (!used.has(base.toLowerCase())) return base;
  const separator = IDENTIFIER.test(base) ? '_' : ' ';
  for (let n = 2; ; n++) {
    const candidate = `${base}${separator}${n}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}

/** Tags from comma-separated text: trimmed, lower-cased, unique, non-empty, bounded. */
export function parseTags(text: string): string[] {
  const tags: string[] = [];
  for (const raw of text.split(',')) {
    const tag = raw.trim().toLowerCase().slice(0, MAX_TAG_LENGTH);
    if (tag && !tags.includes(tag)) tags.push(tag);
  }
  return tags.slice(0, MAX_TAGS);
}

export interface VoiceFilter {
  /** Matched (case-insensitively) against the name, the id and the tags. */
  text: string;
  /** '' = any tag. */
  tag: string;
  /** 'all' = any kind. */
  kind: VoiceKind | 'all';
}

export interface FilterableVoice {
  name: string;
  id?: string;
  tags: readonly string[];
  kind: VoiceKind;
}

export function matchesVoiceFilter(voice: FilterableVoice, filter: VoiceFilter): boolean {
  if (filter.kind !== 'all' && voice.kind !== filter.kind) return false;
  if (filter.tag && !voice.tags.includes(filter.tag)) return false;
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = [voice.name, voice.id ?? '', ...voice.tags].join(' ').toLowerCase();
  return words.every((word) => haystack.includes(word));
}
