/**
 * Loading a manifest model into an onnxruntime-web session the way every worker does it:
 * bytes through the model store (cache, checks, byte progress), WebGPU when asked for (or
 * 'auto') and an adapter exists, WASM otherwise, and WASM again when WebGPU cannot create
 * (or warm up) the session. Also stock voice packs through the same store.
 * Used by the clone worker; tts.worker.ts and speaker.worker.ts still carry their own copies.
 */
import type * as ort from 'onnxruntime-web';
import type { ModelVariant, VoiceEntry } from '../../engine/models/manifest';
import type { ProgressCallback } from '../../engine/progress';
import type { Backend } from '../../engine/tts/types';
import type { BackendChoice } from '../protocol';
import { createSession, webGpuProbe } from '../ort/runtime';
import type { ModelStore } from './model-store';

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

export interface PlanOptions {
  /**
   * With 'auto', run on WASM when the only adapter is a software one. Measured here: one
   * fixture-Kokoro rendering took ~70 s on SwiftShader against ~1 s on WASM, and a clone
   * renders hundreds. An explicit 'webgpu' choice still gets WebGPU.
   */
  autoAvoidsSoftwareGpu?: boolean;
}

/** 'auto' means WebGPU when this worker has an adapter (a hardware one, with autoAvoidsSoftwareGpu). */
export async function planBackend(choice: BackendChoice, options: PlanOptions = {}): Promise<BackendPlan> {
  const probe = await webGpuProbe();
  const webgpuAvailable = probe.kind === 'adapter';
  const wanted: Backend = choice === 'auto' ? 'webgpu' : choice;
  if (wanted === 'webgpu' && probe.kind !== 'adapter') {
    return {
      backend: 'wasm',
      webgpuAvailable,
      fallbackReason: `${probe.reason}, so the models run on the CPU.`,
    };
  }
  if (choice === 'auto' && options.autoAvoidsSoftwareGpu && (await hasOnlySoftwareWebGpu())) {
    return {
      backend: 'wasm',
      webgpuAvailable,
      fallbackReason:
        'the only WebGPU adapter is a software renderer (slower than the CPU path), so the models run on WASM.',
    };
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
 * Downloads (or reads from the cache) one variant and creates its session on `backend`;
 * `open` wraps the session (and may run a warm-up: a failure there on WebGPU falls back too).
 */
export async function loadVariantSession<T>(
  store: ModelStore,
  variant: ModelVariant,
  backend: Backend,
  label: string,
  onProgress: ProgressCallback,
  open: (session: ort.InferenceSession, backend: Backend) => Promise<T>,
): Promise<LoadedSession<T>> {
  const bytes = await store.getFile(variant, onProgress);
  const attempt = async (on: Backend): Promise<T> => {
    onProgress({ kind: 'compile', model: `${label} ${variant.id}`, backend: on });
    const session = await createSession(bytes, on);
    try {
      return await open(session, on);
    } catch (error) {
      await session.release().catch(() => undefined);
      throw error;
    }
  };
  try {
    return { value: await attempt(backend), backend };
  } catch (error) {
    if (backend !== 'webgpu') throw error;
    const value = await attempt('wasm');
    return {
      value,
      backend: 'wasm',
      fallbackReason: `WebGPU could not start ${label} (${errorText(error)}).`,
    };
  }
}

/** Names exactly these weights: `<prefix>-<variant>-<first 12 hex of SHA-256>` (size when there is no hash). */
export function variantCacheTag(prefix: string, variant: ModelVariant): string {
  return `${prefix}-${variant.id}-${(variant.sha256 ?? `${variant.bytes}b`).slice(0, 12)}`;
}

/** A stock voice pack (float32 [510*256]) through the model store. */
export async function loadVoicePack(
  store: ModelStore,
  entry: VoiceEntry,
  onProgress: ProgressCallback,
): Promise<Float32Array> {
  const bytes = await store.getFile(entry.file, onProgress);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
