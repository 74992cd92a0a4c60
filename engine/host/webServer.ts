/**
 * The web host: serves the built renderer (dist/renderer) and the engine contract over a
 * WebSocket at /api, on 127.0.0.1 only. The page's files are public code and go to anyone who
 * asks; the engine, which reads files and burns CPU, only to a socket that carries the session
 * token (`?token=` on the socket URL, which the page takes from its own address). No cookie is
 * set: cookies are not scoped by port, so every other server on 127.0.0.1 would receive it.
 * The Host header must be ours (no DNS rebinding) and a socket's Origin this server's own.
 * Each connection is its own session with its own file grants; every call is validated with
 * the contract's zod schemas.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ENGINE_ARGS, WireClientMessageSchema, type EngineMethod, type WireServerMessage } from '../api';
import type { EngineSession, HostEngine } from './engine';
import { appRoot } from './fsPorts';
import { mimeOf, rendererFile } from './rendererFiles';

export interface WebServerOptions {
  engine: HostEngine;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The session token; default 32 random bytes in hex. */
  token?: string;
  /** The built renderer; default <app root>/dist/renderer. */
  rendererDir?: string;
}

export interface WebServer {
  port: number;
  token: string;
  /** The URL to open: `http://127.0.0.1:<port>/?token=<token>`. */
  url: string;
  close(): Promise<void>;
}

/** The same policy as the renderer's own meta tag, with the socket pinned to this port. */
function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "worker-src 'none'",
    "manifest-src 'self'",
  ].join('; ');
}

function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** JSON where NaN and Infinity (a diverged loss) become null instead of breaking the frame. */
function toJson(message: WireServerMessage): string {
  return JSON.stringify(message, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? randomBytes(32).toString('hex');
  const rendererDir = normalize(opts.rendererDir ?? join(appRoot(), 'dist', 'renderer'));
  const { engine } = opts;
  let port = opts.port ?? 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  /** Whether a socket request carries the session token. */
  const hasToken = (url: URL) => sameToken(url.searchParams.get('token'), token);

  const baseHeaders = () => ({
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });

  const refuse = (res: ServerResponse, status: number, message: string) => {
    res.writeHead(status, { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(message + '\n');
  };

  const server = createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse(res, 403, 'Forbidden: unexpected Host header.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.');

    const headers: Record<string, string> = baseHeaders();
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      return refuse(res, 400, 'Bad path.');
    }
    const file = rendererFile(rendererDir, rel);
    if (!file) return refuse(res, 404, 'Not found.');
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) return refuse(res, 404, 'Not found.');
      size = st.size;
    } catch {
      if (rel === '/' || rel === '/index.html') return refuse(res, 503, `The UI is not built (${rendererDir} is missing); run \`npm run build\`.`);
      return refuse(res, 404, 'Not found.');
    }
    headers['Content-Type'] = mimeOf(file);
    headers['Content-Length'] = String(size);
    headers['Cache-Control'] = extname(file) === '.html' ? 'no-store' : 'no-cache';
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const ok = url.pathname === '/api' && allowedHosts().has(req.headers.host ?? '') && allowedOrigins().has(req.headers.origin ?? '') && hasToken(url);
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    // The page is the user's agent: what it allows is granted to this connection alone.
    const session = engine.session();
    const gone = () => {
      sockets.delete(ws);
      session.close();
    };
    ws.on('close', gone);
    ws.on('error', gone);
    ws.on('message', (data, isBinary) => {
      void handle(ws, session, isBinary ? null : data.toString());
    });
  });

  const send = (ws: WebSocket, message: WireServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(toJson(message));
  };

  async function handle(ws: WebSocket, session: EngineSession, text: string | null): Promise<void> {
    let raw: unknown;
    try {
      raw = text === null ? undefined : JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const parsed = WireClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown } | undefined)?.id === 'number' ? (raw as { id: number }).id : -1;
      const why = raw === undefined ? 'not a JSON text frame' : parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ');
      return send(ws, { kind: 'result', id, ok: false, error: `Bad message: ${why}.` });
    }
    const { id, method, args } = parsed.data;
    const checked = ENGINE_ARGS[method].safeParse(args);
    if (!checked.success) {
      const why = checked.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`).join('; ');
      return send(ws, { kind: 'result', id, ok: false, error: `Bad arguments for ${method}: ${why}.` });
    }
    try {
      const call = session[method as EngineMethod] as (...a: unknown[]) => Promise<unknown>;
      const value = await call.apply(session, checked.data as unknown[]);
      send(ws, { kind: 'result', id, ok: true, value: value ?? null });
    } catch (err) {
      send(ws, { kind: 'result', id, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  const broadcast = (message: WireServerMessage) => {
    const frame = toJson(message);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame);
  };
  const unsubscribeRuns = engine.runs.onEvent((event) => broadcast({ kind: 'event', event }));
  const unsubscribeTune = engine.tune.onEvent((event) => broadcast({ kind: 'tune', event }));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    async close() {
      unsubscribeRuns();
      unsubscribeTune();
      for (const ws of sockets) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
