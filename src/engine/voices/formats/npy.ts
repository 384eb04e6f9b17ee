/**
 * NumPy `.npy` (format 1.0, 2.0 and 3.0) and `.npz` (a zip of `.npy` files, which is also what
 * kokoro-onnx ships as `voices-v1.0.bin`).
 */
import { DecodeBudget } from './limits';
import { decodeElements, float32ToLittleEndian, type ElementType } from './numeric';
import {
  checkPackShape,
  PACK_BYTES,
  checkPackValues,
  formatShape,
  PACK_ROWS,
  STYLE_DIM,
  VoiceFileError,
  type NamedPack,
} from './pack';
import { readZip, writeZip, type ZipEntry } from './zip';
import { formatCount } from '../../count';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** numpy pads the header so the data starts on this boundary. */
const HEADER_ALIGNMENT_BYTES = 64;
/** numpy leaves room for the growth axis' length to reach this many digits when padding. */
const GROWTH_AXIS_MAX_DIGITS = 21;
/** numpy itself refuses longer headers unless told otherwise (`max_header_size`). */
const MAX_HEADER_BYTES = 10_000;

const DTYPES: Record<string, ElementType> = { f2: 'float16', f4: 'float32', f8: 'float64' };

export function looksLikeNpy(bytes: Uint8Array): boolean {
  return MAGIC.every((byte, i) => bytes[i] === byte);
}

/** Reads one `.npy` holding a [510,1,256] or [510,256] float array into float32. */
export function readNpy(
  fileName: string,
  bytes: Uint8Array,
  budget: DecodeBudget = new DecodeBudget(fileName),
): Float32Array {
  if (!looksLikeNpy(bytes) || bytes.length < 10)
    throw new VoiceFileError(`${fileName}: not a NumPy .npy file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6] as number;
  if (major < 1 || major > 3)
    throw new VoiceFileError(`${fileName}: NumPy format version ${major} is not supported`);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw new VoiceFileError(`${fileName}: the .npy header is cut short`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthBytes;
  const dataStart = headerStart + headerLength;
  if (headerLength > MAX_HEADER_BYTES)
    throw new VoiceFileError(
      `${fileName}: the .npy header is ${formatCount(headerLength)} bytes; numpy writes under ${formatCount(MAX_HEADER_BYTES)}`,
    );
  if (dataStart > bytes.length) throw new VoiceFileError(`${fileName}: the .npy header is cut short`);
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(headerStart, dataStart),
  );
  const header = parsePythonLiteral(fileName, headerText);
  if (!(header instanceof Map)) throw new VoiceFileError(`${fileName}: the .npy header is not a dictionary`);

  const descr = header.get('descr');
  const match = typeof descr === 'string' ? /^([<>|=])(f[248])$/.exec(descr) : null;
  if (!match)
    throw new VoiceFileError(
      `${fileName}: array type ${String(descr)} is not a float array (expected <f4, <f2 or <f8)`,
    );
  if (header.get('fortran_order') !== false) {
    throw new VoiceFileError(
      `${fileName}: the array is stored in Fortran order; save it with np.save of a C-ordered array`,
    );
  }
  const shapeValue = header.get('shape');
  if (!Array.isArray(shapeValue) || !shapeValue.every((n): n is number => typeof n === 'number')) {
    throw new VoiceFileError(`${fileName}: the .npy header has no valid shape`);
  }
  checkPackShape(fileName, shapeValue);
  const type = DTYPES[match[2] as string] as ElementType;
  const bytesPerValue = Number((match[2] as string).slice(1));
  const count = PACK_ROWS * STYLE_DIM;
  if (bytes.length - dataStart < count * bytesPerValue) {
    throw new VoiceFileError(
      `${fileName}: the array data is cut short (${bytes.length - dataStart} bytes for ${formatShape(shapeValue)} ${descr})`,
    );
  }
  budget.takeTensor(PACK_BYTES);
  const data = decodeElements(bytes, dataStart, count, type, match[1] !== '>');
  checkPackValues(fileName, data);
  return data;
}

/** `.npy` bytes exactly as `np.save` writes a float32 [510,1,256] array. */
export function writeNpy(data: Float32Array): Uint8Array {
  const shape = `(${PACK_ROWS}, 1, ${STYLE_DIM})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
  header += ' '.repeat(GROWTH_AXIS_MAX_DIGITS - String(PACK_ROWS).length);
  const preambleBytes = 10; // magic (6) + version (2) + header length (2)
  const unpadded = preambleBytes + header.length + 1; // + '\n'
  header +=
    ' '.repeat((HEADER_ALIGNMENT_BYTES - (unpadded % HEADER_ALIGNMENT_BYTES)) % HEADER_ALIGNMENT_BYTES) +
    '\n';
  const headerBytes = new TextEncoder().encode(header);
  const payload = float32ToLittleEndian(data);
  const out = new Uint8Array(preambleBytes + headerBytes.length + payload.length);
  out.set(MAGIC);
  out.set([1, 0, headerBytes.length & 0xff, headerBytes.length >> 8], 6);
  out.set(headerBytes, preambleBytes);
  out.set(payload, preambleBytes + headerBytes.length);
  return out;
}

/** Every `<name>.npy` in an `.npz` as a named pack. */
export function readNpz(
  fileName: string,
  bytes: Uint8Array,
  budget: DecodeBudget = new DecodeBudget(fileName),
  entries: ZipEntry[] = readZip(fileName, bytes, budget),
): NamedPack[] {
  const arrays = entries.filter((entry) => entry.name.endsWith('.npy'));
  if (arrays.length === 0) throw new VoiceFileError(`${fileName}: the archive holds no .npy arrays`);
  if (arrays.length > budget.limits.maxTensors)
    throw new VoiceFileError(
      `${fileName}: refused: the archive holds ${arrays.length} arrays; a voice bundle holds at most ${budget.limits.maxTensors} voices`,
    );
  return arrays.map((entry) => {
    const name = entry.name.slice(0, -'.npy'.length);
    return { name, data: readNpy(`${fileName} [${name}]`, entry.read(), budget) };
  });
}

export function writeNpz(packs: readonly NamedPack[]): Uint8Array {
  return writeZip(
    packs.map((pack) => ({ name: `${pack.name}.npy`, data: writeNpy(pack.data) })),
    'plain',
  );
}

type PythonLiteral = string | number | boolean | null | PythonLiteral[] | Map<string, PythonLiteral>;

/** Parses the Python literal subset numpy writes in headers: dict, str, int, bool, None, tuple. */
function parsePythonLiteral(fileName: string, text: string): PythonLiteral {
  let at = 0;
  const fail = (): never => {
    throw new VoiceFileError(
      `${fileName}: cannot read the .npy header ${JSON.stringify(text.trim().slice(0, 120))}`,
    );
  };
  const skipSpace = (): void => {
    while (at < text.length && /\s/.test(text[at] as string)) at++;
  };
  const eat = (char: string): boolean => {
    skipSpace();
    if (text[at] !== char) return false;
    at++;
    return true;
  };
  const sequence = <T>(close: string, item: () => T): T[] => {
    const items: T[] = [];
    while (!eat(close)) {
      items.push(item());
      if (!eat(',')) {
        if (!eat(close)) fail();
        break;
      }
    }
    return items;
  };
  const value = (): PythonLiteral => {
    skipSpace();
    const char = text[at];
    if (char === '{') {
      at++;
      const entries = sequence('}', () => {
        const key = value();
        if (typeof key !== 'string' || !eat(':')) return fail();
        return [key, value()] as const;
      });
      return new Map(entries);
    }
    if (char === '(' || char === '[') {
      at++;
      return sequence(char === '(' ? ')' : ']', value);
    }
    if (char === "'" || char === '"') {
      const close = text.indexOf(char, at + 1);
      if (close < 0) fail();
      const str = text.slice(at + 1, close);
      at = close + 1;
      return str;
    }
    const word = /^(-?\d+L?|True|False|None)/.exec(text.slice(at));
    if (!word) return fail();
    at += (word[0] as string).length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    return Number.parseInt(word[0] as string, 10);
  };
  const result = value();
  skipSpace();
  if (at !== text.length) fail();
  return result;
}
