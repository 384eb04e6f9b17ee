/**
 * A plain static server for the production build, sending exactly the rules of its
 * `_headers` file (the Netlify / Cloudflare Pages format: a path pattern line, then indented
 * `Name: value` lines; `*` matches anything, every matching rule applies). Not Vite: the
 * hosting e2e must see what a static host would send, nothing more.
 *   tsx scripts/serve-static.ts [--port 4175] [--dir dist]
 */
import { createReadStream, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export interface HeaderRule {
  pattern: string;
  /** The pattern as a regular expression (`*` matches anything), compiled once. */
  matcher: RegExp;
  headers: [string, string][];
}

/** The rules of a `_headers` file, in order. Comments (#) and blank lines are skipped. */
export function parseHeadersFile(text: string): HeaderRule[] {
  const rules: HeaderRule[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const pattern = line.trim();
      rules.push({
        pattern,
        matcher: new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`),
        headers: [],
      });
      continue;
    }
    const rule = rules[rules.length - 1];
    const colon = line.indexOf(':');
    if (!rule || colon < 0) throw new Error(`_headers: "${line.trim()}" is not under a path or has no colon`);
    rule.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return rules;
}

/** Headers for a URL path: every matching rule's, later rules overriding earlier ones. */
export function headersFor(rules: readonly HeaderRule[], path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rule of rules)
    if (rule.matcher.test(path)) for (const [name, value] of rule.headers) out[name] = value;
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.pt': 'application/octet-stream',
  '.gz': 'application/gzip',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

export function serveStatic(dir: string, port: number): Promise<() => Promise<void>> {
  const root = realpathSync(resolve(dir));
  const headersPath = join(root, '_headers');
  const rules = existsSync(headersPath) ? parseHeadersFile(readFileSync(headersPath, 'utf8')) : [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = resolve(root, `.${path}`);
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    const headers = headersFor(rules, path);
    if (!existsSync(file) || !statSync(file).isFile() || path === '/_headers') {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const size = statSync(file).size;
    res.writeHead(200, {
      ...headers,
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': String(size),
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((done) =>
    server.listen(port, '127.0.0.1', () =>
      done(() => new Promise<void>((closed) => server.close(() => closed()))),
    ),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { port: { type: 'string' }, dir: { type: 'string' } } });
  const port = Number(values.port ?? 4175);
  await serveStatic(values.dir ?? 'dist', port);
  console.log(`Serving ${values.dir ?? 'dist'} with its _headers on http://127.0.0.1:${port}`);
}
