/**
 * What a clone costs on this device, from timings made on the fixed probes: the preparation
 * (ranking + the instant map's training) and a search evaluation, and the same priced for a
 * target probe of another length (a reference's transcript: its first words). Pure; the clone
 * worker times, the Clone tab prices budgets with it.
 */

/** What a job's preparation costs, from timings of one evaluation and one target rendering. */
export interface SetupCostInput {
  stockCount: number;
  blendCount: number;
  /** One full evaluation: target rendering (with features) + self rendering. */
  msPerEvaluation: number;
  /** One target rendering with features (a map-training sample). */
  msPerTargetRendering: number;
  /** One measurement-cache lookup. */
  msPerCacheLookup: number;
}

/**
 * Cold: every stock voice is evaluated (ranking), every training rendering made, and the
 * instant pack scored. Warm: the ranking comes from the cache (two lookups per stock voice,
 * one more per stock voice when the map picks its anchors), but the training renderings are
 * made again (their blends depend on the reference), and the instant pack is still scored.
 */
export function estimateSetupMs(input: SetupCostInput): { cold: number; warm: number } {
  const training = input.blendCount * input.msPerTargetRendering;
  const cold = input.stockCount * input.msPerEvaluation + training + input.msPerEvaluation;
  const warm = 3 * input.stockCount * input.msPerCacheLookup + training + input.msPerEvaluation;
  return { cold, warm };
}

/** Timings measured on the fixed probes (the clone worker's speed estimate). */
export interface MeasuredCost extends SetupCostInput {
  /** Tokens of the fixed target probe the timings rendered. */
  targetProbeTokens: number;
}

/**
 * The cost of a job whose target probe has `targetTokens` tokens: the target rendering (and its
 * encoder run) scaled by its length in tokens, the self rendering unchanged. Kokoro's run and
 * the encoder both grow about linearly with the audio, and the audio with the tokens; a fixed
 * part per rendering makes short probes a little dearer than this says. `targetTokens`
 * undefined or 0 (no transcript): the fixed probe's own cost.
 */
export function costForTargetProbe(
  measured: MeasuredCost,
  targetTokens: number | undefined,
): { msPerEvaluation: number; setupMsCold: number; setupMsWarm: number } {
  const scale =
    targetTokens && targetTokens > 0 && measured.targetProbeTokens > 0
      ? targetTokens / measured.targetProbeTokens
      : 1;
  const msPerTargetRendering = measured.msPerTargetRendering * scale;
  const msPerEvaluation = measured.msPerEvaluation + msPerTargetRendering - measured.msPerTargetRendering;
  const setup = estimateSetupMs({ ...measured, msPerEvaluation, msPerTargetRendering });
  return { msPerEvaluation, setupMsCold: setup.cold, setupMsWarm: setup.warm };
}
