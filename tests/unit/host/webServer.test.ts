/** The web host: token, Host and Origin checks over http and ws; per-connection grants; calls and events round-trip. */
import { execFileSync, spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { TrainEvent, WireServerMessage } from '../../../engine/api';
import { createEngine, type HostEngine } from '../../../engine/host/engine';
import { nodeSpawner } from '../../../engine/host/nodeSpawner';
import { startWebServer, type WebServer } from '../../../engine/host/webServer';
import { ALLOW_IN_APP } from '../../../engine/host/consent';
import { buildBundles } from './buildBundles';
import { tinyDocument, tinyProject } from './fixtures';

let bundles = '';
let server: WebServer;
let engine: HostEngine;
let origin = '';

beforeAll(async () => {
  bundles = await buildBundles('web');
  const rendererDir = mkdtempSync(join(tmpdir(), 'mw-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Modelwright</title>');
  writeFileSync(join(rendererDir, 'app.js'), 'console.log(1)');
  engine = createEngine({ runsDir: mkdtempSync(join(tmpdir(), 'mw-runs-')), spawn: nodeSpawner(join(bundles, 'worker.cjs')) });
  server = await startWebServer({ engine, rendererDir });
  origin = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await engine?.dispose();
  await server?.close();
});

function get(path: string, headers: Record<string, string> = {}) {
  return fetch(`${origin}${path}`, { headers, redirect: 'manual' });
}

/** A GET with any Host header (fetch may not set one). */
function statusWithHost(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket; resolves with it open, or rejects with the HTTP status that refused it. */
function connect(opts: { query?: string; cookie?: string; origin?: string | null } = {}): Promise<WebSocket> {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api${opts.query ?? ''}`, {
    headers,
    ...(opts.origin === null ? {} : { origin: opts.origin ?? origin }),
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

class Client {
  private next = 1;
  readonly events: TrainEvent[] = [];
  private readonly waiting = new Map<number, (m: WireServerMessage) => void>();
  private readonly eventWaiters: ((e: TrainEvent) => void)[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as WireServerMessage;
      if (m.kind === 'event') {
        this.events.push(m.event);
        for (const w of this.eventWaiters) w(m.event);
      } else if (m.kind === 'result') this.waiting.get(m.id)?.(m);
    });
  }
  raw(text: string, id: number): Promise<WireServerMessage> {
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(text);
    });
  }
  call(method: string, args: unknown[]): Promise<WireServerMessage> {
    const id = this.next++;
    return this.raw(JSON.stringify({ kind: 'call', id, method, args }), id);
  }
  until(pred: (e: TrainEvent) => boolean): Promise<TrainEvent> {
    const seen = this.events.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.eventWaiters.push((e) => pred(e) && resolve(e)));
  }
}

describe('web server over http', () => {
  it('serves the page to anyone, sets no cookie, and sends strict headers', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/Modelwright/);
    // Cookies are not scoped by port: one would reach every other server on 127.0.0.1.
    expect(res.headers.get('set-cookie')).toBeNull();
    expect((await get(`/?token=${server.token}`)).headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const js = await get('/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
  });

  it('refuses a foreign Host header and paths outside the renderer', async () => {
    expect(await statusWithHost('/', `evil.example:${server.port}`)).toBe(403);
    expect(await statusWithHost('/', `localhost:${server.port}`)).toBe(200);
    expect((await get('/..%2f..%2fpackage.json')).status).toBe(404);
  });
});

describe('web server over the socket', () => {
  it('refuses a socket without the token (a cookie does not do), or from another origin', async () => {
    await expect(connect()).rejects.toThrow(/403/);
    await expect(connect({ query: '?token=nope' })).rejects.toThrow(/403/);
    await expect(connect({ cookie: `mw_token=${server.token}` })).rejects.toThrow(/403/);
    await expect(connect({ query: `?token=${server.token}`, origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(connect({ query: `?token=${server.token}`, origin: null })).rejects.toThrow(/403/);
  });

  it('round-trips a call, and answers bad payloads with an error', async () => {
    const client = new Client(await connect({ query: `?token=${server.token}` }));
    const examples = await client.call('listExamples', []);
    expect(examples).toMatchObject({ kind: 'result', id: 1, ok: true });
    expect((examples as { value: { file: string }[] }).value.map((e) => e.file)).toContain('surname-cnn.json');

    const notJson = await client.raw('{ nope', -1);
    expect(notJson).toMatchObject({ kind: 'result', ok: false });
    expect(await client.raw(JSON.stringify({ kind: 'call', id: 50, method: 'rmRf', args: [] }), 50)).toMatchObject({ id: 50, ok: false });
    const traversal = await client.call('loadExample', ['../../package.json']);
    expect(traversal).toMatchObject({ ok: false });
    expect((traversal as { error: string }).error).toMatch(/Bad arguments for loadExample/);
    expect(await client.call('stopTraining', [{ not: 'a run id' }])).toMatchObject({ ok: false });

    const p = tinyProject();
    const text = tinyDocument({ dataPath: p.csv });
    expect(await client.call('allowFiles', [text, [p.csv]])).toMatchObject({
      ok: true,
      value: { ok: true, value: { files: [{ resolvedPath: p.csv, allowed: true }] } },
    });
    const summary = await client.call('describeData', [text]);
    expect(summary).toMatchObject({ ok: true, value: { ok: true, value: { rows: 240, classes: ['East', 'West'] } } });
    expect(await client.call('allowFiles', [text, 'all'])).toMatchObject({ ok: false, error: expect.stringMatching(/Bad arguments for allowFiles/) });
    expect(await client.call('describeData', ['{}'])).toMatchObject({ ok: true, value: { ok: false, error: { code: 'invalid-document' } } });
    const backend = await client.call('backendInfo', []);
    expect(backend).toMatchObject({ ok: true, value: { name: expect.stringMatching(/^(wasm|cpu|tensorflow)$/) } });

    // Still alive after all that.
    const example = await client.call('loadExample', ['surname-cnn.json']);
    expect(example).toMatchObject({ ok: true });
    client.ws.close();
  });

  it('lists the files a document reads and reads them only once granted to this connection', async () => {
    const p = tinyProject();
    const client = new Client(await connect({ query: `?token=${server.token}` }));
    const doc = JSON.parse(tinyDocument({ dataPath: 'tiny.csv' })) as { graph: { nodes: { id: string; type: string; params: object }[] } };
    doc.graph.nodes.push({ id: 'vectors', type: 'Embedding', params: { outputDim: 8, pretrained: '../glove/g.txt' } });
    const text = JSON.stringify(doc);
    const access = { documentPath: p.doc };
    const files = await client.call('describeFiles', [text, access]);
    expect(files).toMatchObject({
      ok: true,
      value: {
        ok: true,
        value: {
          baseDir: p.dir,
          files: [
            { path: 'tiny.csv', resolvedPath: p.csv, role: 'data', allowed: false },
            { path: '../glove/g.txt', resolvedPath: join(p.dir, '..', 'glove', 'g.txt'), role: 'pretrained', nodeId: 'vectors', allowed: false },
          ],
        },
      },
    });

    const refused = await client.call('describeData', [text, access]);
    expect(refused).toMatchObject({
      ok: true,
      value: {
        ok: false,
        error: {
          code: 'files-not-allowed',
          message: `This document reads files you have not allowed yet (1):\n  - the data file ${p.csv}\n${ALLOW_IN_APP}`,
          files: [{ resolvedPath: p.csv }],
        },
      },
    });
    // Granted as written (relative to the document's folder); the answer lists it as allowed.
    const granted = (await client.call('allowFiles', [text, ['tiny.csv'], access])) as { value: { value: { files: { allowed: boolean }[] } } };
    expect(granted.value.value.files.map((f) => f.allowed)).toEqual([true, false]);
    expect(await client.call('describeData', [text, access])).toMatchObject({ ok: true, value: { ok: true, value: { rows: 240 } } });

    // Another connection has grants of its own: the cached summary is not handed to it.
    const other = new Client(await connect({ query: `?token=${server.token}` }));
    expect(await other.call('describeData', [text, access])).toMatchObject({ ok: true, value: { ok: false, error: { code: 'files-not-allowed' } } });
    other.ws.close();

    const noRun = await client.call('startTraining', [{ documentText: text, documentPath: p.doc }]);
    expect(noRun).toMatchObject({
      ok: true,
      value: {
        ok: false,
        error: {
          code: 'files-not-allowed',
          message: expect.stringMatching(/not allowed yet \(1\):\n {2}- the pretrained vectors of node "vectors", .*glove\/g\.txt/),
        },
      },
    });
    expect(client.events).toEqual([]);
    client.ws.close();
  });

  it('a client naming a file outside its grants gets a typed refusal and none of its content', async () => {
    const secretDir = mkdtempSync(join(tmpdir(), 'mw-secret-'));
    const secret = join(secretDir, 'secret.csv');
    const marker = 'TOPSECRET-7f3a91';
    writeFileSync(secret, `text,label\n${marker},a\n${marker}2,b\n`);
    const client = new Client(await connect({ query: `?token=${server.token}` }));
    const replies: WireServerMessage[] = [];
    const text = tinyDocument({ dataPath: secret });
    replies.push(await client.call('describeData', [text]));
    expect(replies[0]).toMatchObject({ ok: true, value: { ok: false, error: { code: 'files-not-allowed', files: [{ resolvedPath: secret }] } } });
    replies.push(await client.call('startTraining', [{ documentText: text }]));
    expect(replies[1]).toMatchObject({ ok: true, value: { ok: false, error: { code: 'files-not-allowed' } } });
    // A grant is only for files the document names: asking for another one grants nothing.
    const harmless = tinyDocument({ dataPath: join(secretDir, 'other.csv') });
    replies.push(await client.call('allowFiles', [harmless, [secret]]));
    replies.push(await client.call('describeData', [text]));
    expect(replies[3]).toMatchObject({ ok: true, value: { ok: false, error: { code: 'files-not-allowed' } } });
    for (const reply of replies) expect(JSON.stringify(reply)).not.toContain(marker);
    expect(client.events).toEqual([]);
    client.ws.close();
  });

  it('a device, a FIFO or a folder as the data path is refused within a second, and the host stays small', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-odd-'));
    const fifo = join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const client = new Client(await connect({ query: `?token=${server.token}` }));
    // A real file first, so the data worker is up and the timing below is the refusal's alone.
    const p = tinyProject();
    await client.call('allowFiles', [tinyDocument({ dataPath: p.csv }), [p.csv]]);
    expect(await client.call('describeData', [tinyDocument({ dataPath: p.csv })])).toMatchObject({ ok: true, value: { ok: true } });
    const rssBefore = process.memoryUsage().rss;
    for (const [path, why] of [
      ['/dev/zero', /device/],
      [fifo, /FIFO|pipe/i],
      [dir, /folder|directory/i],
    ] as const) {
      const text = tinyDocument({ dataPath: path });
      await client.call('allowFiles', [text, [path]]);
      const t0 = Date.now();
      const answer = await client.call('describeData', [text]);
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(answer).toMatchObject({ ok: true, value: { ok: false, error: { code: 'data-error', message: expect.stringMatching(why) } } });
    }
    // The file is read in a worker, never here.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(50 * 1024 * 1024);
    client.ws.close();
  });

  it('starts a run and streams its events to the socket until done', async () => {
    const p = tinyProject();
    const client = new Client(await connect({ query: `?token=${server.token}` }));
    const text = tinyDocument({ dataPath: 'tiny.csv' });
    await client.call('allowFiles', [text, ['tiny.csv'], { documentPath: p.doc }]);
    const started = await client.call('startTraining', [{ documentText: text, documentPath: p.doc, epochs: 2 }]);
    expect(started).toMatchObject({ ok: true, value: { ok: true } });
    const runId = (started as { value: { value: { runId: string } } }).value.value.runId;
    const done = await client.until((e) => e.type === 'done' || e.type === 'error');
    expect(done).toMatchObject({ type: 'done', runId, reason: 'completed' });
    expect(client.events.filter((e) => e.type === 'epoch')).toHaveLength(2);
    client.ws.close();
  });
});

describe('web.cjs', () => {
  it('prints exactly one line with the URL, and exits on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(bundles, 'web.cjs'), '--runs-dir', mkdtempSync(join(tmpdir(), 'mw-runs-'))], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const m = /^Modelwright web: http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{64})\n$/.exec(line);
    expect(m).not.toBeNull();
    // The page is public (200, or 503 where the renderer is not built); the engine is not.
    expect([200, 503]).toContain((await fetch(`http://127.0.0.1:${m![1]}/`)).status);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toBe(line);
  });
});
