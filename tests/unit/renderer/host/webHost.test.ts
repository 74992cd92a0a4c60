/**
 * The browser's Host against the real web host: the wire protocol of engine/api.ts over a real
 * socket (Node's `ws` plays the browser's WebSocket, sending the page's Origin), the token on
 * the socket URL, queued calls, errors as rejections, and reconnecting.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WS from 'ws';
import { createEngine, type HostEngine } from '../../../../engine/host/engine';
import { startWebServer, type WebServer } from '../../../../engine/host/webServer';
import type { ConnectionState } from '../../../../renderer/host/Host';
import { createWebHost, socketUrl } from '../../../../renderer/host/webHost';

let engine: HostEngine;
let server: WebServer;
const opened: WS[] = [];

beforeAll(async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'mw-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
  engine = createEngine({ runsDir: mkdtempSync(join(tmpdir(), 'mw-runs-')) });
  server = await startWebServer({ engine, rendererDir });
  const origin = `http://127.0.0.1:${server.port}`;
  // What a browser does: the page's origin on every socket.
  (globalThis as { WebSocket?: unknown }).WebSocket = class extends WS {
    constructor(url: string) {
      super(url, { origin });
      opened.push(this);
    }
  };
});
afterAll(async () => {
  for (const ws of opened) ws.terminate();
  await engine?.dispose();
  await server?.close();
});

const location = () => ({ protocol: 'http:', host: `127.0.0.1:${server.port}`, search: `?token=${server.token}` });

function waitFor(states: ConnectionState[], state: ConnectionState): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () =>
      states.includes(state) ? resolve() : Date.now() - started > 10_000 ? reject(new Error(`never ${state}: ${states.join(',')}`)) : setTimeout(tick, 20);
    tick();
  });
}

describe('web host client', () => {
  it('builds the socket URL from the page, token included', () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:5', search: '?token=a%2Bb&x=1' })).toBe('ws://127.0.0.1:5/api?token=a%2Bb');
    expect(socketUrl({ protocol: 'https:', host: 'h', search: '' })).toBe('wss://h/api');
  });

  it('calls the engine: a call made before the socket opens waits for it', async () => {
    const host = createWebHost(location());
    const states: ConnectionState[] = [];
    host.onConnectionChange((s) => states.push(s));
    const examples = await host.engine.listExamples();
    expect(examples.map((e) => e.file)).toContain('surname-cnn.json');
    expect(states).toContain('open');
    const text = await host.engine.loadExample('surname-cnn.json');
    expect(JSON.parse(text)).toMatchObject({ format: 'modelwright' });
    const summary = await host.engine.describeData(text);
    expect(summary.ok).toBe(true);
    if (!summary.ok) return;
    expect(summary.value.classes.length).toBeGreaterThan(5);
    expect(summary.value.inputShape).toHaveLength(2);
    // A refusal is a value with a code, not a rejected promise.
    const refused = await host.engine.describeData(JSON.stringify({ ...JSON.parse(text), data: { source: { path: '/nowhere/x.csv' } } }));
    expect(refused).toMatchObject({ ok: false, error: { code: 'files-not-allowed' } });
  });

  it('turns an engine refusal into a rejected promise with its message', async () => {
    const host = createWebHost(location());
    await expect(host.engine.loadExample('../../etc/passwd')).rejects.toThrow(/.+/);
    await expect(host.engine.stopTraining('no such run!')).rejects.toThrow(/.+/);
  });

  it('reconnects after the socket drops, and works again', async () => {
    const host = createWebHost(location());
    const states: ConnectionState[] = [];
    host.onConnectionChange((s) => states.push(s));
    await host.engine.listExamples();
    opened.at(-1)!.terminate();
    await waitFor(states, 'reconnecting');
    const examples = await host.engine.listExamples();
    expect(examples.length).toBeGreaterThan(0);
    expect(states.filter((s) => s === 'open').length).toBeGreaterThanOrEqual(2);
  });

  it('is refused without the token', async () => {
    const host = createWebHost({ ...location(), search: '' });
    const states: ConnectionState[] = [];
    host.onConnectionChange((s) => states.push(s));
    await waitFor(states, 'reconnecting');
    expect(states).not.toContain('open');
  });
});
