/**
 * The studio's WASM thread budget, in one place.
 *
 * One onnxruntime-web instance (the inference worker's) runs every model, one run at a time
 * (ort/session-scheduler.ts), so its thread pool is the only multi-threaded WASM in the app:
 *   - onnxruntime's pool: min(4, cores - 1) threads, at least 1 (and 1 when the page is not
 *     cross-origin isolated: no SharedArrayBuffer, no threads). Four is where Kokoro stops
 *     getting faster; one core is left for the page and the workers' own single threads.
 *   - everything else that runs WASM is single-threaded: eSpeak (the text frontend, in the
 *     inference worker, never at the same time as a run of its own worker), libfvad (GE2E's
 *     trim, likewise), RNNoise in the audio clean-up worker (`rnnoise-sync.js`: an Emscripten
 *     build without pthreads) — at most the one core left over.
 * So the WASM threads busy at once never exceed `cores` (navigator.hardwareConcurrency). The
 * clone worker phonemizes its probes and transcript through the inference worker
 * (`prepareText`), so eSpeak runs in that one worker only (an ESLint rule keeps it so).
 */

/** Cores assumed when the browser does not say (navigator.hardwareConcurrency is 0 or absent). */
export const UNKNOWN_CORES = 2;
/** More onnxruntime threads than this do not make Kokoro faster. */
export const MAX_ORT_THREADS = 4;

/** onnxruntime-web's `env.wasm.numThreads` for a device with `cores` logical cores. */
export function ortThreadCount(cores: number | undefined, crossOriginIsolated: boolean): number {
  if (!crossOriginIsolated) return 1;
  const known = cores && Number.isFinite(cores) && cores > 0 ? Math.floor(cores) : UNKNOWN_CORES;
  return Math.max(1, Math.min(MAX_ORT_THREADS, known - 1));
}

/**
 * WASM threads that can be busy at once: the onnxruntime pool plus at most one single-threaded
 * WASM module elsewhere (RNNoise in the clean-up worker). Never more than `cores` (given 2+).
 */
export function wasmThreadsAtOnce(cores: number | undefined, crossOriginIsolated: boolean): number {
  return ortThreadCount(cores, crossOriginIsolated) + 1;
}
