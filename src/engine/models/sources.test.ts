import { describe, expect, it } from 'vitest';
import type { ModelFile } from './manifest';
import {
  candidateUrls,
  isSafeRelativePath,
  joinUrl,
  manifestUrl,
  selfHostHint,
  sourceFromBase,
  type ModelSource,
} from './sources';

const HUB_URL =
  'https://huggingface.co/onnx-community/Kokoro-82M-v1.0-ONNX/resolve/main/onnx/model_quantized.onnx';
const FILE: ModelFile = { path: 'kokoro/onnx/model_quantized.onnx', url: HUB_URL, bytes: 92_361_116 };

describe('candidateUrls', () => {
  const CASES: { name: string; source: ModelSource; expected: { url: string; origin: string }[] }[] = [
    {
      name: 'default: self-hosted first, then the hub',
      source: { kind: 'default', selfHostBase: '/models/' },
      expected: [
        { url: '/models/kokoro/onnx/model_quantized.onnx', origin: 'self-hosted' },
        { url: HUB_URL, origin: 'hub' },
      ],
    },
    {
      name: 'default under a sub-path deployment',
      source: { kind: 'default', selfHostBase: '/timbre/models/' },
      expected: [
        { url: '/timbre/models/kokoro/onnx/model_quantized.onnx', origin: 'self-hosted' },
        { url: HUB_URL, origin: 'hub' },
      ],
    },
    {
      name: 'custom base: only the base',
      source: { kind: 'custom', base: 'https://cdn.example.org/timbre/' },
      expected: [
        { url: 'https://cdn.example.org/timbre/kokoro/onnx/model_quantized.onnx', origin: 'custom' },
      ],
    },
    {
      name: 'custom base without a trailing slash is still a folder',
      source: { kind: 'custom', base: 'https://cdn.example.org/timbre' },
      expected: [
        { url: 'https://cdn.example.org/timbre/kokoro/onnx/model_quantized.onnx', origin: 'custom' },
      ],
    },
  ];
  it.each(CASES)('$name', ({ source, expected }) => {
    expect(candidateUrls(FILE, source)).toEqual(expected);
  });

  it('matches new URL(path, base) for folder bases', () => {
    const BASES = ['https://a.example/', 'https://a.example/x/y/', 'http://localhost:5173/models/'];
    for (const base of BASES) expect(joinUrl(base, FILE.path)).toBe(new URL(FILE.path, base).href);
  });
});

describe('sourceFromBase and manifestUrl', () => {
  const CASES = [
    {
      base: undefined,
      source: { kind: 'default', selfHostBase: '/models/' },
      manifest: '/models/manifest.json',
    },
    { base: '  ', source: { kind: 'default', selfHostBase: '/models/' }, manifest: '/models/manifest.json' },
    {
      base: 'https://h.example/m',
      source: { kind: 'custom', base: 'https://h.example/m/' },
      manifest: 'https://h.example/m/manifest.json',
    },
    { base: '/mine/', source: { kind: 'custom', base: '/mine/' }, manifest: '/mine/manifest.json' },
  ] as const;
  it.each(CASES)('base $base', ({ base, source, manifest }) => {
    const resolved = sourceFromBase(base);
    expect(resolved).toEqual(source);
    expect(manifestUrl(resolved)).toBe(manifest);
  });
});

describe('isSafeRelativePath', () => {
  const CASES: [string, boolean][] = [
    ['kokoro/onnx/model.onnx', true],
    ['voices/af_heart.bin', true],
    ['manifest.json', true],
    ['', false],
    ['/etc/passwd', false],
    ['../secret.bin', false],
    ['voices/../../x', false],
    ['voices/./af_heart.bin', false],
    ['voices//af_heart.bin', false],
    ['https://evil.example/x', false],
    ['voices\\af_heart.bin', false],
    ['voices/af_heart.bin?v=1', false],
  ];
  it.each(CASES)('%s -> %s', (path, safe) => {
    expect(isSafeRelativePath(path)).toBe(safe);
  });

  it('joinUrl refuses unsafe paths', () => {
    expect(() => joinUrl('/models/', '../index.html')).toThrow(/Unsafe model path/);
  });
});

describe('selfHostHint', () => {
  it('points at models:fetch and public/models for the default source', () => {
    expect(selfHostHint(FILE.path, sourceFromBase())).toBe(
      'run `npm run models:fetch` or put model_quantized.onnx at public/models/kokoro/onnx/model_quantized.onnx',
    );
  });
  it('points at the custom base otherwise', () => {
    expect(selfHostHint(FILE.path, sourceFromBase('https://h.example/m/'))).toBe(
      'put model_quantized.onnx at https://h.example/m/kokoro/onnx/model_quantized.onnx',
    );
  });
});
