/**
 * Static server for the fixture model tree, for e2e tests:
 *   tsx scripts/serve-fixtures.ts [--port 4174] [--dir .fixtures]
 *
 * Binds 127.0.0.1 only. Sends CORS and CORP headers so a cross-origin-isolated page can fetch
 * from it, exact Content-Length, and 404 for anything missing. It counts requests per path:
 * `GET /__requests` returns { "<path>": count, ... } and `POST /__reset` clears the counts,
 * so a test can assert that a reload made no model requests.
 */
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FIXTURES_DIR } from './make-fixtures';

export const DEFAULT_FIXTURES_PORT = 4174;
const HOST = '127.0.0.1';

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.wav': 'audio/wav',
  '.txt': 'text/plain; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
};

const COMMON_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, OPTIONS',
  'Access-Control-Allow-Headers': '*',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Type',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Cache-Control': 'no-store',
};

export interface FixtureServer {
  server: Server;
  /** e.g. http://127.0.0.1:4174 */
  origin: string;
  /** Requests so far per URL path (without the query string). */
  requestCounts(): Record<string, number>;
  resetCounts(): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  const bytes = Buffer.from(body);
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': type, 'Content-Length': bytes.length });
  res.end(bytes);
}

/** The file under `root` for a URL path, or undefined when it escapes the root or is not a file. */
function resolveFile(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const candidate = resolve(join(root, decoded));
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined;
  try {
    // Symlinks (the scenario folders' `voices`) must still land inside the fixture tree.
    const real = realpathSync(candidate);
    const realRoot = realpathSync(root);
    if (!real.startsWith(realRoot + sep)) return undefined;
    return statSync(real).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

export function startFixtureServer(
  dir: string = DEFAULT_FIXTURES_DIR,
  port = DEFAULT_FIXTURES_PORT,
): Promise<FixtureServer> {
  const root = resolve(dir);
  const counts = new Map<string, number>();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/__requests' && req.method === 'GET') {
      send(res, 200, JSON.stringify(Object.fromEntries(counts)), CONTENT_TYPES['.json']);
      return;
    }
    if (path === '/__reset' && req.method === 'POST') {
      counts.clear();
      send(res, 200, '{"ok":true}', CONTENT_TYPES['.json']);
      return;
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...COMMON_HEADERS, 'Content-Length': 0 });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'Method not allowed');
      return;
    }
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const file = resolveFile(root, path);
    if (!file) {
      send(res, 404, `Not found: ${path}`);
      return;
    }
    const size = statSync(file).size;
    res.writeHead(200, {
      ...COMMON_HEADERS,
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': size,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  };

  const server = createServer(handle);
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      const { port: actualPort } = server.address() as AddressInfo;
      resolvePromise({
        server,
        origin: `http://${HOST}:${actualPort}`,
        requestCounts: () => Object.fromEntries(counts),
        resetCounts: () => counts.clear(),
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

function argument(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const port = Number(argument(argv, '--port') ?? DEFAULT_FIXTURES_PORT);
  const dir = resolve(argument(argv, '--dir') ?? DEFAULT_FIXTURES_DIR);
  const { origin } = await startFixtureServer(dir, port);
  console.log(`Serving ${dir} at ${origin} (GET /__requests, POST /__reset)`);
}
