/**
 * Part-of-speech tags for the heteronyms misaki's lexicon keys by tag ("they live here" /
 * "live music", "to present a present", "he read it yesterday"). Kokoro's official pipeline
 * tags with spaCy (Penn Treebank tags); here the tagger is compromise (npm `compromise`, MIT,
 * pure JavaScript, no DOM), whose tags are mapped to the Penn tags misaki's lexicon uses:
 * VB, VBD, VBN, VBP, VBZ, VBG, NN, JJ, RB, DT, PRP.
 *
 * A word's reading then follows misaki's rule: the entry for the exact tag, else for its
 * parent (VB* -> VERB, NN* -> NOUN, JJ* -> ADJ, RB* -> ADV), else DEFAULT.
 */
import nlp from 'compromise/two';

/** Penn-style tags per word, `undefined` where the tagger said nothing usable. */
export interface PosTagger {
  tag(words: readonly string[]): (string | undefined)[];
}

/** misaki's `get_parent_tag`: the key a lexicon entry has when the exact tag is not there. */
export function parentTag(tag: string): string {
  if (tag.startsWith('VB')) return 'VERB';
  if (tag.startsWith('NN')) return 'NOUN';
  if (tag.startsWith('RB') || tag === 'RP') return 'ADV';
  if (tag.startsWith('JJ')) return 'ADJ';
  return tag;
}

/** The reading of a tag-keyed lexicon entry for `tag` (misaki's rule), or undefined for DEFAULT. */
export function readingForTag(
  byTag: Readonly<Record<string, string>>,
  tag: string | undefined,
): string | undefined {
  if (!tag) return undefined;
  if (Object.prototype.hasOwnProperty.call(byTag, tag)) return byTag[tag];
  const parent = parentTag(tag);
  return Object.prototype.hasOwnProperty.call(byTag, parent) ? byTag[parent] : undefined;
}

const AUXILIARY_BEFORE_PARTICIPLE = new Set([
  'have',
  'has',
  'had',
  'having',
  "'ve",
  'be',
  'is',
  'was',
  'were',
  'been',
  'being',
  'am',
  'are',
  "'s",
  "'re",
]);
const ARTICLES = new Set(['a', 'an', 'the']);
const BEFORE_BASE_FORM = new Set(['to', 'do', 'does', 'did', 'not', "n't", 'never', 'please', 'let']);

interface Term {
  text: string;
  tags: Set<string>;
}

/** One compromise term's Penn tag, given the term before it. */
export function pennTag(term: Term, prev: Term | undefined): string | undefined {
  const { tags } = term;
  const prevWord = prev?.text.toLowerCase();
  // "The dove flew": right after an article a verb reading is a misread noun.
  if (tags.has('Verb') && prevWord !== undefined && ARTICLES.has(prevWord) && !tags.has('Gerund'))
    return 'NN';
  if (tags.has('Verb')) {
    if (tags.has('Gerund')) return 'VBG';
    if (tags.has('PastTense') && tags.has('Participle'))
      return prevWord !== undefined && AUXILIARY_BEFORE_PARTICIPLE.has(prevWord) ? 'VBN' : 'VBD';
    if (tags.has('PastTense')) return 'VBD';
    if (tags.has('Participle')) return 'VBN';
    if (tags.has('Imperative')) return 'VB';
    if (tags.has('Infinitive')) {
      if (
        prev === undefined ||
        prev.tags.has('Modal') ||
        prev.tags.has('Auxiliary') ||
        (prevWord !== undefined && BEFORE_BASE_FORM.has(prevWord))
      )
        return 'VB';
      return 'VBP';
    }
    if (tags.has('PresentTense')) return 'VBZ';
    return 'VB';
  }
  if (tags.has('Determiner')) return 'DT';
  if (tags.has('Pronoun')) return 'PRP';
  if (tags.has('Adjective')) return 'JJ';
  if (tags.has('Adverb')) return 'RB';
  if (tags.has('Noun')) return 'NN';
  return undefined;
}

const comparable = (word: string) =>
  word
    .toLowerCase()
    .replace(/[\u2019]/g, "'")
    .replace(/[^\p{L}\p{N}']/gu, '');

interface CompromiseTerm {
  text: string;
  tags: string[];
}

/** The compromise tagger, run on one sentence's words (joined by spaces) at a time. */
export function createPosTagger(): PosTagger {
  return {
    tag(words) {
      const tags: (string | undefined)[] = new Array<string | undefined>(words.length).fill(undefined);
      if (words.length === 0) return tags;
      const sentences = nlp(words.join(' ')).json() as { terms: CompromiseTerm[] }[];
      const terms: Term[] = sentences.flatMap((s) =>
        s.terms.filter((t) => t.text.length > 0).map((t) => ({ text: t.text, tags: new Set(t.tags) })),
      );
      // Align terms to words in order; a word compromise split or merged is left untagged.
      let w = 0;
      for (let t = 0; t < terms.length && w < words.length; t++) {
        const term = terms[t]!;
        const text = comparable(term.text);
        let match = -1;
        for (let k = w; k < Math.min(words.length, w + 3); k++) {
          if (comparable(words[k]!) === text) {
            match = k;
            break;
          }
        }
        if (match < 0) continue;
        tags[match] = pennTag(term, terms[t - 1]);
        w = match + 1;
      }
      return tags;
    },
  };
}
