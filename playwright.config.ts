import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

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
const DIST_DIR = process.env.TIMBRE_DIST ?? 'dist';
export const APP_URL = `http://127.0.0.1:${APP_PORT}`;
export const FIXTURE_URL = `http://127.0.0.1:${FIXTURE_PORT}`;
// The specs (e2e/studio.ts) read the fixture origin from here.
process.env.TIMBRE_FIXTURE_ORIGIN = FIXTURE_URL;

// Machines without internet cannot download Playwright's browser: use Debian's Chromium.
const systemChromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const executablePath = existsSync(systemChromium) ? systemChromium : undefined;

const baseArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  // One retry in CI: WebGPU here is SwiftShader on a 2-core machine, and its timing varies.
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: process.env.TIMBRE_RESULTS ?? 'test-results',
  use: {
    baseURL: APP_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'webgpu',
      // WebGPU here is SwiftShader on the CPU: shaders compile per new input shape, slowly.
      timeout: 360_000,
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: { executablePath, args: [...baseArgs, '--enable-unsafe-webgpu'] },
      },
    },
    {
      name: 'wasm',
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
      command: `npx tsx scripts/serve-fixtures.ts --port ${FIXTURE_PORT} --dir .fixtures`,
      url: `${FIXTURE_URL}/models/manifest.json`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
  ],
});
