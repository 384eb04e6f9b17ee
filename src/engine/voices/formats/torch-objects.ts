/**
 * The few Python objects a torch.save'd tensor pickle may build, as inert data: the names it
 * may reference, the storage persistent ids, and the two calls it may make
 * (`_rebuild_tensor_v2` and an empty `OrderedDict`), evaluated here without running anything.
 */
import type { ElementType } from './numeric';

export interface GlobalRef {
  kind: 'global';
  qualifiedName: string;
}
export interface StorageRef {
  kind: 'storage';
  elementType: ElementType;
  /** Record name inside the archive (`data/<key>`), or the legacy format's storage key. */
  key: string;
  numel: number;
}
export interface TensorRef {
  kind: 'tensor';
  storage: StorageRef;
  storageOffset: number;
  size: number[];
  stride: number[];
}
export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PickleValue[]
  | Map<string | number, PickleValue>
  | GlobalRef
  | StorageRef
  | TensorRef;

const REBUILD_TENSOR = 'torch._utils._rebuild_tensor_v2';
const ORDERED_DICT = 'collections.OrderedDict';
/** torch.save of an nn.Parameter wraps the tensor in this; torch's weights_only loader allows it too. */
const REBUILD_PARAMETER = 'torch._utils._rebuild_parameter';
const STORAGE_TYPES: Record<string, ElementType> = {
  'torch.FloatStorage': 'float32',
  'torch.HalfStorage': 'float16',
  'torch.DoubleStorage': 'float64',
  'torch.BFloat16Storage': 'bfloat16',
};
export const KNOWN_GLOBALS = new Set([
  REBUILD_TENSOR,
  REBUILD_PARAMETER,
  ORDERED_DICT,
  ...Object.keys(STORAGE_TYPES),
]);

/** "os.system (posix.system)": pickles name os functions by their platform module. */
export function displayName(qualifiedName: string): string {
  const [module, ...rest] = qualifiedName.split('.');
  const name = rest.join('.');
  if (module === 'posix' || module === 'nt') return `os.${name} (${qualifiedName})`;
  if (module === '__builtin__') return `builtins.${name}`;
  return qualifiedName;
}

/** ('storage', torch.FloatStorage, key, location, numel[, view_metadata]) -> a storage reference. */
export function persistentStorage(pid: PickleValue, corrupt: (why: string) => never): StorageRef {
  if (!Array.isArray(pid) || pid[0] !== 'storage' || (pid.length !== 5 && pid.length !== 6)) {
    return corrupt('unknown persistent id (expected a torch storage)');
  }
  const [, type, key, , numel, viewMetadata] = pid;
  const elementType = isGlobal(type) ? STORAGE_TYPES[type.qualifiedName] : undefined;
  if (!elementType)
    return corrupt(
      `storage type ${isGlobal(type) ? type.qualifiedName : String(type)} is not a float storage`,
    );
  if (typeof key !== 'string' || typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0)
    return corrupt('bad storage key or size');
  if (viewMetadata !== undefined && viewMetadata !== null)
    return corrupt('storage views of the legacy format are not supported');
  return { kind: 'storage', elementType, key, numel };
}

export function reduce(
  callable: PickleValue,
  args: PickleValue,
  refuse: (what: string) => never,
  corrupt: (why: string) => never,
): PickleValue {
  if (!isGlobal(callable)) return refuse('calls something that is not a known function');
  if (!Array.isArray(args)) return corrupt('REDUCE without an argument tuple');
  if (callable.qualifiedName === ORDERED_DICT) {
    if (args.length !== 0) return refuse('builds an OrderedDict from arguments');
    return new Map();
  }
  if (callable.qualifiedName === REBUILD_PARAMETER) {
    // (data, requires_grad, backward_hooks): the tensor is all a voice needs.
    const [data, , hooks] = args;
    if (!isTensor(data) || args.length !== 3) return corrupt('unexpected arguments to _rebuild_parameter');
    if (hooks instanceof Map && hooks.size > 0) return refuse('attaches backward hooks to the parameter');
    return data;
  }
  if (callable.qualifiedName !== REBUILD_TENSOR)
    return refuse(`calls ${displayName(callable.qualifiedName)}`);
  // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
  const [storage, storageOffset, size, stride, , hooks] = args;
  const isIntTuple = (value: PickleValue | undefined): value is number[] =>
    Array.isArray(value) && value.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0);
  if (
    args.length < 6 ||
    args.length > 7 ||
    !isStorage(storage) ||
    typeof storageOffset !== 'number' ||
    !Number.isSafeInteger(storageOffset) ||
    storageOffset < 0
  ) {
    return corrupt('unexpected arguments to _rebuild_tensor_v2');
  }
  if (!isIntTuple(size) || !isIntTuple(stride) || size.length !== stride.length)
    return corrupt('bad tensor size or stride');
  if (hooks instanceof Map && hooks.size > 0) return refuse('attaches backward hooks to the tensor');
  return { kind: 'tensor', storage, storageOffset, size, stride };
}

/** The kind tag of a torch object in a pickle value, or undefined for plain Python values. */
function kindOf(value: PickleValue | undefined): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Map)
    return undefined;
  return value.kind;
}
export const isGlobal = (value: PickleValue | undefined): value is GlobalRef => kindOf(value) === 'global';
export const isStorage = (value: PickleValue | undefined): value is StorageRef => kindOf(value) === 'storage';
export const isTensor = (value: PickleValue | undefined): value is TensorRef => kindOf(value) === 'tensor';
