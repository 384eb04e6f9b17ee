/**
 * What bench/memory.ts serves: the production build through `vite preview` (which sends
 * vite.config.ts's COOP/COEP headers, so the page is cross-origin isolated) on a free port,
 * and, without `--real`, the fixture models on a second origin as the e2e serves them
 * (scripts/serve-fixtures.ts, reached through `?models=`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_FIXTURES_DIR } from '../../scripts/make-fixtures';
import { startFixtureServer, type FixtureServer } from '../../scripts/serve-fixtures';
import { REPO_ROOT } from '../../src/test-support/shared';

export const DIST_DIR = join(REPO_ROOT, 'dist');
const VITE = join(REPO_ROOT, 'node_modules/.bin/vite');

/** The real model files `npm run models:real` lays out, relative to public/ (and so to dist/). */
export const REAL_MODEL_FILES = [
  'models/kokoro/onnx/kokoro-v1.0.int8.onnx',
  'models/speaker/ge2e/pretrained.pt',
];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/**
 * Builds dist/ with `vite build` when asked, when there is none, or when `--real` needs the
 * real models inside it (vite copies public/models into dist/ at build time).
 */
export async function ensureBuild(force: boolean, real: boolean): Promise<string> {
  if (real) {
    const missing = REAL_MODEL_FILES.filter((file) => !existsSync(join(REPO_ROOT, 'public', file)));
    if (missing.length > 0)
      throw new Error(
        `--real needs the real models in public/ (missing ${missing.join(', ')}): run npm run models:real`,
      );
  }
  const reason = force
    ? '--build'
    : !existsSync(join(DIST_DIR, 'index.html'))
      ? 'there is no dist/'
      : real && REAL_MODEL_FILES.some((file) => !existsSync(join(DIST_DIR, file)))
        ? 'dist/ lacks the real models'
        : undefined;
  if (!reason) return 'dist/ as it is';
  console.log(`Building dist/ (${reason}): vite build`);
  await run(VITE, ['build', '--logLevel', 'warn']);
  return `dist/ built now (${reason})`;
}

export interface Served {
  appUrl: string;
  /** The fixture model folder (`…/models/`), or undefined for the self-hosted real models. */
  fixtureModels: string | undefined;
  close(): Promise<void>;
}

async function waitHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`vite preview did not answer at ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** `vite preview` of dist/ on a free port, plus the fixture server unless `real`. */
export async function serve(real: boolean): Promise<Served> {
  let fixtures: FixtureServer | undefined;
  if (!real) {
    if (!existsSync(join(DEFAULT_FIXTURES_DIR, 'models/manifest.json')))
      throw new Error(`No fixture models in ${DEFAULT_FIXTURES_DIR}: run npm run fixtures`);
    fixtures = await startFixtureServer(DEFAULT_FIXTURES_DIR, 0);
  }
  const port = await freePort();
  const preview = spawn(
    VITE,
    ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1', '--outDir', DIST_DIR],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    },
  );
  const close = async () => {
    if (preview.exitCode === null && preview.signalCode === null) {
      const exited = new Promise((resolve) => preview.once('exit', resolve));
      preview.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (preview.exitCode === null && preview.signalCode === null) preview.kill('SIGKILL');
    }
    fixtures?.server.closeAllConnections();
    await fixtures?.close();
  };
  const appUrl = `http://127.0.0.1:${port}`;
  try {
    await waitHttp(`${appUrl}/`, preview, 60_000);
  } catch (error) {
    await close();
    throw error;
  }
  return { appUrl, fixtureModels: fixtures ? `${fixtures.origin}/models/` : undefined, close };
}
