import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { readFileSync } from 'node:fs';
import { VitePWA } from 'vite-plugin-pwa';
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

/**
 * The service worker (Workbox, through vite-plugin-pwa) precaches the app shell, the workers,
 * the WASM files and the lexicons, so a later visit works offline. Models are not in it: the
 * model store keeps them in their own Cache Storage (with integrity checks and a Clear). The app
 * registers it only once the first model load is over (src/ui/after-first-load.ts).
 * 'prompt': a new version waits until the user reloads (the studio offers it, never under a job).
 */
const pwa = VitePWA({
  registerType: 'prompt',
  injectRegister: false,
  manifest: {
    name: 'Timbre voice studio',
    short_name: 'Timbre',
    description: 'Clone, blend and speak Kokoro voices, entirely in your browser.',
    theme_color: '#18181b',
    background_color: '#09090b',
    display: 'standalone',
    icons: [
      { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
    ],
  },
  workbox: {
    globPatterns: ['**/*.{html,js,css,wasm,onnx,gz,svg,png,txt,webmanifest}'],
    // Models (self-hosted or fixtures) live in the model store's cache, never in the app's.
    globIgnores: ['models/**', '_headers'],
    // onnxruntime-web's WASM is ~28 MB.
    maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
    navigateFallback: 'index.html',
    navigateFallbackDenylist: [/^\/models\//],
    clientsClaim: true,
    cleanupOutdatedCaches: true,
  },
});

export default defineConfig({
  // Notices come from what the bundles really contain: the main build and each worker build.
  plugins: [react(), tailwindcss(), collectThirdParty(), emitThirdPartyNotices(), pwa],
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
