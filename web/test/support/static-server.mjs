// A tiny static file server for web/, for the cross-origin (CORS) browser test: it serves the client
// from another origin than the API, configured for `apiUrl` exactly as `npm run build` would.
import {createServer} from 'node:http';
import {readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {STATIC_FILES, WEB_ROOT, configuredFiles} from '../../tools/build-static.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json',
};

/** Resolves a URL path inside web/'s published files, or null (traversal, hidden or unlisted files). */
export function resolveStatic(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = path.posix.normalize(decoded.endsWith('/') ? `${decoded}index.html` : decoded).replace(/^\/+/, '');
  if (relative.startsWith('..') || relative.split('/').some((part) => part.startsWith('.'))) return null;
  if (!STATIC_FILES.includes(relative.split('/')[0])) return null;
  return relative;
}

export async function startStaticServer({apiUrl, host = '127.0.0.1', port = 0}) {
  const overrides = await configuredFiles(apiUrl);
  const server = createServer(async (req, res) => {
    const relative = req.method === 'GET' || req.method === 'HEAD' ? resolveStatic(new URL(req.url, 'http://x').pathname) : null;
    try {
      if (!relative) throw Object.assign(new Error('not found'), {code: 'ENOENT'});
      let body = overrides[relative];
      if (body === undefined) {
        const file = path.join(WEB_ROOT, relative);
        if (!(await stat(file)).isFile()) throw Object.assign(new Error('not a file'), {code: 'ENOENT'});
        body = await readFile(file);
      }
      res.writeHead(200, {'Content-Type': TYPES[path.extname(relative)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff'});
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, {'Content-Type': 'text/plain'});
      res.end('not found');
    }
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const {port: actual} = server.address();
  return {origin: `http://${host}:${actual}`, close: () => new Promise((resolve) => server.close(resolve))};
}
