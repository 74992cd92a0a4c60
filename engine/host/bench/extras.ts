/**
 * The rest of `npm run bench` (issue 4): every template in assets/examples trained a few steps
 * on its real data, validation + shape inference of a 1,000-node graph, import of a generated
 * 120,000-row CSV, and the peak memory of a 20-epoch run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainEvent } from '../../api';
import type { BackendInfo } from '../../api';
import { compileGraph } from '../../compile/compile';
import { modelLoss } from '../../graph/model';
import { inferGraph } from '../../graph/validate';
import { prepareFromText } from '../../data';
import { DocumentSchema, type Document } from '../../graph/document';
import { factsFromSummary } from '../../graph/facts';
import { parseDocument } from '../../graph/load';
import { validateDocument } from '../../graph/validate';
import { createLossHead } from '../../train/lossHead';
import { prepareTrainData } from '../../train/data';
import { runDocument } from '../../train/run';
import type { RunStore } from '../../train/runStore';
import type { FilePort } from '../../ports';
import { assetsDir, createFilePort } from '../fsPorts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export interface TemplateRow {
  file: string;
  name: string;
  msPerStep: number | null;
  examplesPerSec: number | null;
  batchSize: number;
  params: number | null;
  note: string;
}

/**
 * A headline CSV in AG News's format ("class","title","description", classes 1–4, no header) with
 * words drawn from a per-class vocabulary: the news template's real data cannot ship with the app.
 */
function syntheticAgNews(rows: number): Uint8Array {
  let s = 2024;
  const rand = (m: number): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % m;
  };
  const word = (): string => Array.from({ length: 3 + rand(6) }, () => 'etaoinshrdlucmfwypvbgkqjxz'[rand(26)]).join('');
  const vocab = Array.from({ length: 4 }, () => Array.from({ length: 600 }, word));
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const c = i % 4;
    const title = Array.from({ length: 5 + rand(10) }, () => vocab[rand(5) === 0 ? rand(4) : c]![rand(600)]).join(' ');
    lines.push(`"${c + 1}","${title}","${title}"`);
  }
  return new TextEncoder().encode(lines.join('\n'));
}

/** The template's own files where they exist; a synthetic AG-News-format CSV where its data file does not. */
function templateFiles(dir: string, doc: Document): { files: FilePort; synthetic: boolean } {
  const files = createFilePort({ baseDir: dir });
  const source = doc.data?.source;
  const dataPath = source && 'path' in source && typeof source.path === 'string' ? source.path : undefined;
  if (dataPath === undefined || existsSync(join(dir, dataPath))) return { files, synthetic: false };
  const bytes = syntheticAgNews(8_000);
  // Both ways a data file is read: whole, and streamed (openFile, which CSV import prefers).
  const chunks = async function* (): AsyncIterable<Uint8Array> {
    yield bytes;
  };
  const openFile = files.openFile?.bind(files);
  return {
    files: {
      ...files,
      readFile: async (path) => (path === dataPath ? bytes : files.readFile(path)),
      ...(openFile ? { openFile: async (path: string) => (path === dataPath ? { size: bytes.length, chunks: chunks() } : openFile(path)) } : {}),
    },
    synthetic: true,
  };
}

/** Each template: its own data, batch size and learning rate; median ms over `steps` Adam steps. */
export async function benchTemplates(steps: number): Promise<TemplateRow[]> {
  const dir = join(assetsDir(), 'examples');
  const rows: TemplateRow[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const parsed = parseDocument(readFileSync(join(dir, file), 'utf8'));
    if (!parsed.ok) {
      rows.push({ file, name: file, msPerStep: null, examplesPerSec: null, batchSize: 0, params: null, note: `does not load: ${parsed.error}` });
      continue;
    }
    const doc = parsed.doc;
    const batchSize = doc.training.batchSize;
    try {
      const { files, synthetic } = templateFiles(dir, doc);
      const data = await prepareTrainData(doc.data, files);
      const facts = factsFromSummary(data.summary);
      const analysis = inferGraph(doc.graph, facts);
      if (analysis.issues.length) throw new Error(analysis.issues.map((i) => i.message).join(' '));
      const compiled = compileGraph(doc.graph, analysis, facts, { seed: doc.training.seed });
      if (!compiled.ok) throw new Error(compiled.issues.map((i) => i.message).join(' '));
      const model = compiled.model;
      const head = createLossHead(model, modelLoss(doc.graph, analysis));
      const optimizer = tf.train.adam(doc.training.optimizer.lr);
      const n = Math.min(batchSize, data.size('train'));
      const arrays = data.fill(
        'train',
        Array.from({ length: n }, (_, i) => i),
      );
      const x = tf.tensor(arrays.x, [n, ...data.inputShape], data.inputDtype);
      const y = tf.tensor(arrays.y, [n, data.numClasses], 'float32');
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const step = async (): Promise<void> => {
        const l = optimizer.minimize(() => head.lossAndCorrect(x, y, true).loss, true, vars);
        await l?.data();
        l?.dispose();
      };
      for (let i = 0; i < 2; i++) await step();
      const times: number[] = [];
      for (let i = 0; i < steps; i++) {
        const t0 = performance.now();
        await step();
        times.push(performance.now() - t0);
      }
      const ms = median(times);
      rows.push({
        file,
        name: doc.name,
        msPerStep: ms,
        examplesPerSec: (n * 1000) / ms,
        batchSize: n,
        params: model.countParams(),
        note: `${data.size('train')} training rows${synthetic ? ' (synthetic AG-News-format data: the real file is not shipped)' : ''}`,
      });
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
    } catch (err) {
      rows.push({
        file,
        name: doc.name,
        msPerStep: null,
        examplesPerSec: null,
        batchSize,
        params: null,
        note: `not run: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`,
      });
    }
  }
  return rows;
}

// A written shape and class count: validation alone (no data bound) cannot take "auto" ones from the data.
const INPUT = ['Input', { shape: [32], dtype: 'float32' }] as const;
const OUTPUT = ['Output', { units: 4 }] as const;
const DENSE = ['Dense', { units: 16, activation: 'relu' }] as const;
const DROPOUT = ['Dropout', { rate: 0.1 }] as const;

/** Validation + shape inference of a 1,000-node graph (Input, 998 Dense/Dropout, Output); median ms. */
export function benchValidation(): { nodes: number; ms: number; ok: boolean } {
  const count = 1000;
  const nodes = Array.from({ length: count }, (_, i) => {
    const [type, params] = i === 0 ? INPUT : i === count - 1 ? OUTPUT : i % 2 === 1 ? DENSE : DROPOUT;
    return { id: `n${i}`, type, params, ui: { x: i * 10, y: 0 } };
  });
  const edges = nodes.slice(1).map((_, i) => ({ id: `e${i}`, source: `n${i}`, sourcePort: 'out', target: `n${i + 1}`, targetPort: 'in' }));
  const doc = DocumentSchema.parse({ format: 'modelwright', schemaVersion: 1, graph: { nodes, edges } });
  const facts = { inputShape: [32], inputDtype: 'float32' as const, numClasses: 4 };
  let ok = false;
  const times: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    ok = validateDocument(doc, facts).ok;
    times.push(performance.now() - t0);
  }
  return { nodes: count, ms: median(times), ok };
}

/** Import (decode, parse, tokenize, vocabulary, split, encode) of a generated 120,000-row CSV. */
export function benchCsvImport(): { rows: number; megabytes: number; ms: number; note: string } {
  const rows = 120_000;
  let s = 12345;
  const rand = (m: number): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % m;
  };
  const letters = 'abcdefghijklmnopqrstuvwxyzäöüéñ';
  const lines = ['surname,nationality'];
  for (let i = 0; i < rows; i++) {
    const len = 3 + rand(10);
    let name = letters[rand(26)]!.toUpperCase();
    for (let j = 1; j < len; j++) name += letters[rand(letters.length)];
    lines.push(`${name},class${rand(18)}`);
  }
  const text = lines.join('\n');
  const spec = DocumentSchema.shape.data.parse({
    source: { path: 'bench.csv' },
    text: 'surname',
    label: 'nationality',
    tokenizer: 'char',
    encoding: 'onehot',
    split: { ratios: [0.7, 0.15, 0.15], seed: 1 },
  });
  const t0 = performance.now();
  const prepared = prepareFromText(text, 'bench.csv', spec);
  const ms = performance.now() - t0;
  return { rows, megabytes: text.length / 1e6, ms, note: `${prepared.summary.classes.length} classes, input ${prepared.facts.inputShape?.join('×')}` };
}

class MemoryRunStore implements RunStore {
  readonly runDir = '(memory)';
  async writeRunInfo(): Promise<void> {}
  async appendEvent(): Promise<void> {}
  async saveWeights(): Promise<void> {}
  async saveJson(): Promise<void> {}
}

/**
 * Peak resident memory over a 20-epoch run of a template through the real run path (data,
 * compile, training loop, checkpoints serialised each epoch), sampled every 20 ms.
 */
export async function benchPeakMemory(
  backend: BackendInfo,
  file: string,
  epochs: number,
): Promise<{ file: string; epochs: number; peakRssMb: number; startRssMb: number; seconds: number; tensorsAfter: number; note: string }> {
  const dir = join(assetsDir(), 'examples');
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  let last: TrainEvent | undefined;
  const tensorsBefore = tf.memory().numTensors;
  const parsed = parseDocument(readFileSync(join(dir, file), 'utf8'));
  if (!parsed.ok) throw new Error(`${file} does not load: ${parsed.error}`);
  try {
    const done = await runDocument({
      runId: 'bench-memory',
      doc: parsed.doc,
      epochs,
      backend,
      files: createFilePort({ baseDir: dir }),
      store: new MemoryRunStore(),
      prepare: (spec, files) => prepareTrainData(spec, files),
      emit: (e) => {
        last = e;
        peak = Math.max(peak, process.memoryUsage().rss);
      },
    });
    last = done;
  } finally {
    clearInterval(timer);
  }
  const note = last?.type === 'done' ? `${last.reason}, final loss ${last.finalLoss.toFixed(3)}` : last?.type === 'error' ? `error: ${last.message}` : '';
  return {
    file,
    epochs,
    peakRssMb: peak / 2 ** 20,
    startRssMb: startRss / 2 ** 20,
    seconds: (performance.now() - t0) / 1000,
    tensorsAfter: tf.memory().numTensors - tensorsBefore,
    note,
  };
}
