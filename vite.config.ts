import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { readFileSync } from 'node:fs';
import { collectThirdParty, emitThirdPartyNotices } from './scripts/third-party-notices';

/** The app's version, written into the provenance of every file it makes. */
const version = (
  JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }
).version;

// Cross-origin isolation lets onnxruntime-web use its multi-threaded WASM build.
// `credentialless` (not `require-corp`) so model files from the hub (CORS) still load.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'credentialless',
};

export default defineConfig({
  // Notices come from what the bundles really contain: the main build and each worker build.
  plugins: [react(), tailwindcss(), collectThirdParty(), emitThirdPartyNotices()],
  define: { __TIMBRE_VERSION__: JSON.stringify(version) },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es', plugins: () => [collectThirdParty()] },
  optimizeDeps: { exclude: ['onnxruntime-web', 'phonemizer'] },
  // Source maps only when asked for (TIMBRE_SOURCEMAP=1): the production build ships none.
  build: { target: 'es2022', sourcemap: process.env.TIMBRE_SOURCEMAP === '1', chunkSizeWarningLimit: 4096 },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Tests on the real models run apart (npm run test:real, vitest.real.config.ts).
    exclude: ['**/node_modules/**', 'src/**/*.real.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
