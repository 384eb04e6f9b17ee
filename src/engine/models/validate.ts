/**
 * Turns untrusted JSON (a custom model base can point anywhere) into a ModelManifest, or a
 * ManifestError that lists every problem with its JSON path (`kokoro.variants[1].bytes: ...`).
 * The result is rebuilt field by field, so unknown keys never reach the rest of the studio.
 */
import { FBANK_MEL_BINS } from '../audio/fbank';
import { KOKORO_SAMPLE_RATE_HZ } from '../tts/types';
import { ManifestError } from './errors';
import { isSha256Hex } from './format';
import type { LanguageCode, ModelFile, ModelManifest, ModelVariant, VoiceEntry } from './manifest';
import { isSafeRelativePath } from './sources';

const LANGUAGES: readonly LanguageCode[] = ['en-us', 'en-gb', 'es', 'fr', 'hi', 'it', 'ja', 'pt-br', 'zh'];
const VOICE_ID = /^[a-z]{2}_[a-z0-9]+$/;

type Json = Record<string, unknown>;

class Checker {
  readonly problems: string[] = [];

  fail(where: string, message: string): void {
    this.problems.push(`${where}: ${message}`);
  }

  object(value: unknown, where: string): Json | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
    this.fail(where, 'expected an object');
    return undefined;
  }

  array(value: unknown, where: string): unknown[] {
    if (Array.isArray(value)) return value;
    this.fail(where, 'expected an array');
    return [];
  }

  string(value: unknown, where: string): string {
    if (typeof value === 'string' && value.length > 0) return value;
    this.fail(where, 'expected a non-empty string');
    return '';
  }

  positiveInteger(value: unknown, where: string): number {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
    this.fail(where, 'expected a positive whole number');
    return 0;
  }
}

function parseFile(c: Checker, raw: Json, where: string): ModelFile {
  const path = c.string(raw.path, `${where}.path`);
  if (path && !isSafeRelativePath(path))
    c.fail(`${where}.path`, `"${path}" must be a relative path without "."/".."`);
  const url = c.string(raw.url, `${where}.url`);
  // Hub URLs are absolute; a mirror's or fixture's manifest may give paths relative to itself.
  if (url && !/^https?:\/\/[^/]+\//.test(url) && !isSafeRelativePath(url))
    c.fail(`${where}.url`, `"${url}" must be an absolute http(s) URL or a relative path`);
  const file: ModelFile = { path, url, bytes: c.positiveInteger(raw.bytes, `${where}.bytes`) };
  if (raw.sha256 !== undefined) {
    if (typeof raw.sha256 === 'string' && isSha256Hex(raw.sha256)) file.sha256 = raw.sha256;
    else c.fail(`${where}.sha256`, 'expected 64 lower-case hex digits');
  }
  return file;
}

function parseVariants(c: Checker, value: unknown, where: string): ModelVariant[] {
  const variants: ModelVariant[] = [];
  c.array(value, where).forEach((item, index) => {
    const at = `${where}[${index}]`;
    const raw = c.object(item, at);
    if (!raw) return;
    const id = c.string(raw.id, `${at}.id`);
    if (variants.some((variant) => variant.id === id)) c.fail(`${at}.id`, `duplicate variant id "${id}"`);
    const variant: ModelVariant = { id, label: c.string(raw.label, `${at}.label`), ...parseFile(c, raw, at) };
    if (raw.standsInFor !== undefined) variant.standsInFor = c.string(raw.standsInFor, `${at}.standsInFor`);
    variants.push(variant);
  });
  variants.forEach((variant, index) => {
    if (
      variant.standsInFor !== undefined &&
      !variants.some((other) => other.id === variant.standsInFor && other !== variant)
    )
      c.fail(`${where}[${index}].standsInFor`, `no other variant "${variant.standsInFor}"`);
  });
  if (Array.isArray(value) && variants.length === 0) c.fail(where, 'needs at least one variant');
  return variants;
}

function parseDefaultVariant(c: Checker, value: unknown, variants: ModelVariant[], where: string) {
  const raw = c.object(value, where) ?? {};
  const pick = (backend: 'webgpu' | 'wasm'): string => {
    const id = c.string(raw[backend], `${where}.${backend}`);
    if (id && !variants.some((variant) => variant.id === id))
      c.fail(`${where}.${backend}`, `no variant "${id}"`);
    return id;
  };
  return { webgpu: pick('webgpu'), wasm: pick('wasm') };
}

function parseVoice(c: Checker, raw: Json, where: string): VoiceEntry {
  const id = c.string(raw.id, `${where}.id`);
  if (id && !VOICE_ID.test(id)) c.fail(`${where}.id`, `"${id}" is not a voice id like af_heart`);
  const language = c.string(raw.language, `${where}.language`) as LanguageCode;
  if (language && !LANGUAGES.includes(language))
    c.fail(`${where}.language`, `unknown language "${language}"`);
  const gender = raw.gender;
  if (gender !== 'female' && gender !== 'male') c.fail(`${where}.gender`, 'expected "female" or "male"');
  const fileRaw = c.object(raw.file, `${where}.file`);
  const voice: VoiceEntry = {
    id,
    name: c.string(raw.name, `${where}.name`),
    language,
    gender: gender === 'male' ? 'male' : 'female',
    file: fileRaw ? parseFile(c, fileRaw, `${where}.file`) : { path: '', url: '', bytes: 0 },
  };
  if (raw.grade !== undefined) voice.grade = c.string(raw.grade, `${where}.grade`);
  return voice;
}

/** A JSON value for a message: objects and arrays by kind only (a deeply nested one cannot be printed). */
function describeJson(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(JSON.stringify(value));
}

/** Validates parsed JSON. `origin` names the manifest in error messages (its URL or file). */
export function parseManifest(json: unknown, origin = 'manifest.json'): ModelManifest {
  const c = new Checker();
  const root = c.object(json, '(root)') ?? {};
  if (root.version !== 1) c.fail('version', `expected 1, got ${describeJson(root.version)}`);
  if (root.fixture !== undefined && typeof root.fixture !== 'boolean')
    c.fail('fixture', 'expected true or false');

  const kokoroRaw = c.object(root.kokoro, 'kokoro') ?? {};
  const kokoroVariants = parseVariants(c, kokoroRaw.variants, 'kokoro.variants');
  const kokoro: ModelManifest['kokoro'] = {
    id: c.string(kokoroRaw.id, 'kokoro.id'),
    license: c.string(kokoroRaw.license, 'kokoro.license'),
    sampleRateHz: c.positiveInteger(kokoroRaw.sampleRateHz, 'kokoro.sampleRateHz'),
    variants: kokoroVariants,
    defaultVariant: parseDefaultVariant(c, kokoroRaw.defaultVariant, kokoroVariants, 'kokoro.defaultVariant'),
  };

  const voices: VoiceEntry[] = [];
  c.array(root.voices, 'voices').forEach((item, index) => {
    const raw = c.object(item, `voices[${index}]`);
    if (!raw) return;
    const voice = parseVoice(c, raw, `voices[${index}]`);
    if (voices.some((other) => other.id === voice.id))
      c.fail(`voices[${index}].id`, `duplicate voice "${voice.id}"`);
    voices.push(voice);
  });

  const encoderRaw = c.object(root.speakerEncoder, 'speakerEncoder') ?? {};
  const encoderVariants = parseVariants(c, encoderRaw.variants, 'speakerEncoder.variants');
  const speakerEncoder: ModelManifest['speakerEncoder'] = {
    id: c.string(encoderRaw.id, 'speakerEncoder.id'),
    license: c.string(encoderRaw.license, 'speakerEncoder.license'),
    credit: c.string(encoderRaw.credit, 'speakerEncoder.credit'),
    embeddingDim: c.positiveInteger(encoderRaw.embeddingDim, 'speakerEncoder.embeddingDim'),
    melBins: c.positiveInteger(encoderRaw.melBins, 'speakerEncoder.melBins'),
    variants: encoderVariants,
    defaultVariant: parseDefaultVariant(
      c,
      encoderRaw.defaultVariant,
      encoderVariants,
      'speakerEncoder.defaultVariant',
    ),
  };

  let ge2eEncoder: ModelManifest['ge2eEncoder'];
  if (root.ge2eEncoder !== undefined) {
    const raw = c.object(root.ge2eEncoder, 'ge2eEncoder') ?? {};
    const fileRaw = c.object(raw.file, 'ge2eEncoder.file');
    ge2eEncoder = {
      id: c.string(raw.id, 'ge2eEncoder.id'),
      license: c.string(raw.license, 'ge2eEncoder.license'),
      credit: c.string(raw.credit, 'ge2eEncoder.credit'),
      file: fileRaw ? parseFile(c, fileRaw, 'ge2eEncoder.file') : { path: '', url: '', bytes: 0 },
    };
  }

  // The studio's audio code is built for these; a manifest that says otherwise describes other models.
  if (kokoro.sampleRateHz && kokoro.sampleRateHz !== KOKORO_SAMPLE_RATE_HZ)
    c.fail(
      'kokoro.sampleRateHz',
      `this studio runs Kokoro at ${KOKORO_SAMPLE_RATE_HZ} Hz, not ${kokoro.sampleRateHz}`,
    );
  if (speakerEncoder.melBins && speakerEncoder.melBins !== FBANK_MEL_BINS)
    c.fail(
      'speakerEncoder.melBins',
      `this studio feeds the encoder ${FBANK_MEL_BINS} fbank bins, not ${speakerEncoder.melBins}`,
    );

  if (c.problems.length > 0) throw new ManifestError(origin, c.problems);
  const manifest: ModelManifest = { version: 1, kokoro, voices, speakerEncoder };
  if (ge2eEncoder) manifest.ge2eEncoder = ge2eEncoder;
  if (root.fixture === true) manifest.fixture = true;
  return manifest;
}

/** Parses manifest.json text; a JSON syntax error becomes a ManifestError too. */
export function parseManifestText(text: string, origin = 'manifest.json'): ModelManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const hint = text.trimStart().startsWith('<') ? ' (got an HTML page: is the file missing?)' : '';
    throw new ManifestError(origin, [`not valid JSON${hint}: ${detail}`]);
  }
  return parseManifest(json, origin);
}
