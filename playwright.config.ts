import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_BASE_ARGS, chromiumExecutable } from './e2e/chromium';

/**
 * e2e against the production build (`vite build` + `vite preview`) in Chromium, twice:
 * once with WebGPU (headless SwiftShader adapter via --enable-unsafe-webgpu) and once
 * without it (no adapter: the WASM fallback path). Fixture models are served by a second
 * server on another origin and reached through the model-source override (?models=...),
 * so the same loader, progress and cache code runs as for real models.
 */
// Ports, build folder and results folder can be moved so that two runs never share them.
const APP_PORT = Number(process.env.TIMBRE_APP_PORT ?? 4173);
const FIXTURE_PORT = Number(process.env.TIMBRE_FIXTURE_PORT ?? 4174);
const STATIC_PORT = Number(process.env.TIMBRE_STATIC_PORT ?? 4175);
const DIST_DIR = process.env.TIMBRE_DIST ?? 'dist';
export const APP_URL = `http://127.0.0.1:${APP_PORT}`;
export const FIXTURE_URL = `http://127.0.0.1:${FIXTURE_PORT}`;
/** dist/ served by a plain static server with exactly public/_headers (e2e/hosting.spec.ts). */
export const STATIC_URL = `http://127.0.0.1:${STATIC_PORT}`;
// The specs (e2e/studio.ts) read the fixture origin from here.
process.env.TIMBRE_FIXTURE_ORIGIN = FIXTURE_URL;
process.env.TIMBRE_STATIC_ORIGIN = STATIC_URL;

const executablePath = chromiumExecutable();
const baseArgs = [...CHROMIUM_BASE_ARGS];

export default defineConfig({
  testDir: 'e2e',
  // Each test's own budget; a test with more work sets its own (test.setTimeout), none relies on retries.
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  // No retries: a test that fails once is a failure, with its trace.
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: process.env.TIMBRE_RESULTS ?? 'test-results',
  use: {
    baseURL: APP_URL,
    // A click or a navigation that cannot happen fails within half a minute, saying where it stuck.
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      // The real models (npm run models:real) self-hosted under /models, on WASM.
      name: 'real',
      testMatch: ['real-models.spec.ts', 'hosting.spec.ts'],
      timeout: 300_000,
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: { executablePath, args: baseArgs },
      },
    },
    {
      name: 'webgpu',
      testIgnore: ['real-models.spec.ts', 'hosting.spec.ts'],
      // WebGPU here is SwiftShader on the CPU: shaders compile per new input shape, slowly.
      timeout: 240_000,
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: { executablePath, args: [...baseArgs, '--enable-unsafe-webgpu'] },
      },
    },
    {
      name: 'wasm',
      testIgnore: ['real-models.spec.ts', 'hosting.spec.ts'],
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: { executablePath, args: baseArgs },
      },
    },
  ],
  webServer: [
    {
      command: `npx vite preview --port ${APP_PORT} --strictPort --host 127.0.0.1 --outDir ${DIST_DIR}`,
      url: APP_URL,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: `npx tsx scripts/serve-static.ts --port ${STATIC_PORT} --dir ${DIST_DIR}`,
      url: `${STATIC_URL}/index.html`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: `npx tsx scripts/serve-fixtures.ts --port ${FIXTURE_PORT} --dir .fixtures`,
      url: `${FIXTURE_URL}/models/manifest.json`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
  ],
});
