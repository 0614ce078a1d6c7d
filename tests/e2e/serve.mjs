// A tiny static file server for the end-to-end tests (node:http, no dependencies).
//
// It serves a Trunk dist directory under a sub-path, the way GitHub Pages serves a project page
// (https://user.github.io/<repo>/), so the tests prove that the page's relative asset URLs work
// below the origin's root. Anything outside the sub-path is a 404, as is any path that would escape
// the directory.
//
//   import { serve } from './serve.mjs';
//   const server = await serve({ root: 'target/e2e-dist', base: '/sendercheck/' });
//   server.url        // http://127.0.0.1:PORT/sendercheck/
//   server.requests   // [{ method, path, status }] of every request, for the tests to inspect
//   await server.close();
//
// Standalone: node tests/e2e/serve.mjs DIST [PORT] [BASE]

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { resolve, sep, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Starts the server. `port` 0 (the default) picks a free port; `host` stays on loopback.
 * Resolves to { url, origin, port, base, requests, close() }.
 */
export async function serve({ root, base = '/sendercheck/', port = 0, host = '127.0.0.1' } = {}) {
  if (!root) throw new Error('serve: root directory missing');
  if (!base.startsWith('/') || !base.endsWith('/')) throw new Error(`serve: base must start and end with "/": ${base}`);
  const dir = resolve(root);
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`serve: ${dir} is not a directory`);
  const requests = [];

  const server = createServer(async (req, res) => {
    const entry = { method: req.method, path: req.url, status: 0 };
    requests.push(entry);
    const send = (status, headers, body) => {
      entry.status = status;
      res.writeHead(status, { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const notFound = () => send(404, { 'content-type': 'text/plain; charset=utf-8' }, 'not found\n');
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, 'method not allowed\n');
      }
      const url = new URL(req.url, 'http://localhost');
      let path;
      try {
        path = decodeURIComponent(url.pathname);
      } catch {
        return send(400, { 'content-type': 'text/plain; charset=utf-8' }, 'bad path\n');
      }
      // The sub-path without its slash redirects, like GitHub Pages does.
      if (path === base.slice(0, -1)) return send(301, { location: base + url.search }, '');
      if (!path.startsWith(base) || path.includes('\0')) return notFound();
      let rel = path.slice(base.length);
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      const file = resolve(dir, ...rel.split('/'));
      if (file !== dir && !file.startsWith(dir + sep)) return notFound();
      const st = await stat(file).catch(() => null);
      if (!st) return notFound();
      if (st.isDirectory()) {
        return (await stat(join(file, 'index.html')).catch(() => null))
          ? send(301, { location: url.pathname + '/' + url.search }, '')
          : notFound();
      }
      const body = await readFile(file);
      send(200, {
        'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-length': body.length,
      }, body);
    } catch (e) {
      send(500, { 'content-type': 'text/plain; charset=utf-8' }, `server error: ${e.message}\n`);
    }
  });

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const actualPort = server.address().port;
  const origin = `http://${host}:${actualPort}`;
  return {
    url: origin + base,
    origin,
    port: actualPort,
    base,
    requests,
    close: () => new Promise((ok) => {
      server.closeAllConnections?.();
      server.close(() => ok());
    }),
  };
}

// Standalone use.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [root = 'dist', port = '8090', base = '/sendercheck/'] = process.argv.slice(2);
  const s = await serve({ root, port: Number(port), base });
  console.log(`serving ${resolve(root)} at ${s.url}`);
}
