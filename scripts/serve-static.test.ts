/** The production headers file: parsed as a static host would, and consistent with the manifest. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../src/engine/models/validate';
import { headersFor, parseHeadersFile } from './serve-static';

const rules = parseHeadersFile(readFileSync('public/_headers', 'utf8'));
const headers = headersFor(rules, '/index.html');
const csp = new Map(
  (headers['Content-Security-Policy'] ?? '')
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .filter((d) => d[0])
    .map((d) => [d[0]!, d.slice(1)] as const),
);

describe('public/_headers', () => {
  it('makes every page cross-origin isolated', () => {
    expect(headers['Cross-Origin-Opener-Policy']).toBe('same-origin');
    expect(headers['Cross-Origin-Embedder-Policy']).toBe('credentialless');
    expect(headersFor(rules, '/assets/tts.worker-abc.js')['Cross-Origin-Embedder-Policy']).toBe(
      'credentialless',
    );
  });

  it('has a strict CSP: scripts and workers from self, WebAssembly allowed, no eval', () => {
    expect(csp.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(csp.get('worker-src')).toContain("'self'");
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect([...csp.values()].flat()).not.toContain("'unsafe-eval'");
  });

  it('lets the studio reach every model host the manifest names, and nothing else', () => {
    const manifest = parseManifestText(readFileSync('public/models/manifest.json', 'utf8'), 'manifest.json');
    const urls = [
      ...manifest.kokoro.variants.map((v) => v.url),
      ...manifest.speakerEncoder.variants.map((v) => v.url),
      ...manifest.voices.map((v) => v.file.url),
      manifest.ge2eEncoder?.file.url,
    ].filter((u): u is string => typeof u === 'string');
    const allowed = csp.get('connect-src') ?? [];
    const allows = (origin: string) =>
      allowed.some((source) =>
        source.includes('*')
          ? new RegExp(`^${source.replace(/\./g, '\\.').replace('*', '[^/.]+')}$`).test(origin)
          : source === origin,
      );
    for (const origin of new Set(urls.map((u) => new URL(u).origin)))
      expect(allows(origin), origin).toBe(true);
    expect(allowed[0]).toBe("'self'");
    expect(allowed.filter((s) => !s.startsWith('https://') && s !== "'self'")).toEqual([]);
  });
});
