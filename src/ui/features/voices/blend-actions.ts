/**
 * The arithmetic panel's state: slider rows and the text expression kept in sync both ways,
 * normalisation, the half the blend acts on, direction amounts; and the resulting pack.
 *
 * The result is always built through a recipe (createRecipe + applyRecipe), so a recipe
 * exported from the panel rebuilds exactly the voice that was heard.
 */
import { MissingVoicesError, termsForPart, type Normalise } from '../../../engine/voices/arithmetic';
import { float32Checksum } from '../../../engine/voices/checksum';
import { ExpressionError, formatTerms, parseExpression, type Term } from '../../../engine/voices/expression';
import type { VoicePart } from '../../../engine/voices/pack';
import { applyRecipe, createRecipe, type VoiceRecipe } from '../../../engine/voices/recipe';
import { studio } from '../../store/studio-store';
import type { BlendRow } from '../../store/slices/voices';
import { availableDirections, ensureBuiltInDirections, isBuiltInDirection } from './directions-actions';
import { ensureStockPacks, packByName, voiceNames } from './pack-registry';
import { clearResultPreview, previewResult } from './preview';

export const COEFFICIENT_MIN = -2;
export const COEFFICIENT_MAX = 2;
export const COEFFICIENT_STEP = 0.05;

let resultPack: Float32Array | undefined;
let computeSeq = 0;

export function currentResultPack(): Float32Array | undefined {
  return resultPack;
}

function nextRowId(rows: readonly BlendRow[]): number {
  return rows.reduce((max, row) => Math.max(max, row.id), 0) + 1;
}

export function rowsToTerms(rows: readonly BlendRow[]): Term[] {
  return rows.map(({ voice, coefficient, part }) => ({ voice, coefficient, part }));
}

function termsToRows(terms: readonly Term[], previous: readonly BlendRow[]): BlendRow[] {
  let id = nextRowId(previous);
  return terms.map((term, index) => ({ ...term, id: previous[index]?.id ?? id++ }));
}

function commitRows(rows: BlendRow[]): void {
  studio.set({
    blendRows: rows,
    blendExpression: formatTerms(rowsToTerms(rows)),
    blendExpressionProblem: undefined,
  });
  void recomputeBlend();
}

/** Adds a row: the given voice, or the first stock voice not used yet. */
export function addRow(voice?: string): void {
  const rows = studio.get().blendRows;
  const used = new Set(rows.map((row) => row.voice));
  const chosen = voice ?? voiceNames().find((name) => !used.has(name)) ?? voiceNames()[0];
  if (!chosen) return;
  const coefficient = rows.length === 0 ? 1 : 0.5;
  commitRows([...rows, { id: nextRowId(rows), voice: chosen, coefficient, part: 'both' }]);
}

export function updateRow(id: number, patch: Partial<Omit<BlendRow, 'id'>>): void {
  const rows = studio.get().blendRows.map((row) => (row.id === id ? { ...row, ...patch } : row));
  commitRows(rows);
}

export function removeRow(id: number): void {
  commitRows(studio.get().blendRows.filter((row) => row.id !== id));
}

export function clearRows(): void {
  commitRows([]);
}

/** The user typed in the expression: rows follow when it parses; otherwise the problem is shown in place. */
export function setExpressionText(text: string): void {
  studio.set({ blendExpression: text });
  const names = voiceNames();
  try {
    const terms = text.trim() === '' ? [] : parseExpression(text, names.length > 0 ? { voices: names } : {});
    studio.set({ blendRows: termsToRows(terms, studio.get().blendRows), blendExpressionProblem: undefined });
    void recomputeBlend();
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    studio.set({
      blendExpressionProblem: { message: error.message, offset: error.offset, length: error.length },
    });
  }
}

export function setNormalise(normalise: Normalise): void {
  studio.set({ blendNormalise: normalise });
  void recomputeBlend();
}

export function setBlendPart(part: VoicePart): void {
  studio.set({ blendPart: part });
  void recomputeBlend();
}

export function setDirectionAmount(name: string, amount: number): void {
  studio.set({ directionAmounts: { ...studio.get().directionAmounts, [name]: amount } });
  void recomputeBlend();
}

/** One gesture: A's timbre (decoder half) with B's prosody (predictor half). */
export function timbreOfProsodyOf(a: string, b: string): void {
  const rows = studio.get().blendRows;
  const id = nextRowId(rows);
  studio.set({ blendNormalise: 'none', blendPart: 'both' });
  commitRows([
    { id, voice: a, coefficient: 1, part: 'timbre' },
    { id: id + 1, voice: b, coefficient: 1, part: 'prosody' },
  ]);
}

/** A library voice was renamed: rows that used the old name follow it. */
export function renameInBlend(oldName: string, newName: string): void {
  const rows = studio.get().blendRows;
  if (!rows.some((row) => row.voice === oldName)) return;
  commitRows(rows.map((row) => (row.voice === oldName ? { ...row, voice: newName } : row)));
}

export function loadRecipeIntoBlend(recipe: VoiceRecipe): void {
  const rows = termsToRows(recipe.terms, []);
  const directionAmounts: Record<string, number> = {};
  for (const d of recipe.directions) directionAmounts[d.name] = d.amount;
  studio.set({ blendNormalise: recipe.normalise, blendPart: 'both', directionAmounts });
  commitRows(rows);
}

/** The panel's state as a recipe (the result-level half folded into the terms). */
export function currentRecipe(name: string): VoiceRecipe {
  const { blendRows, blendNormalise, blendPart, directionAmounts } = studio.get();
  const terms = termsForPart(rowsToTerms(blendRows), blendPart);
  const directions = Object.entries(directionAmounts)
    .filter(([, amount]) => amount !== 0)
    .map(([directionName, amount]) => ({ name: directionName, amount }));
  return createRecipe(name, terms, blendNormalise, directions);
}

/** Loads what a recipe needs (stock packs, built-in directions) and builds its pack. */
export async function buildRecipe(recipe: VoiceRecipe): Promise<Float32Array> {
  await ensureStockPacks(recipe.terms.map((term) => term.voice));
  if (recipe.directions.some((d) => isBuiltInDirection(d.name))) await ensureBuiltInDirections();
  return applyRecipe(recipe, packByName, availableDirections());
}

/** A blend error as a sentence for people. */
export function blendProblemText(error: unknown): string {
  if (error instanceof MissingVoicesError) {
    return `The blend uses voice${error.missing.length === 1 ? '' : 's'} not in the library: ${error.missing.join(', ')}.`;
  }
  const text = error instanceof Error ? error.message : String(error);
  const sentence = text.replace(/^(combine|applyDirections|recipe[^:]*):\s*/, '');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1) + (/[.!?]$/.test(sentence) ? '' : '.');
}

/**
 * Rebuilds the result from the panel and sends it to the live preview; `play: false` renders
 * without sound (the blend restored after a reload, before the user touched anything).
 */
export async function recomputeBlend(options: { play?: boolean } = {}): Promise<void> {
  const seq = ++computeSeq;
  const { blendRows, phase } = studio.get();
  // Stock packs come from the worker; before it is ready the blend cannot be built yet.
  if (phase !== 'ready') return;
  if (blendRows.length === 0 || blendRows.every((row) => row.coefficient === 0)) {
    resultPack = undefined;
    clearResultPreview();
    studio.set({
      blendChecksum: undefined,
      blendError:
        blendRows.length === 0 ? undefined : 'Every coefficient is 0: move a slider to hear the blend.',
    });
    return;
  }
  try {
    const recipe = currentRecipe('Blend');
    const pack = await buildRecipe(recipe);
    if (seq !== computeSeq) return;
    resultPack = pack;
    studio.set({ blendChecksum: float32Checksum(pack), blendError: undefined });
    previewResult(pack, options.play ?? true);
  } catch (error) {
    if (seq !== computeSeq) return;
    resultPack = undefined;
    clearResultPreview();
    studio.set({ blendChecksum: undefined, blendError: blendProblemText(error) });
  }
}
