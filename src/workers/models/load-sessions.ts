/**
 * Loading a manifest model into an onnxruntime-web session the way every worker does it:
 * bytes through the model store (cache, checks, byte progress), WebGPU when asked for (or
 * 'auto') and an adapter exists, WASM otherwise, and WASM again when WebGPU cannot create
 * (or warm up) the session. Also stock voice packs through the same store.
 * Used by the inference worker (tts.worker.ts), the one worker that opens sessions; the
 * backend policy of every feature is planBackend's one rule.
 */
import type * as ort from 'onnxruntime-web';
import type { ModelVariant } from '../../engine/models/manifest';
import type { ProgressCallback } from '../../engine/progress';
import type { Backend } from '../../engine/tts/types';
import type { BackendChoice } from '../protocol';
import {
  KokoroContractError,
  KokoroSessionRunner,
  type KokoroSession,
  type TensorConstructor,
} from '../ort/kokoro-runner';
import { loadedOrt, createSession, errorText, webGpuProbe } from '../ort/runtime';

export interface BackendPlan {
  backend: Backend;
  webgpuAvailable: boolean;
  /** Set when WebGPU was asked for (or chosen by 'auto') but there is no adapter. */
  fallbackReason?: string;
}

interface AdapterLike {
  info?: { isFallbackAdapter?: boolean; architecture?: string };
  isFallbackAdapter?: boolean;
}

/** True when the WebGPU adapter is a software renderer (SwiftShader): far slower than WASM for Kokoro. */
export async function hasOnlySoftwareWebGpu(): Promise<boolean> {
  const probe = await webGpuProbe();
  if (probe.kind !== 'adapter') return false;
  const adapter = probe.adapter as AdapterLike;
  return (
    adapter.info?.isFallbackAdapter === true ||
    adapter.isFallbackAdapter === true ||
    adapter.info?.architecture === 'swiftshader'
  );
}

/** The models the inference worker runs: each gets its backend from planBackend's one rule. */
export type ModelKind = 'kokoro' | 'speaker-encoder' | 'ge2e';

export interface PlanOptions {
  /**
   * The fallback reason when there is no adapter, from the probe's reason (a phrase such as
   * "this browser or device offers no WebGPU adapter"). Default: "…, so the models run on the CPU."
   * Wording only: the rule is the same for every caller.
   */
  noAdapterReason?: (probeReason: string) => string;
}

/** Why 'auto' leaves a software adapter alone (the UI shows it after "Running on WASM: "). */
export const SOFTWARE_ADAPTER_REASON =
  'the only WebGPU adapter is a software renderer (slower than the CPU path), so the models run on WASM.';
/** Why GE2E runs on WASM when WebGPU was asked for. */
export const GE2E_WASM_REASON = 'GE2E runs on WASM: WebGPU has no LSTM kernels';

/**
 * The backend policy of the whole studio, one rule for every feature (Speak, the Voices
 * preview, the References analysis, the Clone search), applied in the inference worker, the
 * one place sessions are opened (so one model never gets two sessions on two backends):
 *
 * | model           | 'wasm' | 'webgpu'                         | 'auto'                                              |
 * | --------------- | ------ | -------------------------------- | --------------------------------------------------- |
 * | kokoro          | WASM   | WebGPU if any adapter, else WASM | WebGPU on a hardware adapter; WASM with none or a software one (SwiftShader: one fixture rendering ~70 s against ~1 s on WASM) |
 * | speaker-encoder | WASM   | WebGPU if any adapter, else WASM | WASM (a small model)                                |
 * | ge2e            | WASM   | WASM (no LSTM kernels on WebGPU) | WASM                                                |
 *
 * (Under 'auto' and 'webgpu' the first session of any model waits for the adapter probe once,
 * since Kokoro's plan also picks which onnxruntime build the worker loads: ort/runtime.ts.)
 * A WebGPU session that then fails to start or to warm up runs on WASM instead
 * (withWasmFallback), and a WebGPU Kokoro that renders bad audio mid-run is replaced by WASM.
 */
export async function planBackend(
  choice: BackendChoice,
  model: ModelKind = 'kokoro',
  options: PlanOptions = {},
): Promise<BackendPlan> {
  if (model === 'ge2e') {
    return {
      backend: 'wasm',
      webgpuAvailable: false,
      ...(choice === 'webgpu' ? { fallbackReason: GE2E_WASM_REASON } : {}),
    };
  }
  if (model === 'speaker-encoder' && choice !== 'webgpu') return { backend: 'wasm', webgpuAvailable: false };
  const probe = await webGpuProbe();
  const webgpuAvailable = probe.kind === 'adapter';
  const wanted: Backend = choice === 'auto' ? 'webgpu' : choice;
  if (wanted === 'webgpu' && probe.kind !== 'adapter') {
    const noAdapterReason =
      options.noAdapterReason ?? ((reason) => `${reason}, so the models run on the CPU.`);
    return { backend: 'wasm', webgpuAvailable, fallbackReason: noAdapterReason(probe.reason) };
  }
  if (choice === 'auto' && (await hasOnlySoftwareWebGpu())) {
    return { backend: 'wasm', webgpuAvailable, fallbackReason: SOFTWARE_ADAPTER_REASON };
  }
  return { backend: wanted, webgpuAvailable };
}

export interface LoadedSession<T> {
  value: T;
  backend: Backend;
  /** Set when WebGPU failed and the session runs on WASM instead. */
  fallbackReason?: string;
}

/**
 * Runs `attempt` on `backend`; when that is WebGPU and it fails, once more on WASM, and
 * `describeFailure(message of the WebGPU error)` becomes the fallback reason. A WASM failure
 * (either attempt) is thrown as it is.
 */
export async function withWasmFallback<T>(
  backend: Backend,
  attempt: (on: Backend) => Promise<T>,
  describeFailure: (message: string) => string,
): Promise<LoadedSession<T>> {
  try {
    return { value: await attempt(backend), backend };
  } catch (error) {
    // A file that is not a Kokoro export is not a WebGPU problem: WASM would refuse it the same way.
    if (backend !== 'webgpu' || error instanceof KokoroContractError) throw error;
    const value = await attempt('wasm');
    return { value, backend: 'wasm', fallbackReason: describeFailure(errorText(error)) };
  }
}

/** Wraps a new session for the worker (and may run a warm-up: a failure there on WebGPU falls back too). */
export type SessionOpener<T> = (session: ort.InferenceSession, backend: Backend) => Promise<T>;

/**
 * Creates a session of `bytes` on `backend` (announced as compiling `name`) and opens it;
 * the session is released when `open` fails.
 */
export async function openSession<T>(
  bytes: Uint8Array,
  backend: Backend,
  name: string,
  onProgress: ProgressCallback,
  open: SessionOpener<T>,
): Promise<T> {
  onProgress({ kind: 'compile', model: name, backend });
  const session = await createSession(bytes, backend);
  try {
    return await open(session, backend);
  } catch (error) {
    await session.release().catch(() => undefined);
    throw error;
  }
}

/** A few tokens, run once after a Kokoro session is created so the first real run is fast. */
const KOKORO_WARM_UP_IDS = [0, 50, 83, 156, 43, 0];

/**
 * Opens a Kokoro session as a runner (its input and output names read from the session; a
 * file that is not a Kokoro v1.0 export is refused, naming `variant.path`) and warms it up (a
 * WebGPU failure often shows only there).
 */
export function openKokoroRunner(
  variant: Pick<ModelVariant, 'id' | 'path'>,
): SessionOpener<KokoroSessionRunner> {
  return async (session, backend) => {
    const runner = new KokoroSessionRunner(
      backend,
      variant.id,
      session as unknown as KokoroSession,
      loadedOrt().Tensor as unknown as TensorConstructor,
      variant.path,
    );
    await runner.run(KOKORO_WARM_UP_IDS, new Float32Array(256), 1);
    return runner;
  };
}

/** `<variant>-<first 12 hex of SHA-256>` (size when there is no hash): names exactly these weights. */
export function variantTag(variant: ModelVariant): string {
  return `${variant.id}-${(variant.sha256 ?? `${variant.bytes}b`).slice(0, 12)}`;
}

/** Names exactly these weights: `<prefix>-<variant>-<first 12 hex of SHA-256>` (size when there is no hash). */
export function variantCacheTag(prefix: string, variant: ModelVariant): string {
  return `${prefix}-${variantTag(variant)}`;
}

export { loadVoicePack } from './voice-pack';

/** Re-exported for the workers that load through this file. */
export { errorText };
