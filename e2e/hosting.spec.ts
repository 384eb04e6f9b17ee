/**
 * The production build on a plain static host: dist/ served by scripts/serve-static.ts with
 * exactly public/_headers (not Vite). The page is cross-origin isolated, speaks with the real
 * models self-hosted under /models, breaks no rule of its own CSP, and a request to another
 * origin is blocked by the CSP. Project `real` (the models come from npm run models:real).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

const STATIC_ORIGIN = process.env.TIMBRE_STATIC_ORIGIN ?? 'http://127.0.0.1:4175';
const FIXTURE_ORIGIN = process.env.TIMBRE_FIXTURE_ORIGIN ?? 'http://127.0.0.1:4174';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

test('on a static host with _headers: isolated, speaks, obeys its CSP, blocks other origins', async ({
  page,
}) => {
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportViolation(text: string): void }).reportViolation(
        `${e.violatedDirective} ${e.blockedURI}`,
      ),
    );
  });
  const response = await page.goto(`${STATIC_ORIGIN}/`);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  // Speech with the self-hosted real Kokoro, under the CSP.
  await expect(page.getByTestId('backend-badge')).toBeVisible({ timeout: 180_000 });
  await page.getByTestId('text-input').fill('The birch canoe slid on the smooth planks.');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('synthesis-status')).toContainText('Done', { timeout: 180_000 });
  const seconds = Number((await page.getByTestId('take-duration').textContent())!.replace(/[^\d.]/g, ''));
  expect(seconds).toBeGreaterThan(1.5);
  expect(violations, 'the studio itself breaks no CSP rule').toEqual([]);

  // Another origin (the fixture server, which allows CORS): the CSP refuses the request.
  const result = await page.evaluate(
    (url) =>
      fetch(url).then(
        () => 'loaded',
        (error: unknown) => `blocked: ${String(error)}`,
      ),
    `${FIXTURE_ORIGIN}/models/manifest.json`,
  );
  expect(result).toMatch(/^blocked/);
  await expect.poll(() => violations.some((v) => v.startsWith('connect-src'))).toBe(true);

  // No source maps in the production build.
  expect(files(process.env.TIMBRE_DIST ?? 'dist').filter((f) => f.endsWith('.map'))).toEqual([]);
});

test("a model source the site's CSP does not allow: the message names the policy, not the network", async ({
  page,
}) => {
  // The fixture server answers CORS requests, so only the policy can stop this source.
  await page.goto(`${STATIC_ORIGIN}/?models=${encodeURIComponent(`${FIXTURE_ORIGIN}/models/`)}`);
  const error = page.getByTestId('model-error');
  await expect(error).toContainText("this site's Content-Security-Policy does not allow", {
    timeout: 60_000,
  });
  await expect(error).toContainText(FIXTURE_ORIGIN);
  await expect(error).toContainText('connect-src');
});
