/** A tiny CSV and a tiny document that trains on it in well under a second. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../../engine/data/prng';

/** Names that start with "a…" (class east) or "z…" (class west): learnable from one-hot chars. */
export function tinyCsv(rows = 240): string {
  const rand = mulberry32(11);
  const letters = 'bcdfghklmnoprstuv';
  const lines = ['surname,country'];
  for (let i = 0; i < rows; i++) {
    const west = i % 2 === 0;
    let name = west ? 'z' : 'a';
    const len = 3 + Math.floor(rand() * 4);
    for (let j = 0; j < len; j++) name += letters[Math.floor(rand() * letters.length)];
    lines.push(`${name},${west ? 'West' : 'East'}`);
  }
  return lines.join('\n') + '\n';
}

export function tinyDocument(overrides: { epochs?: number; lr?: number; dataPath?: string; graph?: unknown } = {}): string {
  return JSON.stringify(
    {
      format: 'modelwright',
      schemaVersion: 1,
      name: 'Tiny',
      graph: overrides.graph ?? {
        nodes: [
          { id: 'chars', type: 'Input', params: { shape: 'auto', dtype: 'float32' } },
          { id: 'flat', type: 'Flatten', params: {} },
          { id: 'out', type: 'Output', params: { units: 'auto', activation: 'softmax' } },
        ],
        edges: [
          { id: 'e1', source: 'chars', sourcePort: 'out', target: 'flat', targetPort: 'in' },
          { id: 'e2', source: 'flat', sourcePort: 'out', target: 'out', targetPort: 'in' },
        ],
      },
      data: { source: overrides.dataPath ? { path: overrides.dataPath } : { builtin: 'surnames' }, split: { ratios: [0.6, 0.2, 0.2], seed: 1 } },
      training: { optimizer: { type: 'adam', lr: overrides.lr ?? 0.05 }, batchSize: 16, epochs: overrides.epochs ?? 2, seed: 5 },
    },
    null,
    2,
  );
}

/** A fresh temp folder with tiny.csv and tiny.json (its data pointing at tiny.csv by a relative path). */
export function tinyProject(): { dir: string; csv: string; doc: string; runsDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mw-host-'));
  const csv = join(dir, 'tiny.csv');
  const doc = join(dir, 'tiny.json');
  writeFileSync(csv, tinyCsv());
  writeFileSync(doc, tinyDocument({ dataPath: 'tiny.csv' }));
  return { dir, csv, doc, runsDir: join(dir, 'runs') };
}
