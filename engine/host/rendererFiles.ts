/**
 * The built renderer's files, as both hosts that serve them answer for them: the web server
 * (http) and Electron's app:// protocol. One list of types, one rule for which file a path names.
 */
import { extname, join, normalize, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeOf(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that a URL's (decoded) path names, a folder meaning its index.html; null
 * for a path that would leave `root` or holds a NUL.
 */
export function rendererFile(root: string, decodedPath: string): string | null {
  if (decodedPath.includes('\0')) return null;
  const rel = decodedPath === '' || decodedPath.endsWith('/') ? `${decodedPath}index.html` : decodedPath;
  const base = normalize(root);
  const file = normalize(join(base, rel));
  return file.startsWith(base + sep) ? file : null;
}
