/**
 * A restricted pickle reader for `torch.save`d tensors. It never imports or calls anything: it
 * understands only the opcodes torch.save uses for a tensor, knows a handful of names
 * (`torch._utils._rebuild_tensor_v2`, `collections.OrderedDict`, the `torch.*Storage` types)
 * as inert markers, and refuses everything else with a message naming what was asked for.
 * Storages come back as references (`StorageRef`); the caller reads their bytes.
 */
import { VOICE_FILE_LIMITS, type ParseLimits } from './limits';
import { VoiceFileError } from './pack';
import {
  displayName,
  KNOWN_GLOBALS,
  persistentStorage,
  reduce,
  type GlobalRef,
  type PickleValue,
} from './torch-objects';
import { formatCount } from '../../count';

export { isTensor, type PickleValue, type StorageRef, type TensorRef } from './torch-objects';

/** Names of opcodes this reader refuses, so the refusal says what the file tried to do. */
// prettier-ignore
const REFUSED_OPCODE_NAMES: Record<number, string> = {
  0x69: 'INST', 0x6f: 'OBJ', 0x81: 'NEWOBJ', 0x92: 'NEWOBJ_EX', 0x62: 'BUILD', 0x50: 'PERSID',
  0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x53: 'STRING', 0x54: 'BINSTRING', 0x55: 'SHORT_BINSTRING',
  0x56: 'UNICODE', 0x49: 'INT', 0x4c: 'LONG', 0x46: 'FLOAT', 0x47: 'BINFLOAT', 0x8b: 'LONG4',
  0x70: 'PUT', 0x67: 'GET', 0x6c: 'LIST', 0x64: 'DICT', 0x30: 'POP', 0x31: 'POP_MARK', 0x32: 'DUP',
  0x42: 'BINBYTES', 0x43: 'SHORT_BINBYTES', 0x8e: 'BINBYTES8', 0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER',
  0x98: 'READONLY_BUFFER', 0x8f: 'EMPTY_SET', 0x90: 'ADDITEMS', 0x91: 'FROZENSET',
};

const REFUSAL_TAIL = 'this file is not a plain tensor and could run code';

export interface PickleOptions {
  /**
   * Also read what a training checkpoint's plain data needs (`{"model_state": ...,
   * "optimizer_state": ..., "step": ...}`): floats (BINFLOAT) and BUILD of an OrderedDict's
   * attributes (a state_dict's `_metadata`), which is dropped. Still nothing is imported or
   * called; BUILD of anything but a dict stays refused.
   */
  checkpoint?: boolean;
  /** Opcode, memo and MARK-depth caps (defaults: {@link VOICE_FILE_LIMITS}). */
  limits?: Readonly<Pick<ParseLimits, 'maxPickleOps' | 'maxMemoEntries' | 'maxMarkDepth'>>;
}

export interface PickleResult {
  value: PickleValue;
  /** Offset just past STOP, where the legacy format's next pickle starts. */
  end: number;
}

/** Runs one pickle starting at `start`. */
export function readRestrictedPickle(
  fileName: string,
  bytes: Uint8Array,
  start = 0,
  options: PickleOptions = {},
): PickleResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const limits = options.limits ?? VOICE_FILE_LIMITS;
  const refuse = (what: string): never => {
    throw new VoiceFileError(`${fileName}: refused: pickle ${what} — ${REFUSAL_TAIL}`);
  };
  const overCap = (what: string): never => {
    throw new VoiceFileError(
      `${fileName}: refused: the tensor description (pickle) ${what}, far beyond anything torch.save writes for voices`,
    );
  };
  const corrupt = (why: string): never => {
    throw new VoiceFileError(`${fileName}: the tensor description (pickle) is damaged: ${why}`);
  };
  let at = start;
  const need = (count: number): number => {
    if (at + count > bytes.length) corrupt('it ends early');
    const here = at;
    at += count;
    return here;
  };
  const u8 = (): number => view.getUint8(need(1));
  const u16 = (): number => view.getUint16(need(2), true);
  const u32 = (): number => view.getUint32(need(4), true);
  const text = (length: number): string => new TextDecoder().decode(bytes.subarray(need(length), at));
  const line = (): string => {
    const newline = bytes.indexOf(0x0a, at);
    if (newline < 0) corrupt('a name has no end');
    return text(newline - at + 1).slice(0, -1);
  };

  let stack: PickleValue[] = [];
  const marks: PickleValue[][] = [];
  const memo = new Map<number, PickleValue>();
  const pop = (): PickleValue =>
    stack.length > 0 ? (stack.pop() as PickleValue) : corrupt('stack underflow');
  const top = (): PickleValue =>
    stack.length > 0 ? (stack[stack.length - 1] as PickleValue) : corrupt('stack underflow');
  const popMark = (): PickleValue[] => {
    const items = stack;
    stack = marks.pop() ?? corrupt('missing MARK');
    return items;
  };
  const memoSet = (index: number, value: PickleValue): void => {
    if (!memo.has(index) && memo.size >= limits.maxMemoEntries)
      overCap(`stores more than ${formatCount(limits.maxMemoEntries)} memo entries`);
    memo.set(index, value);
  };
  const memoGet = (index: number): PickleValue =>
    memo.has(index) ? (memo.get(index) as PickleValue) : corrupt(`memo ${index} unset`);
  const global = (qualifiedName: string): GlobalRef => {
    if (!KNOWN_GLOBALS.has(qualifiedName)) refuse(`calls ${displayName(qualifiedName)}`);
    return { kind: 'global', qualifiedName };
  };
  const setItems = (dict: PickleValue, items: PickleValue[]): void => {
    if (!(dict instanceof Map)) return corrupt('SETITEMS on a non-dict');
    for (let i = 0; i + 1 < items.length; i += 2) {
      const key = items[i];
      if (typeof key !== 'string' && typeof key !== 'number')
        return refuse('uses a dictionary key that is not a string or number');
      dict.set(key, items[i + 1] as PickleValue);
    }
  };
  const append = (list: PickleValue, items: PickleValue[]): void => {
    if (!Array.isArray(list)) return corrupt('APPEND to a non-list');
    for (const item of items) list.push(item); // (no spread: huge APPENDS would overflow the call stack)
  };

  for (let ops = 1; ; ops++) {
    if (ops > limits.maxPickleOps) overCap(`runs more than ${formatCount(limits.maxPickleOps)} operations`);
    const opcode = u8();
    switch (opcode) {
      case 0x80: // PROTO
        if (u8() > 5) corrupt('unknown pickle protocol');
        break;
      case 0x95: // FRAME (protocol 4+): a length prefix only
        need(8);
        break;
      case 0x2e: // STOP
        return { value: pop(), end: at };
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        stack.push(global(`${module}.${line()}`));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') corrupt('STACK_GLOBAL needs two strings');
        stack.push(global(`${String(module)}.${String(name)}`));
        break;
      }
      case 0x28: // MARK
        if (marks.length >= limits.maxMarkDepth)
          overCap(`nests more than ${limits.maxMarkDepth} levels deep`);
        marks.push(stack);
        stack = [];
        break;
      case 0x74: {
        // TUPLE
        const items = popMark(); // (not inline: `stack` changes inside popMark)
        stack.push(items);
        break;
      }
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x85: // TUPLE1
      case 0x86: // TUPLE2
      case 0x87: {
        // TUPLE3
        const count = opcode - 0x84;
        if (stack.length < count) corrupt('stack underflow');
        stack.push(stack.splice(stack.length - count, count));
        break;
      }
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x61: {
        // APPEND
        const item = pop();
        append(top(), [item]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        append(top(), items);
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x73: {
        // SETITEM
        const value = pop();
        const key = pop();
        setItems(top(), [key, value]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x4a: // BININT
        stack.push(view.getInt32(need(4), true));
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: {
        // LONG1: little-endian two's complement
        const length = u8();
        let value = 0n;
        const from = need(length);
        for (let i = length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[from + i] as number);
        if (length > 0 && (bytes[from + length - 1] as number) & 0x80) value -= 1n << BigInt(8 * length);
        stack.push(Number.isSafeInteger(Number(value)) ? Number(value) : value);
        break;
      }
      case 0x58: // BINUNICODE
        stack.push(text(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(u8()));
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x71: // BINPUT
        memoSet(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memoSet(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memoSet(memo.size, top());
        break;
      case 0x68: // BINGET
        stack.push(memoGet(u8()));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(memoGet(u32()));
        break;
      case 0x51: // BINPERSID
        stack.push(persistentStorage(pop(), corrupt));
        break;
      case 0x52: {
        // REDUCE
        const args = pop();
        const callable = pop();
        stack.push(reduce(callable, args, refuse, corrupt));
        break;
      }
      case 0x47: // BINFLOAT: a big-endian double
        if (!options.checkpoint) refuseOpcode(opcode);
        stack.push(view.getFloat64(need(8), false));
        break;
      case 0x62: {
        // BUILD: obj.__setstate__(state); only a dict's attributes (dropped) in a checkpoint
        if (!options.checkpoint) refuseOpcode(opcode);
        const state = pop();
        const target = top();
        if (!(target instanceof Map) || !(state instanceof Map))
          refuse('sets the state of an object that is not a dict (BUILD)');
        break;
      }
      default:
        refuseOpcode(opcode);
    }
  }

  function refuseOpcode(opcode: number): never {
    const name = REFUSED_OPCODE_NAMES[opcode] ?? `0x${opcode.toString(16).padStart(2, '0')}`;
    return refuse(`uses opcode ${name} at byte ${at - 1 - start}, which torch.save of a tensor never writes`);
  }
}
