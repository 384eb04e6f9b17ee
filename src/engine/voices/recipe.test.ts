import { describe, expect, it } from 'vitest';
import { STOCK_VOICE_NAMES, readStockVoice } from '../../test-support/shared';
import { MissingVoicesError, combine } from './arithmetic';
import { applyDirections, builtInDirections, FEMALE_MALE, type VoiceDirection } from './directions';
import { parseExpression } from './expression';
import {
  RecipeError,
  applyRecipe,
  createRecipe,
  exportRecipe,
  importRecipe,
  validateRecipe,
  type VoiceRecipe,
} from './recipe';

const NAMES = ['af_bella', 'af_sky', 'am_adam', 'af_heart', 'bf_emma', 'am_michael', 'bm_lewis', 'bf_alice'];
const PACKS = new Map(STOCK_VOICE_NAMES.filter((n) => /^[ab]/.test(n)).map((n) => [n, readStockVoice(n)]));
const lookup = (voice: string): Float32Array | undefined => PACKS.get(voice);
const DIRECTIONS: VoiceDirection[] = builtInDirections(PACKS);
const DIRECTION_NAMES = DIRECTIONS.map((d) => d.name);

const RECIPE = createRecipe(
  'Bright narrator',
  parseExpression('af_bella - 0.5*af_sky + am_adam + timbre(0.25*bf_emma)'),
  'base-norm',
  [{ name: FEMALE_MALE, amount: 0.4 }],
);

describe('recipe round trip', () => {
  it('createRecipe writes the expression from the terms', () => {
    expect(RECIPE.expression).toBe('af_bella - 0.5*af_sky + am_adam + 0.25*timbre(bf_emma)');
    expect(RECIPE.version).toBe(1);
  });

  it('export then import gives the same recipe and the same pack', () => {
    const text = exportRecipe(RECIPE);
    const back = importRecipe(text, { voices: NAMES, directions: DIRECTION_NAMES });
    expect(back).toEqual(RECIPE);
    expect(exportRecipe(back)).toBe(text);
    const pack = applyRecipe(back, lookup, DIRECTIONS);
    const expected = applyDirections(combine(RECIPE.terms, lookup, { normalise: 'base-norm' }), [
      { direction: DIRECTIONS[0] as VoiceDirection, amount: 0.4 },
    ]);
    expect(pack).toEqual(expected);
  });

  it('keeps full-precision coefficients in terms while the expression is rounded', () => {
    const recipe = createRecipe('Thirds', [{ voice: 'af_heart', coefficient: 1 / 3, part: 'both' }], 'none');
    expect(recipe.expression).toBe('0.333333*af_heart');
    expect(importRecipe(exportRecipe(recipe)).terms[0]?.coefficient).toBe(1 / 3);
  });

  it('a hand-written recipe may omit terms: they come from the expression', () => {
    const recipe = importRecipe({
      version: 1,
      name: 'Quick',
      expression: '(af_heart + bf_emma)/2',
      normalise: 'sum-to-one',
    });
    expect(recipe.terms).toEqual([
      { voice: 'af_heart', coefficient: 0.5, part: 'both' },
      { voice: 'bf_emma', coefficient: 0.5, part: 'both' },
    ]);
    expect(recipe.directions).toEqual([]);
  });
});

describe('recipe import errors', () => {
  it('lists every voice the recipe names that is not available', () => {
    const recipe = { ...RECIPE, expression: 'af_bella + 0.5*"my clone" - af_nope', terms: undefined };
    try {
      importRecipe(JSON.stringify(recipe), { voices: NAMES });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MissingVoicesError);
      expect((error as MissingVoicesError).missing).toEqual(['my clone', 'af_nope']);
      expect((error as Error).message).toBe(
        "recipe 'Bright narrator' needs voices that are not available: my clone, af_nope",
      );
    }
  });

  it('lists unknown directions', () => {
    const recipe = {
      ...RECIPE,
      directions: [
        { name: 'older', amount: 1 },
        { name: 'breathy', amount: -1 },
      ],
    };
    expect(() => importRecipe(recipe, { voices: NAMES, directions: DIRECTION_NAMES })).toThrow(
      'recipe directions: unknown directions: older, breathy',
    );
    expect(() => applyRecipe(validateRecipe(recipe), lookup, DIRECTIONS)).toThrow(
      /unknown directions: older, breathy/,
    );
  });

  const base: VoiceRecipe = JSON.parse(exportRecipe(RECIPE)) as VoiceRecipe;
  const INVALID: { label: string; input: unknown; error: string | RegExp }[] = [
    { label: 'not JSON', input: '{"version": 1,', error: /recipe: not valid JSON/ },
    { label: 'not an object', input: '[1, 2]', error: 'recipe: must be a JSON object' },
    {
      label: 'future version',
      input: { ...base, version: 2 },
      error: 'recipe version: unsupported version 2, expected 1',
    },
    { label: 'blank name', input: { ...base, name: ' ' }, error: 'recipe name: must be a non-empty string' },
    {
      label: 'bad normalise',
      input: { ...base, normalise: 'average' },
      error: /recipe normalise: must be one of none, sum-to-one, base-norm/,
    },
    {
      label: 'bad expression',
      input: { ...base, expression: 'af_bella + (af_sky' },
      error: "recipe expression: missing ')' for '(' at 11",
    },
    {
      label: 'non-linear expression',
      input: { ...base, expression: 'af_bella * af_sky', terms: undefined },
      error: /not linear/,
    },
    {
      label: 'terms not an array',
      input: { ...base, terms: 'af_bella' },
      error: 'recipe terms: must be an array',
    },
    {
      label: 'empty terms',
      input: { ...base, expression: 'af_bella', terms: [] },
      error: 'recipe terms: must name at least one voice',
    },
    {
      label: 'coefficient not a number',
      input: { ...base, terms: [{ ...base.terms[0], coefficient: '1' }] },
      error: 'recipe terms[0].coefficient: must be a finite number',
    },
    {
      label: 'bad part',
      input: { ...base, terms: [{ ...base.terms[0], part: 'pitch' }] },
      error: /recipe terms\[0\].part: must be one of/,
    },
    {
      label: 'expression disagrees with terms',
      input: { ...base, expression: 'af_bella - 0.6*af_sky + am_adam + 0.25*timbre(bf_emma)' },
      error: /does not match terms 'af_bella - 0.5\*af_sky/,
    },
    {
      label: 'direction amount',
      input: { ...base, directions: [{ name: FEMALE_MALE, amount: null }] },
      error: 'recipe directions[0].amount: must be a finite number',
    },
  ];

  it.each(INVALID)('$label', ({ input, error }) => {
    expect(() => importRecipe(typeof input === 'string' ? input : JSON.stringify(input))).toThrow(
      RecipeError,
    );
    expect(() => importRecipe(typeof input === 'string' ? input : JSON.stringify(input))).toThrow(error);
  });
});

/** Recipes found by `npm run fuzz` (target recipe; see src/test-support/fuzz): RecipeErrors, not TypeErrors. */
describe('fuzz regressions', () => {
  const deep = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
  it.each([
    {
      label: 'a version object whose "toString" is an object (recipe-9602)',
      input: `{"version": {"toString": {}}, "name": "blend", "expression": "0.6*af_bella + 0.4*am_adam", "terms": [{"voice": "af_bella", "coefficient": 0.6, "part": "timbre"}, {"voice": "am_adam", "coefficient": 0.4, "part": "both"}], "normalise": "sum-to-one", "directions": []}`,
      error: 'recipe version: unsupported version an object, expected 1',
    },
    {
      label: 'a version object whose "toString" is a number (recipe-8220, minimized)',
      input: '{"version": {"-": -8043.69, "toString": 1.7976931348623157e+308}}',
      error: 'recipe version: unsupported version an object, expected 1',
    },
    {
      label: 'a version nested 100,000 arrays deep',
      input: `{"version": ${deep(100_000)}, "name": "x"}`,
      error: 'recipe version: unsupported version an array, expected 1',
    },
  ])('$label', ({ input, error }) => {
    let caught: unknown;
    try {
      importRecipe(input);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RecipeError);
    expect((caught as RecipeError).message).toBe(error);
  });

  it('still names a wrong primitive version', () => {
    expect(() => importRecipe('{"version": "1"}')).toThrow(
      'recipe version: unsupported version 1, expected 1',
    );
  });
});
