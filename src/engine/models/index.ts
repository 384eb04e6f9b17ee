/** Public surface of the model layer: the manifest types and the pure helpers around them. */
export type { LanguageCode, ModelFile, ModelManifest, ModelVariant, VoiceEntry } from './manifest';
export {
  IntegrityError,
  ManifestError,
  ModelNetworkError,
  ModelNotFoundError,
  StorageQuotaError,
} from './errors';
export type { FailedAttempt, IntegrityCheck } from './errors';
export { bytesToHex, formatBytes, hexToBytes, isSha256Hex } from './format';
export {
  candidateUrls,
  DEFAULT_SELF_HOST_BASE,
  describeSource,
  isSafeRelativePath,
  joinUrl,
  MANIFEST_FILE_NAME,
  manifestUrl,
  selfHostHint,
  sourceFromBase,
} from './sources';
export type { CandidateOrigin, CandidateUrl, ModelSource } from './sources';
export { parseManifest, parseManifestText } from './validate';
export {
  defaultVariantIds,
  describeModelFile,
  findVoice,
  pickVariant,
  resolveVariant,
  selectFiles,
  totalBytes,
} from './variants';
export type { FileSelection, ModelBackend, SelectedFile, VariantSet } from './variants';
