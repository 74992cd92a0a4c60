/* global window, requestAnimationFrame */
// The editor's speed at 300 blocks, in real Chromium against the real web host: frames while a
// block is dragged, and the time from a keystroke in the inspector to the next frame (live
// validation runs on every edit). Measured with the Performance API (requestAnimationFrame
// timestamps, long tasks) inside the page. `npm run bench:editor` builds first; prints JSON.
// Reported as numbers, never asserted: a loaded machine is slower, not wrong.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { systemChromium } from '../e2e/browser.mjs';

const PORT = Number(process.env.MW_PERF_PORT ?? 41769);
const TOKEN = 'perf-token-0123456789abcdef';
const BLOCKS = Number(process.env.MW_PERF_BLOCKS ?? 300);

/** A valid chain of `n` blocks: Input, Flatten, then Dense/Dropout pairs, then Output, in rows of 15. */
function bigDocument(n) {
  const nodes = [
    { id: 'chars', type: 'Input', params: { shape: 'auto', dtype: 'float32' } },
    { id: 'flat', type: 'Flatten', params: {} },
  ];
  for (let i = 0; nodes.length < n - 1; i++)
    nodes.push(
      i % 2 === 0 ? { id: `dense${i}`, type: 'Dense', params: { units: 16, activation: 'relu' } } : { id: `drop${i}`, type: 'Dropout', params: { rate: 0.1 } },
    );
  nodes.push({ id: 'output', type: 'Output', params: { units: 'auto', activation: 'softmax', loss: 'categoricalCrossentropy' } });
  nodes.forEach((node, i) => (node.ui = { x: (i % 15) * 300, y: Math.floor(i / 15) * 140 }));
  const edges = nodes.slice(1).map((node, i) => ({ id: `e${i}`, source: nodes[i].id, sourcePort: 'out', target: node.id, targetPort: 'in' }));
  return { format: 'modelwright', schemaVersion: 3, name: `${n} blocks`, graph: { nodes, edges }, data: { source: { builtin: 'surnames' } } };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return { n: s.length, median: +q(0.5).toFixed(2), p95: +q(0.95).toFixed(2), max: +(s.at(-1) ?? 0).toFixed(2) };
};

async function main() {
  const runs = mkdtempSync(join(tmpdir(), 'mw-perf-runs-'));
  const server = spawn(process.execPath, ['dist/web.cjs', '--port', String(PORT), '--token', TOKEN, '--runs-dir', runs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    server.stdout.on('data', (d) => String(d).includes('http://') && resolve());
    server.on('exit', (code) => reject(new Error(`web host exited (${code})`)));
  });
  const exe = systemChromium();
  const browser = await chromium.launch({ ...(exe ? { executablePath: exe } : {}), args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(() => delete window.showOpenFilePicker);
    await page.goto(`http://127.0.0.1:${PORT}/?token=${TOKEN}`);
    await page.getByTestId('status-problems').filter({ hasText: /valid/ }).waitFor({ timeout: 60_000 });

    const file = join(mkdtempSync(join(tmpdir(), 'mw-perf-')), 'big.modelwright');
    writeFileSync(file, JSON.stringify(bigDocument(BLOCKS)));
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('open-button').click();
    await (await chooser).setFiles(file);
    await page
      .locator('.react-flow__node')
      .nth(BLOCKS - 1)
      .waitFor({ state: 'attached', timeout: 60_000 });
    await page.getByTestId('status-problems').filter({ hasText: /valid/ }).waitFor({ timeout: 60_000 });
    const count = await page.locator('.react-flow__node').count();

    // Frames while dragging a block for ~2 s.
    await page.evaluate(() => {
      window.__perf = { frames: [], long: 0, on: true };
      new PerformanceObserver((list) => (window.__perf.long += list.getEntries().length)).observe({ type: 'longtask', buffered: false });
      const loop = (t) => {
        window.__perf.frames.push(t);
        if (window.__perf.on) requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
    });
    const head = page.locator('.react-flow__node').first().locator('.block-head');
    const box = await head.boundingBox();
    await page.mouse.move(box.x + 20, box.y + 8);
    await page.mouse.down();
    const started = Date.now();
    for (let i = 0; Date.now() - started < 2_000; i++) {
      await page.mouse.move(box.x + 20 + (i % 60) * 4, box.y + 8 + Math.floor(i / 60) * 6);
    }
    await page.mouse.up();
    const drag = await page.evaluate(() => {
      window.__perf.on = false;
      const f = window.__perf.frames;
      const gaps = f.slice(1).map((t, i) => t - f[i]);
      return { frames: f.length, seconds: (f.at(-1) - f[0]) / 1000, gaps, longTasks: window.__perf.long };
    });

    // Keystroke → next frame, typing a number into a block's param with live validation on.
    // Selected from the model summary's table (the block may be anywhere on the canvas).
    await page.getByTestId('tab-model').click();
    await page.getByTestId('model-summary').locator('tr', { hasText: 'dense0' }).first().click();
    await page.getByTestId('tab-block').click();
    const units = page.getByTestId('inspector').getByTestId('param-units');
    await units.click();
    await units.fill('');
    await page.evaluate(() => {
      window.__keys = [];
      window.addEventListener(
        'keydown',
        () => {
          const t0 = performance.now();
          requestAnimationFrame(() => setTimeout(() => window.__keys.push(performance.now() - t0), 0));
        },
        true,
      );
    });
    for (const digit of '1234567812345678') await page.keyboard.type(digit, { delay: 60 });
    await page.waitForTimeout(300);
    const keys = await page.evaluate(() => window.__keys);

    const fps = drag.frames / drag.seconds;
    console.log(
      JSON.stringify(
        {
          blocks: count,
          drag: { fps: +fps.toFixed(1), frameMs: stats(drag.gaps), framesOver20ms: drag.gaps.filter((g) => g > 20).length, longTasks: drag.longTasks },
          typing: { keyToFrameMs: stats(keys) },
        },
        null,
        2,
      ),
    );
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
