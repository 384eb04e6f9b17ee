// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const ORT = ['onnxruntime-web', 'onnxruntime-web/*', 'onnxruntime-node'];

export default tseslint.config(
  {
    ignores: [
      'dist',
      '.scratch',
      'dist-*',
      'node_modules',
      '.fixtures',
      'public',
      'test-results',
      'test-results-*',
      'playwright-report',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The studio's own code (what ships): no ICU on the way to the first paint.
    files: ['src/ui/**/*.{ts,tsx}', 'src/engine/**/*.ts', 'src/workers/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='toLocaleString']",
          message:
            "formatCount (src/engine/count.ts) for numbers: a page's first Intl call builds ICU's formatter, 13-31 ms of main thread.",
        },
        {
          selector: "CallExpression[callee.property.name='localeCompare']",
          message:
            "Compare code points (voice ids are ASCII): localeCompare's first call builds ICU's collator (17 ms).",
        },
      ],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    ignores: ['src/engine/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['react', 'react-dom', 'comlink', 'wavesurfer.js', 'zustand'],
          patterns: [
            {
              group: ORT,
              message: 'The engine never imports onnxruntime: it works against an inference interface.',
            },
            { group: ['**/ui/**', '**/workers/**'], message: 'The engine depends on nothing above it.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'localStorage',
          'sessionStorage',
          'indexedDB',
          'caches',
          'fetch',
          'AudioContext',
          'self',
        ].map((name) => ({ name, message: 'The engine is pure TypeScript: no DOM or browser APIs.' })),
      ],
    },
  },
  {
    // The engine's tests too: a test that needs a runtime lives beside the worker or script that owns one.
    files: ['src/engine/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ORT,
              message: 'Engine tests never import onnxruntime: put the test in src/workers or scripts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ORT, message: 'The UI never runs inference: talk to a worker through its client.' },
            {
              group: ['**/workers/ort/**', '**/*.worker', '**/*.worker.ts'],
              message: 'Import worker clients or protocol types, not worker internals.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/workers/**/*.ts'],
    languageOptions: { globals: globals.worker },
  },
  {
    // One worker owns every onnxruntime session (tts.worker.ts, the inference worker): one
    // onnxruntime instance, one WASM thread pool. The others reach it over a MessagePort.
    files: [
      'src/workers/clone.worker.ts',
      'src/workers/speaker.worker.ts',
      'src/workers/audio-cleanup.worker.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...ORT, '**/ort/*', '**/models/load-sessions', '**/inference/*'],
              message:
                'Only the inference worker (tts.worker.ts) opens onnxruntime sessions: ask it over the port (inference-protocol.ts).',
            },
            {
              group: ['**/text/frontend-loader', '**/text/espeak*'],
              message:
                'Only the inference worker loads eSpeak and the lexicons: ask it to prepare text over the port (prepareText).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts', '*.config.{ts,js}', 'src/**/*.test.ts'],
    languageOptions: { globals: globals.node },
  },
);
