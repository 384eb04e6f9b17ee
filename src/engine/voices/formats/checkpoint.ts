/**
 * A PyTorch training checkpoint (`torch.save({"model_state": ..., ...})`, legacy or zip
 * format) read as plain data with the same restricted pickle reader as voice files: nothing in
 * the file is imported or called. Tensors come back as references; `tensor()` decodes one to
 * float32 after checking that it is contiguous and inside its storage.
 */
import { CHECKPOINT_LIMITS, DecodeBudget, type ParseLimits } from './limits';
import { decodeElements, ELEMENT_BYTES } from './numeric';
import { VoiceFileError } from './pack';
import { isTensor, readRestrictedPickle, type PickleValue, type StorageRef, type TensorRef } from './pickle';
import { readZip } from './zip';
import { formatCount } from '../../count';

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL_VERSION = 1001;

export interface TorchCheckpoint {
  root: PickleValue;
  /** The tensor's elements as float32, row-major. */
  tensor(ref: TensorRef): Float32Array;
}

/** Every storage the value's tensors use; each list and dict visited once (a pickle's memo can nest one in itself). */
function collectStorages(root: PickleValue, into: Map<string, StorageRef>): void {
  const seen = new Set<object>();
  const stack: PickleValue[] = [root];
  while (stack.length > 0) {
    const value = stack.pop() as PickleValue;
    if (isTensor(value)) into.set(value.storage.key, value.storage);
    else if (Array.isArray(value) || value instanceof Map) {
      if (seen.has(value)) continue;
      seen.add(value);
      for (const item of Array.isArray(value) ? value : value.values()) stack.push(item);
    }
  }
}

function decodeTensor(
  fileName: string,
  ref: TensorRef,
  storage: Uint8Array,
  storageStart: number,
  budget: DecodeBudget,
): Float32Array {
  const count = ref.size.reduce((n, d) => n * d, 1);
  if (!Number.isSafeInteger(count) || !Number.isSafeInteger(ref.storageOffset))
    throw new VoiceFileError(`${fileName}: a tensor's size or offset is not a whole number`);
  let expected = 1;
  for (let dim = ref.size.length - 1; dim >= 0; dim--) {
    const size = ref.size[dim] as number;
    if (size > 1 && ref.stride[dim] !== expected)
      throw new VoiceFileError(
        `${fileName}: a tensor is a non-contiguous view (stride ${ref.stride.join(',')})`,
      );
    expected *= size;
  }
  if (ref.storageOffset + count > ref.storage.numel)
    throw new VoiceFileError(`${fileName}: a tensor reaches past the end of its storage`);
  const elementBytes = ELEMENT_BYTES[ref.storage.elementType];
  const from = storageStart + ref.storageOffset * elementBytes;
  if (from + count * elementBytes > storage.length)
    throw new VoiceFileError(`${fileName}: the file is truncated (tensor data cut short)`);
  budget.takeTensor(count * 4);
  return decodeElements(storage, from, count, ref.storage.elementType, true);
}

/** Reads a zip-format or legacy-format checkpoint. */
export function readTorchCheckpoint(
  fileName: string,
  bytes: Uint8Array,
  limits: Readonly<ParseLimits> = CHECKPOINT_LIMITS,
): TorchCheckpoint {
  const budget = new DecodeBudget(fileName, limits);
  const options = { checkpoint: true, limits };
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (isZip) {
    const entries = readZip(fileName, bytes, budget);
    const pickles = entries.filter((entry) => /^([^/]+\/)?data\.pkl$/.test(entry.name));
    if (pickles.length !== 1)
      throw new VoiceFileError(`${fileName}: not a PyTorch file (no single data.pkl)`);
    const pickle = pickles[0] as (typeof pickles)[number];
    const prefix = pickle.name.slice(0, -'data.pkl'.length);
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    if (pickle.size > limits.maxPickleBytes)
      throw new VoiceFileError(`${fileName}: refused: data.pkl is ${formatCount(pickle.size)} bytes`);
    const { value } = readRestrictedPickle(fileName, pickle.read(), 0, options);
    const read = new Map<string, Uint8Array>();
    return {
      root: value,
      tensor(ref) {
        let data = read.get(ref.storage.key);
        if (!data) {
          const entry = byName.get(`${prefix}data/${ref.storage.key}`);
          if (!entry)
            throw new VoiceFileError(`${fileName}: a tensor's data (data/${ref.storage.key}) is missing`);
          data = entry.read();
          read.set(ref.storage.key, data);
        }
        return decodeTensor(fileName, ref, data, 0, budget);
      },
    };
  }

  const notTorch = (): never => {
    throw new VoiceFileError(`${fileName}: not a PyTorch checkpoint (neither the zip nor the legacy format)`);
  };
  const magic = readRestrictedPickle(fileName, bytes, 0, options);
  if (magic.value !== LEGACY_MAGIC) notTorch();
  const protocol = readRestrictedPickle(fileName, bytes, magic.end, options);
  if (protocol.value !== LEGACY_PROTOCOL_VERSION) notTorch();
  const sysInfo = readRestrictedPickle(fileName, bytes, protocol.end, options);
  const main = readRestrictedPickle(fileName, bytes, sysInfo.end, options);
  const keys = readRestrictedPickle(fileName, bytes, main.end, options);
  if (!Array.isArray(keys.value) || !keys.value.every((key) => typeof key === 'string')) return notTorch();
  const storages = new Map<string, StorageRef>();
  collectStorages(main.value, storages);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const located = new Map<string, number>();
  let at = keys.end;
  for (const key of keys.value as string[]) {
    const storage = storages.get(key);
    if (!storage) throw new VoiceFileError(`${fileName}: storage ${key} is listed but no tensor uses it`);
    if (at + 8 > bytes.length) throw new VoiceFileError(`${fileName}: the file is truncated`);
    const numel = Number(view.getBigInt64(at, true));
    if (numel !== storage.numel)
      throw new VoiceFileError(
        `${fileName}: storage ${key} has ${numel} elements, its tensors say ${storage.numel}`,
      );
    located.set(key, at + 8);
    at += 8 + numel * ELEMENT_BYTES[storage.elementType];
  }
  if (at > bytes.length)
    throw new VoiceFileError(`${fileName}: the file is truncated (tensor data cut short)`);
  return {
    root: main.value,
    tensor(ref) {
      const start = located.get(ref.storage.key);
      if (start === undefined) throw new VoiceFileError(`${fileName}: a tensor's storage is not in the file`);
      return decodeTensor(fileName, ref, bytes, start, budget);
    },
  };
}
