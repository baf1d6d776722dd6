import { createReadStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.pagefind': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_filter': 'application/octet-stream',
};

/**
 * The base path a built site was made for (`/agentops-marketplace/`, or `/`), read from the sitemap
 * line of its robots.txt; `undefined` when the folder holds no built site.
 */
export function builtBase(dir: string): string | undefined {
  let robots: string;
  try {
    robots = readFileSync(path.join(dir, 'robots.txt'), 'utf8');
  } catch {
    return undefined;
  }
  const sitemap = /^Sitemap: (\S+)$/m.exec(robots)?.[1];
  if (!sitemap) return undefined;
  try {
    return new URL(sitemap).pathname.replace(/sitemap\.xml$/, '');
  } catch {
    return undefined;
  }
}

/** A running static server. */
export interface StaticServer {
  /** Address of the site root, with the base path and a trailing slash. */
  url: string;
  server: Server;
  close: () => Promise<void>;
}

/** Maps a request path under `base` to a file in `dir`; `undefined` outside either. */
export function resolveRequest(dir: string, base: string, pathname: string): string | undefined {
  const prefix = base.replace(/\/+$/, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (prefix !== '' && decoded !== prefix && !decoded.startsWith(`${prefix}/`)) return undefined;
  const inner = decoded.slice(prefix.length) || '/';
  const file = path.resolve(dir, `.${inner.endsWith('/') ? `${inner}index.html` : inner}`);
  return file === dir || file.startsWith(`${dir}${path.sep}`) ? file : undefined;
}

/** Serves the built site in `dir` under `base` (like GitHub Pages: `/dir` → `/dir/`, 404.html). */
export async function startStaticServer(
  dir: string,
  base: string,
  port = 0,
  host = '127.0.0.1',
): Promise<StaticServer> {
  const root = path.resolve(dir);
  const server = createServer((request, response) => {
    void (async () => {
      const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
      let file = resolveRequest(root, base, pathname);
      let status = 200;
      let info = file ? await stat(file).catch(() => undefined) : undefined;
      if (info?.isDirectory()) {
        response.writeHead(301, { location: `${pathname}/` });
        response.end();
        return;
      }
      if (!info?.isFile()) {
        status = 404;
        file = path.join(root, '404.html');
        info = await stat(file).catch(() => undefined);
        if (!info) {
          response.writeHead(404, { 'content-type': 'text/plain' });
          response.end('Not found\n');
          return;
        }
      }
      response.writeHead(status, {
        'content-type': types[path.extname(file ?? '')] ?? 'application/octet-stream',
        'content-length': info.size,
        'cache-control': 'no-cache',
      });
      if (request.method === 'HEAD') response.end();
      else createReadStream(file ?? '').pipe(response);
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${actualPort}${base.replace(/\/+$/, '')}/`,
    server,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
