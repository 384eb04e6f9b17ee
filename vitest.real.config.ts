import { defineConfig } from 'vitest/config';

/**
 * Unit tests on the real models (npm run test:real): the real Kokoro-82M int8 and
 * Resemblyzer's GE2E encoder, laid out by `npm run models:real` (which the global setup runs,
 * so a fresh machine fetches them; where they cannot be fetched the run fails, it never
 * passes without them). One file at a time: each holds a model session of its own.
 */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.real.test.ts'],
    globalSetup: ['scripts/real-models-setup.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
