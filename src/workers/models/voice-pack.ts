/**
 * Stock voice packs through the model store (no onnxruntime here: the clone worker, which opens
 * no session, loads its library with it).
 */
import type { VoiceEntry } from '../../engine/models/manifest';
import type { ProgressCallback } from '../../engine/progress';
import type { ModelStore } from './model-store';

/** A stock voice pack (float32 [510*256]) through the model store. */
export async function loadVoicePack(
  store: ModelStore,
  entry: VoiceEntry,
  onProgress: ProgressCallback,
): Promise<Float32Array> {
  const bytes = await store.getFile(entry.file, onProgress);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
