/**
 * make-fixtures (manifest, files, scenarios) and serve-fixtures (headers, 404, request
 * counting). The models themselves are covered by kokoro-fixture.test.ts and
 * speaker-fixture.test.ts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelFile, ModelManifest, ModelVariant } from '../src/engine/models/manifest';
import { corruptBytes, makeFixtures, REAL_MANIFEST_PATH, type FixtureSummary } from './make-fixtures';
import { sha256Hex } from '../src/test-support/fixture-models/fixture-manifest';
import { listStockVoiceIds } from '../src/test-support/fixture-models/voice-stats';
import { startFixtureServer, type FixtureServer } from './serve-fixtures';

const root = mkdtempSync(join(tmpdir(), 'timbre-fixtures-'));
let summary: FixtureSummary;

function modelFiles(manifest: ModelManifest): ModelFile[] {
  return [...manifest.kokoro.variants, ...manifest.speakerEncoder.variants];
}

function readManifest(scenario: string): ModelManifest {
  return JSON.parse(readFileSync(join(root, scenario, 'manifest.json'), 'utf8')) as ModelManifest;
}

beforeAll(() => {
  summary = makeFixtures(root);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('makeFixtures', () => {
  it('writes a fixture manifest whose sizes and hashes match the files', () => {
    const manifest = readManifest('models');
    expect(manifest.fixture).toBe(true);
    expect(manifest.version).toBe(1);
    const files = [...modelFiles(manifest), ...manifest.voices.map((v) => v.file)];
    expect(files.length).toBeGreaterThanOrEqual(4 + 54);
    for (const file of files) {
      const bytes = readFileSync(join(root, 'models', file.path));
      expect(file.url).toBe(file.path);
      expect(bytes.length).toBe(file.bytes);
      expect(sha256Hex(bytes)).toBe(file.sha256);
    }
  });

  it('has Kokoro fp32 + q8 and encoder fp32 + q8 at the model hub paths', () => {
    const manifest = readManifest('models');
    const byId = (variants: ModelVariant[]) => Object.fromEntries(variants.map((v) => [v.id, v.path]));
    expect(byId(manifest.kokoro.variants)).toMatchObject({
      fp32: 'kokoro/onnx/model.onnx',
      q8: 'kokoro/onnx/model_quantized.onnx',
    });
    expect(byId(manifest.speakerEncoder.variants)).toEqual({
      fp32: 'speaker/onnx/model.onnx',
      q8: 'speaker/onnx/model_quantized.onnx',
    });
    for (const side of [manifest.kokoro, manifest.speakerEncoder]) {
      const ids = side.variants.map((v) => v.id);
      expect(ids).toContain(side.defaultVariant.webgpu);
      expect(ids).toContain(side.defaultVariant.wasm);
    }
  });

  it('lists the 54 stock voices like the real manifest (ids, names, grades)', () => {
    const manifest = readManifest('models');
    expect(manifest.voices.map((v) => v.id).sort()).toEqual(listStockVoiceIds());
    if (existsSync(REAL_MANIFEST_PATH)) {
      const real = JSON.parse(readFileSync(REAL_MANIFEST_PATH, 'utf8')) as ModelManifest;
      const strip = (m: ModelManifest) =>
        m.voices.map(({ id, name, language, gender, grade }) => ({ id, name, language, gender, grade }));
      expect(strip(manifest)).toEqual(strip(real));
      expect(summary.fromRealManifest).toBe(true);
    }
  });

  it('builds the voice list from the packs when there is no real manifest', () => {
    const out = join(root, 'no-template');
    const fallback = makeFixtures(out, { templatePath: join(root, 'does-not-exist.json') });
    expect(fallback.fromRealManifest).toBe(false);
    const heart = fallback.manifest.voices.find((v) => v.id === 'af_heart');
    expect(heart).toMatchObject({ name: 'Heart', language: 'en-us', gender: 'female' });
    expect(fallback.manifest.voices.find((v) => v.id === 'zm_yunxi')).toMatchObject({
      language: 'zh',
      gender: 'male',
    });
    expect(fallback.manifest.kokoro.variants.map((v) => v.id)).toEqual(['fp32', 'q8']);
  });

  it('is idempotent: a second run writes identical manifests', () => {
    const before = readFileSync(join(root, 'models', 'manifest.json'), 'utf8');
    makeFixtures(root);
    expect(readFileSync(join(root, 'models', 'manifest.json'), 'utf8')).toBe(before);
  });

  const SCENARIOS = [
    { scenario: 'corrupt', kokoro: 'same size, wrong hash', encoder: 'same size, wrong hash' },
    { scenario: 'missing', kokoro: 'absent', encoder: 'absent' },
    { scenario: 'truncated', kokoro: 'half size', encoder: 'intact' },
  ] as const;
  it.each(SCENARIOS)(
    '$scenario: Kokoro files $kokoro, encoder files $encoder, voices reachable',
    ({ scenario, kokoro, encoder }) => {
      const manifest = readManifest(scenario);
      expect(manifest).toEqual(readManifest('models'));
      const expectState = (file: ModelFile, state: string) => {
        const path = join(root, scenario, file.path);
        if (state === 'absent') return expect(existsSync(path)).toBe(false);
        const bytes = readFileSync(path);
        if (state === 'half size') return expect(bytes.length).toBe(Math.floor(file.bytes / 2));
        expect(bytes.length).toBe(file.bytes);
        expect(sha256Hex(bytes) === file.sha256).toBe(state === 'intact');
      };
      for (const file of manifest.kokoro.variants) expectState(file, kokoro);
      for (const file of manifest.speakerEncoder.variants) expectState(file, encoder);
      const voice = manifest.voices[0]!.file;
      expect(statSync(join(root, scenario, voice.path)).size).toBe(voice.bytes);
    },
  );

  it('corruptBytes keeps the size and changes the content', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    const corrupt = corruptBytes(bytes);
    expect(corrupt.length).toBe(bytes.length);
    expect(sha256Hex(corrupt)).not.toBe(sha256Hex(bytes));
  });
});

describe('serve-fixtures', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer(root, 0);
  });
  afterAll(() => server.close());

  it('serves files with CORS/CORP headers and exact lengths', async () => {
    const manifest = readManifest('models');
    const model = manifest.kokoro.variants[0]!;
    const response = await fetch(`${server.origin}/models/${model.path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(Number(response.headers.get('content-length'))).toBe(model.bytes);
    expect(sha256Hex(new Uint8Array(await response.arrayBuffer()))).toBe(model.sha256);
    const json = await fetch(`${server.origin}/models/manifest.json`);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await json.json()) as ModelManifest).fixture).toBe(true);
  });

  const NOT_FOUND = [
    '/missing/kokoro/onnx/model.onnx',
    '/models/nope.bin',
    '/models/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
  ];
  it.each(NOT_FOUND)('answers 404 for %s', async (path) => {
    const response = await fetch(`${server.origin}${path}`);
    expect(response.status).toBe(404);
    await response.arrayBuffer();
  });

  it('serves voices through the scenario symlink', async () => {
    const response = await fetch(`${server.origin}/corrupt/voices/af_heart.bin`);
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(522_240);
  });

  it('counts requests per path until reset', async () => {
    await fetch(`${server.origin}/__reset`, { method: 'POST' });
    for (let i = 0; i < 2; i++) await (await fetch(`${server.origin}/models/manifest.json`)).arrayBuffer();
    await (await fetch(`${server.origin}/models/nope.bin`)).arrayBuffer();
    const counts = (await (await fetch(`${server.origin}/__requests`)).json()) as Record<string, number>;
    expect(counts).toEqual({ '/models/manifest.json': 2, '/models/nope.bin': 1 });
    await fetch(`${server.origin}/__reset`, { method: 'POST' });
    expect(await (await fetch(`${server.origin}/__requests`)).json()).toEqual({});
    expect(server.requestCounts()).toEqual({});
  });
});
