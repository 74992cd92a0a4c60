/**
 * Issue 9's memory target: a large CSV (300 MB by default) summarised and trained through the
 * engine as a host runs it (createEngine, a session with the file granted, the data worker, a
 * training worker), while this process — standing in for the web host or Electron's main
 * process — samples its own resident memory. The file is read in the workers only, so the
 * host's growth stays small whatever the file's size; the figure is reported, not asserted.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { TrainEvent } from '../../api';
import { DocumentSchema } from '../../graph/document';
import { FileGrants } from '../consent';
import { createEngine } from '../engine';

export interface HostMemoryResult {
  fileMb: number;
  rows: number;
  /** The host process's resident memory before, and its peak during summary and training. */
  startRssMb: number;
  peakRssMb: number;
  describeSeconds: number;
  trainSeconds: number;
  outcome: string;
}

const WORDS = ['market', 'stocks', 'game', 'team', 'election', 'vote', 'chip', 'software', 'rain', 'storm', 'city', 'court', 'music', 'film'];

/** Writes a CSV of `megabytes` MB: a short title (the text), a long description (read and ignored), a label. */
async function writeCsv(file: string, megabytes: number): Promise<number> {
  const out = createWriteStream(file);
  const filler = 'x'.repeat(1400);
  let bytes = 0;
  let rows = 0;
  out.write('label,title,description\n');
  while (bytes < megabytes * 1024 * 1024) {
    const label = rows % 4;
    const title = `${WORDS[(rows * 7 + label) % WORDS.length]} ${WORDS[(label * 3 + 1) % WORDS.length]} ${WORDS[rows % WORDS.length]}`;
    const line = `${label},${title},${filler}${rows}\n`;
    bytes += line.length;
    rows++;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

export async function benchHostMemory(megabytes: number, log: (s: string) => void): Promise<HostMemoryResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mw-host-memory-'));
  try {
    const csv = join(dir, 'big.csv');
    log(`host memory: writing a ${megabytes} MB CSV …`);
    const rows = await writeCsv(csv, megabytes);
    const doc = DocumentSchema.parse({
      format: 'modelwright',
      schemaVersion: 1,
      name: 'Host memory',
      graph: {
        nodes: [
          { id: 'words', type: 'Input', params: { shape: 'auto', dtype: 'int32' } },
          { id: 'embed', type: 'Embedding', params: { outputDim: 8 } },
          { id: 'pool', type: 'GlobalAvgPool1D', params: {} },
          { id: 'out', type: 'Output', params: {} },
        ],
        edges: [
          { id: 'e1', source: 'words', target: 'embed' },
          { id: 'e2', source: 'embed', target: 'pool' },
          { id: 'e3', source: 'pool', target: 'out' },
        ],
      },
      data: { source: { path: csv }, text: 'title', label: 'label', tokenizer: 'word', encoding: 'index', maxLength: 4 },
      training: { optimizer: { type: 'adam', lr: 0.01 }, batchSize: 1024, epochs: 1, seed: 1 },
    });
    const engine = createEngine({ runsDir: join(dir, 'runs') });
    const grants = new FileGrants([csv]);
    global.gc?.();
    const startRss = process.memoryUsage().rss;
    let peak = startRss;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
    try {
      log('host memory: the data summary, read in the data worker …');
      const t0 = performance.now();
      const summary = await engine.describeData(doc.data!, dir, grants);
      const describeSeconds = (performance.now() - t0) / 1000;
      if (!summary.ok) throw new Error(summary.error.message);
      log('host memory: one epoch in a training worker …');
      const t1 = performance.now();
      const finished = new Promise<Extract<TrainEvent, { type: 'done' | 'error' }>>((resolve) =>
        engine.runs.onEvent((e) => (e.type === 'done' || e.type === 'error') && resolve(e)),
      );
      const started = await engine.startRun({ doc, baseDir: dir, grants });
      if (!started.ok) throw new Error(started.error.message);
      const last = await finished;
      const trainSeconds = (performance.now() - t1) / 1000;
      return {
        fileMb: megabytes,
        rows,
        startRssMb: startRss / 2 ** 20,
        peakRssMb: peak / 2 ** 20,
        describeSeconds,
        trainSeconds,
        outcome: last.type === 'done' ? last.reason : `error: ${last.message}`,
      };
    } finally {
      clearInterval(timer);
      await engine.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatHostMemory(r: HostMemoryResult): string {
  return `Host memory, a ${r.fileMb} MB CSV (${r.rows.toLocaleString('en-US')} rows) summarised in ${r.describeSeconds.toFixed(1)} s and trained 1 epoch in ${r.trainSeconds.toFixed(1)} s (${r.outcome}) through the engine's workers: the host process went from ${r.startRssMb.toFixed(0)} MB to a peak of ${r.peakRssMb.toFixed(0)} MB resident (+${(r.peakRssMb - r.startRssMb).toFixed(0)} MB)`;
}
