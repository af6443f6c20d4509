// A static file server on 127.0.0.1 for the browser tests and benchmarks: no other host is ever
// contacted. Routes: /corpus/* -> ../shared/corpus, /vendor/* -> node_modules, /fixtures/* ->
// tests/fixtures, /e2e/* -> tests/e2e/pages, anything else -> www/ (the built wasm in www/pkg).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

const ROOT = resolve(new URL("../..", import.meta.url).pathname);
export const SHARED = resolve(process.env.LUCID_SHARED || join(ROOT, "../shared"));

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".wasm": "application/wasm", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml",
  ".png": "image/png", ".jpg": "image/jpeg", ".txt": "text/plain; charset=utf-8",
};

function mapPath(urlPath) {
  const p = normalize(decodeURIComponent(urlPath.split("?")[0])).replace(/^(\.\.[/\\])+/, "");
  const routes = [["/corpus/", join(SHARED, "corpus")], ["/vendor/", join(ROOT, "node_modules")], ["/fixtures/", join(ROOT, "tests/fixtures")], ["/e2e/", join(ROOT, "tests/e2e/pages")]];
  for (const [prefix, dir] of routes) {
    if (p.startsWith(prefix)) return join(dir, p.slice(prefix.length));
  }
  return join(ROOT, "www", p === "/" ? "index.html" : p);
}

/**
 * Starts the server on a free port; resolves to { url, close }. `headers(path)` may add headers;
 * `handle(req, res)` may answer a request itself (returning true) before the static routes.
 */
export function startServer({ headers, handle } = {}) {
  const server = createServer(async (req, res) => {
    if (handle?.(req, res)) return;
    const file = mapPath(req.url);
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error("not a file");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream", "cache-control": "no-store", ...(headers?.(req.url) || {}) });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => {
    ok({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) });
  }));
}
