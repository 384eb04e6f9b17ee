/**
 * PyTorch `.pt` files holding one voice tensor: the zip format of torch >= 1.6 (read and
 * write) and the older sequence-of-pickles format (read). Nothing in the file is executed:
 * the pickle goes through {@link readRestrictedPickle}.
 */
import { provenanceSummary, type FileProvenance } from '../../provenance';
import { DecodeBudget } from './limits';
import { decodeElements, ELEMENT_BYTES, float32ToLittleEndian } from './numeric';
import {
  checkPackShape,
  PACK_BYTES,
  checkPackValues,
  PACK_LENGTH,
  PACK_ROWS,
  STYLE_DIM,
  stemOf,
  VoiceFileError,
  type NamedPack,
} from './pack';
import { isTensor, readRestrictedPickle, type PickleValue, type StorageRef, type TensorRef } from './pickle';
import { readZip, writeZip, type ZipEntry } from './zip';
import { formatCount } from '../../count';

/** The first pickle of a legacy (pre-1.6) torch.save file. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL_VERSION = 1001;
const LEGACY_ADVICE = 'legacy PyTorch format could not be read; re-save it with torch.save in PyTorch >= 1.6';
/** What torch.save writes in `<dir>/version` for plain tensors. */
const TORCH_FILE_VERSION = '3\n';
/**
 * Timbre's provenance record inside a `.pt`, beside torch's own `.data/` records; torch.load
 * (weights_only too) ignores records it does not ask for.
 */
export const PROVENANCE_RECORD = '.data/timbre_provenance.json';
const MAX_PROVENANCE_RECORD_BYTES = 4096;

type StorageBytes = (storage: StorageRef) => Uint8Array;

/** A zip-format `.pt`: one tensor, or a dict of name -> tensor (several packs). */
export function readPtZip(
  fileName: string,
  bytes: Uint8Array,
  budget: DecodeBudget = new DecodeBudget(fileName),
  entries: ZipEntry[] = readZip(fileName, bytes, budget),
): NamedPack[] {
  const pickles = entries.filter((entry) => /^([^/]+\/)?data\.pkl$/.test(entry.name));
  if (pickles.length !== 1) {
    throw new VoiceFileError(
      `${fileName}: not a PyTorch file (${pickles.length === 0 ? 'no' : 'more than one'} data.pkl inside the zip)`,
    );
  }
  const pickleEntry = pickles[0] as (typeof pickles)[number];
  const prefix = pickleEntry.name.slice(0, -'data.pkl'.length);
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const byteOrder = byName.get(`${prefix}byteorder`);
  // "little" or "big"; anything larger is not torch's record and is not read.
  const littleEndian =
    byteOrder && byteOrder.size <= 16 ? new TextDecoder().decode(byteOrder.read()).trim() !== 'big' : true;

  if (pickleEntry.size > budget.limits.maxPickleBytes)
    throw new VoiceFileError(
      `${fileName}: refused: its tensor description (data.pkl) is ${formatCount(pickleEntry.size)} bytes; torch.save writes a few hundred per voice`,
    );
  const { value } = readRestrictedPickle(fileName, pickleEntry.read(), 0, { limits: budget.limits });
  const read = new Map<string, Uint8Array>(); // each storage record inflated once, however often it is referenced
  const storageBytes: StorageBytes = (storage) => {
    const cached = read.get(storage.key);
    if (cached) return cached;
    const entry = byName.get(`${prefix}data/${storage.key}`);
    if (!entry)
      throw new VoiceFileError(
        `${fileName}: the tensor's data (data/${storage.key}) is missing from the archive`,
      );
    const data = entry.read();
    read.set(storage.key, data);
    return data;
  };
  const provenance = readProvenance(byName.get(`${prefix}${PROVENANCE_RECORD}`));
  return namedTensors(fileName, value, budget).map(([name, tensor]) => ({
    name,
    data: tensorToPack(fileName, tensor, storageBytes(tensor.storage), 0, littleEndian, budget),
    ...(provenance ? { provenance } : {}),
  }));
}

/** The provenance record's summary; a missing, large or malformed record is ignored (it is only a label). */
function readProvenance(entry: { size: number; read(): Uint8Array } | undefined): string | undefined {
  if (!entry || entry.size > MAX_PROVENANCE_RECORD_BYTES) return undefined;
  try {
    return provenanceSummary(JSON.parse(new TextDecoder().decode(entry.read())));
  } catch {
    return undefined;
  }
}

/**
 * A legacy `.pt`: pickles of magic, protocol version, system info, the object, and the list of
 * storage keys; then each storage as an int64 element count followed by its raw bytes.
 */
export function readPtLegacy(
  fileName: string,
  bytes: Uint8Array,
  budget: DecodeBudget = new DecodeBudget(fileName),
): NamedPack[] {
  const failLegacy = (): never => {
    throw new VoiceFileError(`${fileName}: ${LEGACY_ADVICE}`);
  };
  const options = { limits: budget.limits };
  const magic = readRestrictedPickle(fileName, bytes, 0, options);
  if (magic.value !== LEGACY_MAGIC) failLegacy();
  const protocol = readRestrictedPickle(fileName, bytes, magic.end, options);
  if (protocol.value !== LEGACY_PROTOCOL_VERSION) failLegacy();
  const sysInfo = readRestrictedPickle(fileName, bytes, protocol.end, options);
  // torch's legacy writer stores sizes and data little-endian whatever the machine
  // (sys_info.little_endian describes the writer), so no byte swapping is needed here.
  const littleEndian = true;
  const main = readRestrictedPickle(fileName, bytes, sysInfo.end, options);
  const keys = readRestrictedPickle(fileName, bytes, main.end, options);
  if (!Array.isArray(keys.value) || !keys.value.every((key) => typeof key === 'string')) return failLegacy();

  const tensors = namedTensors(fileName, main.value, budget);
  const storages = new Map(tensors.map(([, tensor]) => [tensor.storage.key, tensor.storage]));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const located = new Map<string, number>(); // key -> byte offset of its data in `bytes`
  let at = keys.end;
  for (const key of keys.value as string[]) {
    const storage = storages.get(key);
    if (!storage || at + 8 > bytes.length) return failLegacy();
    const numel = Number(view.getBigInt64(at, littleEndian));
    if (numel !== storage.numel) return failLegacy();
    located.set(key, at + 8);
    at += 8 + numel * ELEMENT_BYTES[storage.elementType];
  }
  if (at > bytes.length)
    throw new VoiceFileError(`${fileName}: the file is truncated (tensor data cut short)`);
  return tensors.map(([name, tensor]) => {
    const start = located.get(tensor.storage.key) ?? failLegacy();
    return { name, data: tensorToPack(fileName, tensor, bytes, start, littleEndian, budget) };
  });
}

function namedTensors(fileName: string, value: PickleValue, budget: DecodeBudget): [string, TensorRef][] {
  if (isTensor(value)) return [[stemOf(fileName), value]];
  if (value instanceof Map && value.size > budget.limits.maxTensors) {
    throw new VoiceFileError(
      `${fileName}: refused: the file holds ${formatCount(value.size)} entries; a voice file holds at most ${budget.limits.maxTensors} voices`,
    );
  }
  if (value instanceof Map && value.size > 0 && [...value.values()].every(isTensor)) {
    return [...value.entries()].map(([key, tensor]) => [String(key), tensor as TensorRef]);
  }
  throw new VoiceFileError(`${fileName}: the file does not hold a tensor (or a dict of tensors)`);
}

/** Checks shape, contiguity and bounds, then decodes the tensor's elements to float32. */
function tensorToPack(
  fileName: string,
  tensor: TensorRef,
  storage: Uint8Array,
  storageStart: number,
  littleEndian: boolean,
  budget: DecodeBudget,
): Float32Array {
  checkPackShape(fileName, tensor.size);
  // Contiguous row-major strides; a dimension of size 1 may carry any stride.
  let expected = 1;
  for (let dim = tensor.size.length - 1; dim >= 0; dim--) {
    const size = tensor.size[dim] as number;
    if (size > 1 && tensor.stride[dim] !== expected) {
      throw new VoiceFileError(
        `${fileName}: the tensor is a non-contiguous view (stride ${tensor.stride.join(',')}); call .contiguous() before torch.save`,
      );
    }
    expected *= size;
  }
  const elementBytes = ELEMENT_BYTES[tensor.storage.elementType];
  const declaredBytes = tensor.storage.numel * elementBytes;
  if (storage.length - storageStart < declaredBytes) {
    throw new VoiceFileError(
      `${fileName}: the tensor's data is cut short (${storage.length - storageStart} of ${declaredBytes} bytes)`,
    );
  }
  if (tensor.storageOffset + PACK_LENGTH > tensor.storage.numel) {
    throw new VoiceFileError(`${fileName}: the tensor reaches past the end of its storage`);
  }
  budget.takeTensor(PACK_BYTES);
  const data = decodeElements(
    storage,
    storageStart + tensor.storageOffset * elementBytes,
    PACK_LENGTH,
    tensor.storage.elementType,
    littleEndian,
  );
  checkPackValues(fileName, data);
  return data;
}

/** A name safe as the archive's top directory (torch uses the file's stem). */
function archiveDirectory(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, '_');
  return safe.length > 0 && safe !== '.' && safe !== '..' ? safe : 'archive';
}

export interface TensorPickleOptions {
  storageType?: 'FloatStorage' | 'HalfStorage' | 'DoubleStorage' | 'BFloat16Storage';
  storageNumel?: number;
  storageOffset?: number;
  size?: readonly number[];
  stride?: readonly number[];
}

/**
 * The data.pkl torch.save writes for a tensor (pickle protocol 2). The defaults describe a
 * contiguous float32 [510, 1, 256] pack; other options exist so tests can describe views.
 */
export function tensorPickle(options: TensorPickleOptions = {}): Uint8Array {
  const {
    storageType = 'FloatStorage',
    storageNumel = PACK_LENGTH,
    storageOffset = 0,
    size = [PACK_ROWS, 1, STYLE_DIM],
    stride = [STYLE_DIM, STYLE_DIM, 1],
  } = options;
  const out: number[] = [];
  let memoIndex = 0;
  const ascii = (text: string): number[] => [...new TextEncoder().encode(text)];
  const memoize = (): void => void out.push(0x71, memoIndex++); // BINPUT
  const global = (module: string, name: string): void =>
    void out.push(0x63, ...ascii(`${module}\n${name}\n`)); // GLOBAL
  const unicode = (text: string): void => {
    const encoded = ascii(text);
    out.push(0x58, ...u32le(encoded.length), ...encoded); // BINUNICODE
  };
  // pickle's save_int: BININT1 / BININT2 / BININT by magnitude (all values here are >= 0).
  const int = (value: number): void => {
    if (value <= 0xff) out.push(0x4b, value);
    else if (value <= 0xffff) out.push(0x4d, value & 0xff, value >> 8);
    else out.push(0x4a, ...u32le(value));
  };
  // pickle writes tuples of up to 3 items with TUPLE1..3, longer ones as MARK ... TUPLE.
  const MARK = 0x28,
    TUPLE = 0x74,
    REDUCE = 0x52;
  const intTuple = (values: readonly number[]): void => {
    if (values.length === 0) return void out.push(0x29); // EMPTY_TUPLE (not memoized)
    if (values.length > 3) out.push(MARK);
    values.forEach(int);
    out.push(values.length > 3 ? TUPLE : 0x84 + values.length);
    memoize();
  };

  out.push(0x80, 2); // PROTO 2
  global('torch._utils', '_rebuild_tensor_v2');
  memoize();
  out.push(MARK, MARK); // argument tuple; persistent id tuple
  unicode('storage');
  memoize();
  global('torch', storageType);
  memoize();
  unicode('0'); // storage key -> record data/0
  memoize();
  unicode('cpu');
  memoize();
  int(storageNumel);
  out.push(TUPLE);
  memoize();
  out.push(0x51); // BINPERSID
  int(storageOffset);
  intTuple(size);
  intTuple(stride);
  out.push(0x89); // NEWFALSE: requires_grad
  global('collections', 'OrderedDict'); // backward hooks: OrderedDict()
  memoize();
  out.push(0x29, REDUCE); // EMPTY_TUPLE
  memoize();
  out.push(TUPLE);
  memoize();
  out.push(REDUCE);
  memoize();
  out.push(0x2e); // STOP
  return new Uint8Array(out);
}

function u32le(value: number): number[] {
  return [value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >>> 24];
}

/**
 * `.pt` bytes as torch.save(tensor) writes them (torch >= 2.1 layout, with the byteorder
 * record), plus Timbre's provenance record when given.
 */
export function writePt(pack: NamedPack, provenance?: FileProvenance): Uint8Array {
  const dir = archiveDirectory(pack.name);
  const text = (value: string): Uint8Array => new TextEncoder().encode(value);
  return writeZip(
    [
      { name: `${dir}/data.pkl`, data: tensorPickle() },
      { name: `${dir}/byteorder`, data: text('little') },
      { name: `${dir}/data/0`, data: float32ToLittleEndian(pack.data) },
      { name: `${dir}/version`, data: text(TORCH_FILE_VERSION) },
      ...(provenance
        ? [{ name: `${dir}/${PROVENANCE_RECORD}`, data: text(JSON.stringify(provenance)) }]
        : []),
    ],
    'torch',
  );
}
