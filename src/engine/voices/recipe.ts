/**
 * Voice recipes: a blend saved as JSON, small enough to share, rebuilt from the packs it names.
 *
 * `terms` are the exact truth (full-precision coefficients); `expression` is the same blend as
 * text for people (formatTerms, 6 significant digits). On import the two must agree; a
 * hand-written recipe may leave `terms` out and have them parsed from `expression`.
 * Direction amounts refer to directions by name (built-in or user-saved), applied after the blend.
 */
import { MissingVoicesError, NORMALISE_MODES, combine, type Normalise, type VoiceLookup } from './arithmetic';
import { applyDirections, type DirectionAmount, type VoiceDirection } from './directions';
import { ExpressionError, formatTerms, mergeTerms, parseExpression, type Term } from './expression';
import type { VoicePart } from './pack';
import type { FileProvenance } from '../provenance';

export const RECIPE_VERSION = 1;

export interface VoiceRecipe {
  version: 1;
  name: string;
  expression: string;
  terms: Term[];
  normalise: Normalise;
  directions: DirectionAmount[];
  /** Who made it and from what (written by Timbre; kept on import, never needed to rebuild). */
  provenance?: FileProvenance;
}

const PROVENANCE_KEYS = ['software', 'model', 'origin', 'voice', 'created'] as const;
const MAX_PROVENANCE_FIELD_CHARS = 500;

/**
 * A recipe's provenance: the known string fields, or undefined when it is missing or malformed
 * (it is a label, never needed to rebuild the voice: a recipe from another tool still imports).
 */
function readProvenance(value: unknown): FileProvenance | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, string> = {};
  for (const key of PROVENANCE_KEYS) {
    const field = value[key];
    if (typeof field !== 'string' || field.length > MAX_PROVENANCE_FIELD_CHARS) return undefined;
    out[key] = field;
  }
  return out as unknown as FileProvenance;
}

export interface RecipeImportOptions {
  /** Voices available now; names outside it fail with MissingVoicesError listing all of them. */
  voices?: Iterable<string>;
  /** Directions available now; unknown names fail with RecipeError listing all of them. */
  directions?: Iterable<string>;
}

/** A malformed recipe; `field` says where (e.g. `terms[2].coefficient`). */
export class RecipeError extends Error {
  override name = 'RecipeError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(field ? `recipe ${field}: ${message}` : `recipe: ${message}`);
  }
}

const PARTS: readonly VoicePart[] = ['both', 'timbre', 'prosody'];
/** Relative tolerance between `terms` and the 6-significant-digit `expression`. */
const COEFFICIENT_TOLERANCE = 1e-5;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readTerm(value: unknown, field: string): Term {
  if (!isRecord(value)) throw new RecipeError('must be an object', field);
  const { voice, coefficient, part } = value;
  if (typeof voice !== 'string' || voice.trim() === '')
    throw new RecipeError('must be a voice name', `${field}.voice`);
  if (typeof coefficient !== 'number' || !Number.isFinite(coefficient)) {
    throw new RecipeError('must be a finite number', `${field}.coefficient`);
  }
  const termPart = part ?? 'both';
  if (!PARTS.includes(termPart as VoicePart))
    throw new RecipeError(`must be one of ${PARTS.join(', ')}`, `${field}.part`);
  return { voice, coefficient, part: termPart as VoicePart };
}

function readDirection(value: unknown, field: string): DirectionAmount {
  if (!isRecord(value)) throw new RecipeError('must be an object', field);
  const { name, amount } = value;
  if (typeof name !== 'string' || name === '')
    throw new RecipeError('must be a direction name', `${field}.name`);
  if (typeof amount !== 'number' || !Number.isFinite(amount))
    throw new RecipeError('must be a finite number', `${field}.amount`);
  return { name, amount };
}

function termsAgree(a: readonly Term[], b: readonly Term[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((term, i) => {
    const other = b[i] as Term;
    const tolerance = COEFFICIENT_TOLERANCE * Math.max(1, Math.abs(term.coefficient));
    return (
      term.voice === other.voice &&
      term.part === other.part &&
      Math.abs(term.coefficient - other.coefficient) <= tolerance
    );
  });
}

function parseRecipeExpression(expression: string): Term[] {
  try {
    return parseExpression(expression);
  } catch (error) {
    if (error instanceof ExpressionError) throw new RecipeError(error.message, 'expression');
    throw error;
  }
}

/**
 * A version value for a message. Objects and arrays by kind only: String() of one may call a
 * "toString" key the JSON set to a number, or recurse too deep for the stack.
 */
function describeVersion(version: unknown): string {
  if (Array.isArray(version)) return 'an array';
  if (typeof version === 'object' && version !== null) return 'an object';
  return String(version);
}

/** Checks shape and consistency (not availability of voices); returns a clean copy. */
export function validateRecipe(value: unknown): VoiceRecipe {
  if (!isRecord(value)) throw new RecipeError('must be a JSON object');
  if (value.version !== RECIPE_VERSION)
    throw new RecipeError(
      `unsupported version ${describeVersion(value.version)}, expected ${RECIPE_VERSION}`,
      'version',
    );
  const { name, expression, normalise } = value;
  if (typeof name !== 'string' || name.trim() === '')
    throw new RecipeError('must be a non-empty string', 'name');
  if (typeof expression !== 'string') throw new RecipeError('must be a string', 'expression');
  if (!NORMALISE_MODES.includes(normalise as Normalise)) {
    throw new RecipeError(`must be one of ${NORMALISE_MODES.join(', ')}`, 'normalise');
  }
  const parsed = parseRecipeExpression(expression);
  let terms: Term[];
  if (value.terms === undefined) terms = parsed;
  else {
    if (!Array.isArray(value.terms)) throw new RecipeError('must be an array', 'terms');
    terms = value.terms.map((term, i) => readTerm(term, `terms[${i}]`));
    if (terms.length === 0) throw new RecipeError('must name at least one voice', 'terms');
    if (!termsAgree(mergeTerms(terms), parsed)) {
      throw new RecipeError(
        `expression '${expression}' does not match terms '${formatTerms(terms)}'`,
        'expression',
      );
    }
  }
  const rawDirections = value.directions ?? [];
  if (!Array.isArray(rawDirections)) throw new RecipeError('must be an array', 'directions');
  const directions = rawDirections.map((d, i) => readDirection(d, `directions[${i}]`));
  const provenance = readProvenance(value.provenance);
  return {
    version: RECIPE_VERSION,
    name,
    expression,
    terms,
    normalise: normalise as Normalise,
    directions,
    ...(provenance ? { provenance } : {}),
  };
}

/** A recipe for `terms`, its expression written by formatTerms. */
export function createRecipe(
  name: string,
  terms: readonly Term[],
  normalise: Normalise,
  directions: readonly DirectionAmount[] = [],
): VoiceRecipe {
  return validateRecipe({
    version: RECIPE_VERSION,
    name,
    expression: formatTerms(terms),
    terms,
    normalise,
    directions,
  });
}

/** Pretty JSON for a recipe (validated first). */
export function exportRecipe(recipe: VoiceRecipe): string {
  return `${JSON.stringify(validateRecipe(recipe), null, 2)}\n`;
}

function unique(names: Iterable<string>): string[] {
  return [...new Set(names)];
}

/**
 * Parses and validates recipe JSON (text or an already-parsed value). With `options.voices`,
 * every voice must be available (MissingVoicesError lists all missing ones); with
 * `options.directions`, likewise for direction names.
 */
export function importRecipe(input: unknown, options: RecipeImportOptions = {}): VoiceRecipe {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new RecipeError(`not valid JSON (${(error as Error).message})`);
    }
  }
  const recipe = validateRecipe(value);
  if (options.voices) {
    const available = new Set(options.voices);
    const missing = unique(recipe.terms.map((term) => term.voice)).filter((voice) => !available.has(voice));
    if (missing.length > 0) throw new MissingVoicesError(missing, `recipe '${recipe.name}'`);
  }
  if (options.directions) {
    const available = new Set(options.directions);
    const missing = unique(recipe.directions.map((d) => d.name)).filter((name) => !available.has(name));
    if (missing.length > 0)
      throw new RecipeError(
        `unknown direction${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}`,
        'directions',
      );
  }
  return recipe;
}

/** The pack a recipe describes: combine its terms, then move along its directions. */
export function applyRecipe(
  recipe: VoiceRecipe,
  lookup: VoiceLookup,
  directions: readonly VoiceDirection[] = [],
): Float32Array {
  const blended = combine(recipe.terms, lookup, { normalise: recipe.normalise });
  const missing = recipe.directions
    .filter((d) => !directions.some((known) => known.name === d.name))
    .map((d) => d.name);
  if (missing.length > 0)
    throw new RecipeError(
      `unknown direction${missing.length === 1 ? '' : 's'}: ${unique(missing).join(', ')}`,
      'directions',
    );
  const moves = recipe.directions.map((d) => ({
    direction: directions.find((known) => known.name === d.name) as VoiceDirection,
    amount: d.amount,
  }));
  return moves.length === 0 ? blended : applyDirections(blended, moves);
}
