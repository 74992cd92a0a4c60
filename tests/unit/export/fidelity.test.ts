/**
 * The promise of the exports, for every template: after a one-epoch run (on a small sample of
 * the built-in surnames, or a small AG-News-format CSV with a GloVe file written here), the
 * exported PyTorch project (`predict.py --json` under a Python with torch), the ONNX model
 * (onnxruntime-node) and the tfjs files (tf.loadLayersModel) give the probabilities the run's
 * own model gives through loadPredictor (what `modelwright predict` prints), max absolute
 * difference below 1e-4 (the image templates' PyTorch projects within 1e-6 on PNG pictures, and
 * within 1e-2 on a JPEG, which libjpeg decodes a level or so away from jpeg-js). data.py reads the
 * app's splits, order, ids and labels (and pixels, for the image templates and the built-in
 * digits). And the PyTorch project trains: `train.py --epochs 1`, and under
 * `torchrun --nproc_per_node 2` (gloo on CPU) to a loss close to the one-process run's.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { encode as encodeJpeg } from 'jpeg-js';
import Papa from 'papaparse';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo } from '../../../engine/api';
import { initBackend } from '../../../engine/backend';
import type { ExportFormat } from '../../../engine/export';
import { prepareFromText } from '../../../engine/data/dataset';
import { isImagePreprocessing } from '../../../engine/data/preprocessing';
import { parseDocument } from '../../../engine/graph/load';
import { exportRunFolder, writeSource } from '../../../engine/host/exportWriter';
import { loadExportSource } from '../../../engine/export';
import { prepareImages } from '../../../engine/data/imageDataset';
import { FsRunStore } from '../../../engine/host/fsRunStore';
import { createFilePort } from '../../../engine/host/fsPorts';
import { fsRunReader } from '../../../engine/host/runFolder';
import type { FilePort } from '../../../engine/ports';
import { prepareTrainData } from '../../../engine/train/data';
import { loadPredictor, pictureInputs, type Predictor } from '../../../engine/train/predict';
import { runDocument } from '../../../engine/train/run';
import { imagePython, maxAbsDiff, runOnnx, runPython, runTorchrun, torchPython } from './harness';
import { expectSameSplits, pythonSplits } from './pictures';

const ROOT = join(__dirname, '..', '..', '..');
/** Every template the app ships, of texts and of pictures (those whose data has `image`). */
const TEMPLATES = readdirSync(join(ROOT, 'assets', 'examples'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();
const IMAGE_TEMPLATES = new Set(
  TEMPLATES.filter(
    (name) => (JSON.parse(readFileSync(join(ROOT, 'assets', 'examples', `${name}.json`), 'utf8')) as { data?: { image?: unknown } }).data?.image,
  ),
);

/** A w × h RGBA picture: a bright disc (class "disc") or bar ("bar") on a dark ground, shifted by `shift` pixels. */
function picture(kind: 'disc' | 'bar', w: number, h: number, shift: number): Uint8Array {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const u = (x + 0.5 - shift) / w - 0.5;
      const v = (y + 0.5) / h - 0.5;
      const on = kind === 'disc' ? u * u + v * v < 0.08 : Math.abs(u) < 0.1;
      data.set(on ? [250, 200 - x, 40 + y, 255] : [20 + ((x * 7 + y * 3) % 30), 30, 40, 255], (y * w + x) * 4);
    }
  return data;
}
function png(rgba: Uint8Array, w: number, h: number, colorType: 0 | 2 | 6): Buffer {
  const p = new PNG({ width: w, height: h });
  p.data = Buffer.from(rgba);
  return PNG.sync.write(p, { colorType, inputColorType: 6 });
}
/** A picture file of each kind, of several sizes and aspects (so resizing, padding and grayscale conversion all act), PNG and JPEG. */
function pictureFile(kind: 'disc' | 'bar', i: number): { name: string; bytes: Uint8Array } {
  const w = 20 + (i % 4) * 11;
  const h = 18 + ((i + 2) % 3) * 13;
  const rgba = picture(kind, w, h, (i % 5) - 2);
  if (i % 3 === 2) return { name: `${kind}${i}.jpg`, bytes: Buffer.from(encodeJpeg({ data: rgba, width: w, height: h }, 90).data) };
  return { name: `${kind}${i}.png`, bytes: png(rgba, w, h, i % 3 === 0 ? 6 : 2) };
}
/** The pictures each image template's model classifies in the checks (never trained on). */
const PICTURES = [...(['disc', 'bar'] as const).map((k) => pictureFile(k, 100)), pictureFile('disc', 101), pictureFile('bar', 102)];
const SURNAME_TEXTS = ['Nakamura', "O'Neill", 'Schmidt', 'Dvořák', 'Ωmega—ß', 'x', 'Abcdefghijklmnopqrstuvwxyzabcdef'];
/** The texts each template's model classifies in the checks; the spam model reads a subject and a body, tab-separated. */
const TEXTS: Record<string, string[]> = {
  'news-glove-cnn': ['stocks market news', 'the game team', 'unknown words only', 'election vote chip software news news'],
  'first-names-mlp': ['Anna', 'Bob', 'Zoë', 'x', 'Maximilian'],
  'spam-bag-mlp': ['Win money now!!!\tClick here to claim your $1,000 prize', 'Re: meeting tomorrow\tPlease find the agenda attached, 3.5 pages.', '价格 ok\t'],
};

/** Up to `perClass` rows of each label of a built-in CSV (and the rows `keep` picks), as CSV text. */
function sampleCsv(asset: string, label: string, perClass: number, keep: (row: Record<string, string>) => boolean = () => false): string {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(join(ROOT, 'assets', asset), 'utf8'), { header: true, skipEmptyLines: true });
  const taken = new Map<string, number>();
  const rows = parsed.data.filter((row) => {
    taken.set(row[label]!, (taken.get(row[label]!) ?? 0) + 1);
    return taken.get(row[label]!)! <= perClass || keep(row);
  });
  return Papa.unparse(rows, { columns: parsed.meta.fields!, newline: '\n' }) + '\n';
}

/**
 * Small samples of the built-in data, every class kept, to train in seconds: 12 surnames a class
 * and the longest ones (the CNN's four valid convolutions need 15 characters), 100 first names a
 * gender, 60 mails a label.
 */
const SMALL: Record<string, string> = {
  'datasets/surnames.csv': sampleCsv('datasets/surnames.csv', 'country', 12, (row) => row['surname']!.length >= 15),
  'datasets/first-names.csv': sampleCsv('datasets/first-names.csv', 'gender', 100),
  'datasets/spam.csv': sampleCsv('datasets/spam.csv', 'label', 60),
};

const NEWS_WORDS = [
  ['stocks', 'market'],
  ['game', 'team'],
  ['election', 'vote'],
  ['chip', 'software'],
];

/** An AG News-shaped CSV (class, title, description; no header) and 100-d vectors for its words, as the CLI test writes them. */
function newsFiles(): { csv: string; glove: string } {
  const rows: string[] = [];
  for (let i = 0; i < 200; i++) {
    const [a, b] = NEWS_WORDS[i % 4]!;
    rows.push(`${(i % 4) + 1},"Title ${i}","${Array.from({ length: 8 }, (_, j) => (j % 2 ? a : b)).join(' ')} news"`);
  }
  const words = [...NEWS_WORDS.flat(), 'news'];
  const glove = words.map((w, i) => `${w} ${Array.from({ length: 100 }, (_, k) => (((i + 1) * (k + 3)) % 13) / 13 - 0.5).join(' ')}`).join('\n') + '\n';
  return { csv: rows.join('\n') + '\n', glove };
}

const backend: BackendInfo = { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', reason: 'test', customKernels: [] };
const news = newsFiles();
const disk = createFilePort();
/** The news files and small built-in samples from memory; the image templates' picture folder from disk. */
const files: FilePort = {
  ...disk,
  readFile: async (path) =>
    path.endsWith('news.csv') || path.endsWith('vectors.txt')
      ? new TextEncoder().encode(path.endsWith('news.csv') ? news.csv : news.glove)
      : disk.readFile(path),
  readAsset: async (path) => new TextEncoder().encode(SMALL[path] ?? ''),
};

interface Trained {
  runDir: string;
  predictor: Predictor;
  /** The texts (or picture names) classified, the model's input for them, and the app's probabilities. */
  texts: string[];
  input: { x: Float32Array | Int32Array; shape: number[]; dtype: 'float32' | 'int32' };
  expected: Float32Array;
}

/** The app's own probabilities of the pictures, in the order of the classes (as `modelwright predict` prints them). */
function pictureProbabilities(predictor: Predictor, pictures: readonly { name: string; bytes: Uint8Array }[]): Float32Array {
  const classes = predictor.preprocessing.classes;
  return Float32Array.from(predictor.predictImages(pictures, classes.length).flatMap((p) => classes.map((c) => p.probs[c]!)));
}

const work = mkdtempSync(join(tmpdir(), 'mw-fidelity-'));
const trained = new Map<string, Trained>();
/** template → format → max abs difference, printed at the end for the record. */
const measured: Record<string, Partial<Record<ExportFormat | 'pytorch (JPEG)', number>>> = {};

beforeAll(async () => {
  await initBackend({ prefer: 'wasm', threads: 1 });
  // On disk too, for the PyTorch project's train.py and data.py.
  writeFileSync(join(work, 'news.csv'), news.csv);
  writeFileSync(join(work, 'vectors.txt'), news.glove);
  // The pictures the image templates classify, as files for predict.py.
  mkdirSync(join(work, 'new-pictures'));
  for (const f of PICTURES) writeFileSync(join(work, 'new-pictures', f.name), f.bytes);
  // The image templates train on a small folder of pictures, one sub-folder per class.
  for (const kind of ['disc', 'bar'] as const) {
    mkdirSync(join(work, 'pictures', kind), { recursive: true });
    for (let i = 0; i < 10; i++) {
      const f = pictureFile(kind, i);
      writeFileSync(join(work, 'pictures', kind, f.name), f.bytes);
    }
  }
  for (const name of TEMPLATES) {
    const text = readFileSync(join(ROOT, 'assets', 'examples', `${name}.json`), 'utf8');
    const raw = JSON.parse(text) as {
      data: { source: unknown; image?: Record<string, unknown>; split: { ratios: number[] } };
      graph: { nodes: { id: string; params: Record<string, unknown> }[] };
    };
    if (name === 'news-glove-cnn') {
      raw.data.source = { path: join(work, 'news.csv') };
      raw.graph.nodes.find((n) => n.id === 'glove')!.params.pretrained = join(work, 'vectors.txt');
    }
    if (IMAGE_TEMPLATES.has(name)) {
      raw.data.source = { folder: join(work, 'pictures') };
      raw.data.split.ratios = [0.6, 0.2, 0.2];
      // The ResNet one in RGB, standardized by the train split's mean and std; the LeNet one as shipped.
      if (name === 'digits-resnet') {
        raw.data.image = { ...raw.data.image, color: 'rgb', scale: 'standardize', fit: 'stretch' };
        raw.graph.nodes.find((n) => Array.isArray(n.params.shape))!.params.shape = [28, 28, 3];
      }
    }
    const parsed = parseDocument(JSON.stringify(raw));
    if (!parsed.ok) throw new Error(parsed.error);
    const runDir = join(work, name, 'run');
    const done = await runDocument({
      runId: name,
      doc: parsed.doc,
      epochs: 1,
      backend,
      files,
      store: new FsRunStore(runDir),
      prepare: prepareTrainData,
      emit: () => undefined,
    });
    if (done.type !== 'done') throw new Error(`${name}: ${done.message}`);
    const loaded = await loadPredictor(fsRunReader(runDir));
    if (!loaded.ok) throw new Error(loaded.message);
    const predictor = loaded.predictor;
    const p = predictor.preprocessing;
    if (isImagePreprocessing(p)) {
      const { height, width, channels } = p.image;
      const input = { x: pictureInputs(PICTURES, p), shape: [PICTURES.length, height, width, channels], dtype: 'float32' as const };
      trained.set(name, { runDir, predictor, texts: PICTURES.map((f) => f.name), input, expected: pictureProbabilities(predictor, PICTURES) });
    } else {
      const texts = TEXTS[name] ?? SURNAME_TEXTS;
      trained.set(name, { runDir, predictor, texts, input: predictor.encode(texts), expected: predictor.probabilities(texts) });
    }
    measured[name] = {};
  }
}, 600_000);

afterAll(() => {
  for (const t of trained.values()) t.predictor.dispose();
  console.log(`export fidelity, max |p - p_app| per template and format:\n${JSON.stringify(measured, null, 1)}`);
});

async function exported(name: string, format: ExportFormat, out: string): Promise<string> {
  const r = await exportRunFolder({ runDir: trained.get(name)!.runDir, format, out, force: false, files });
  if (!r.ok) throw new Error(r.message);
  return r.path;
}

/** A tfjs IOHandler over the exported folder, as a browser would fetch it. */
function folderHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
        modelTopology: object;
        weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
      };
      const parts = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
      const all = Buffer.concat(parts);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

describe.each(TEMPLATES)('%s', (name) => {
  it('tfjs files load with tf.loadLayersModel and predict what the app predicts', async () => {
    const t = trained.get(name)!;
    const dir = await exported(name, 'tfjs', join(work, name, 'tfjs'));
    const model = await tfl.loadLayersModel(folderHandler(dir));
    const { x, shape, dtype } = t.input;
    const out = tf.tidy(() => (model.predict(tf.tensor(x, shape, dtype)) as tf.Tensor).dataSync() as Float32Array);
    model.dispose();
    measured[name]!.tfjs = maxAbsDiff(out, t.expected);
    expect(measured[name]!.tfjs).toBeLessThan(1e-4);
  });

  it('ONNX (onnxruntime-node) predicts what the app predicts', async () => {
    const t = trained.get(name)!;
    const path = await exported(name, 'onnx', join(work, name, `${name}.onnx`));
    expect(path.endsWith(`${name}.onnx`)).toBe(true);
    const vocab = JSON.parse(readFileSync(join(work, name, `${name}.vocab.json`), 'utf8')) as {
      vocabulary?: string[];
      classes: string[];
      image?: Record<string, unknown>;
      inputShape: number[];
    };
    const p = t.predictor.preprocessing;
    if (isImagePreprocessing(p)) {
      // What a user needs to feed it pictures: the size, channels, fit and scaling the run used.
      expect(vocab.image).toMatchObject(p.image);
      expect(vocab.inputShape).toEqual([p.image.height, p.image.width, p.image.channels]);
    } else expect(vocab.vocabulary).toEqual(p.vocabulary);
    expect(vocab.classes).toEqual(p.classes);
    const { x, shape } = t.input;
    const out = await runOnnx(readFileSync(path), { data: x, shape });
    measured[name]!.onnx = maxAbsDiff(out, t.expected);
    expect(measured[name]!.onnx).toBeLessThan(1e-4);
  });

  // An image model's project needs Pillow and numpy besides torch.
  const python = IMAGE_TEMPLATES.has(name) ? imagePython() : torchPython();
  it.skipIf(!python.python)(`PyTorch predict.py --json predicts what the app predicts${python.python ? '' : ` (skipped: ${python.why})`}`, async () => {
    const t = trained.get(name)!;
    const dir = await exported(name, 'pytorch', join(work, name, 'pytorch'));
    // An image model's predict.py reads picture files.
    const image = IMAGE_TEMPLATES.has(name);
    const args = image ? PICTURES.map((f) => join(work, 'new-pictures', f.name)) : t.texts;
    const lines = runPython(['predict.py', '--json', ...args], dir)
      .trim()
      .split('\n');
    const classes = t.predictor.preprocessing.classes;
    const rows = lines.map((l) => JSON.parse(l) as { text: string; top: { label: string; p: number }[]; probs: Record<string, number> });
    expect(rows.map((r) => r.text)).toEqual(args);
    // The same JSON `modelwright predict --json` prints: the top 3, every class's probability.
    expect(rows.map((r) => r.top.length)).toEqual(args.map(() => Math.min(3, classes.length)));
    const out = Float32Array.from(rows.flatMap((r) => classes.map((c) => r.probs[c]!)));
    if (!image) {
      measured[name]!.pytorch = maxAbsDiff(out, t.expected);
      expect(measured[name]!.pytorch).toBeLessThan(1e-4);
      return;
    }
    // PNG pictures decode to the app's bytes: the same probabilities but for float sums. A JPEG's
    // bytes may differ by a level or so (jpeg-js and libjpeg), and its probabilities a little more.
    const k = classes.length;
    const of = (xs: Float32Array, i: number) => xs.subarray(i * k, (i + 1) * k);
    const png = PICTURES.map((_, i) => i).filter((i) => !PICTURES[i]!.name.endsWith('.jpg'));
    const jpeg = PICTURES.map((_, i) => i).filter((i) => PICTURES[i]!.name.endsWith('.jpg'));
    expect(jpeg.length).toBeGreaterThan(0);
    measured[name]!.pytorch = Math.max(...png.map((i) => maxAbsDiff(of(out, i), of(t.expected, i))));
    measured[name]!['pytorch (JPEG)'] = Math.max(...jpeg.map((i) => maxAbsDiff(of(out, i), of(t.expected, i))));
    expect(measured[name]!.pytorch).toBeLessThan(1e-6);
    expect(measured[name]!['pytorch (JPEG)']).toBeLessThan(1e-2);
  });
});

describe.skipIf(!torchPython().python)(`the exported PyTorch project's data.py${torchPython().python ? '' : ` (skipped: ${torchPython().why})`}`, () => {
  it.each(['surname-gru', 'news-glove-cnn', 'spam-bag-mlp', 'first-names-mlp'])(
    '%s: reads the same splits, in the same order, with the same ids, as the app',
    async (name) => {
      const dir = await exported(name, 'pytorch', join(work, name, 'data-check'));
      const script =
        'import data, json\ns = data.load_splits()\nprint(json.dumps({k: {"texts": v["texts"], "ids": v["ids"].flatten().tolist(), "labels": v["labels"].tolist()} for k, v in s.items()}))';
      const python = JSON.parse(runPython(['-c', script], dir)) as Record<string, { texts: string[]; ids: number[]; labels: number[] }>;
      const doc = trained.get(name)!.predictor.doc;
      const asset = { 'spam-bag-mlp': 'datasets/spam.csv', 'first-names-mlp': 'datasets/first-names.csv' }[name] ?? 'datasets/surnames.csv';
      const text = name === 'news-glove-cnn' ? news.csv : SMALL[asset]!;
      // Texts are kept by default here, and only when asked once prepareData stops keeping them.
      const keep: { keepTexts?: boolean; maxRows?: number } = { keepTexts: true };
      const app = prepareFromText(text, name === 'news-glove-cnn' ? join(work, 'news.csv') : 'surnames.csv', doc.data!, keep);
      for (const split of ['train', 'dev', 'test'] as const) {
        expect(python[split]!.texts, split).toEqual(app[split].texts);
        expect(python[split]!.labels, split).toEqual(Array.from(app[split].labels));
        expect(python[split]!.ids, split).toEqual(Array.from(app[split].ids));
      }
    },
  );
});

describe.skipIf(!imagePython().python)(
  `the exported PyTorch project's data.py of pictures${imagePython().python ? '' : ` (skipped: ${imagePython().why})`}`,
  () => {
    it.each([...IMAGE_TEMPLATES])(
      '%s: reads the same pictures, in the same splits and order, with the same ids, labels and pixels, as the app',
      async (name) => {
        const dir = await exported(name, 'pytorch', join(work, name, 'data-check'));
        const app = await prepareImages(trained.get(name)!.predictor.doc.data!, files);
        expectSameSplits(pythonSplits(dir), app);
      },
    );

    it('the built-in digits: data.py reads the atlas the project carries as the app reads it', async () => {
      // digits-lenet's run, its data section and classes made the built-in digits' (training on all
      // 10,000 would take minutes): the project's data.py is the subject here, not its model.
      const loaded = await loadExportSource(fsRunReader(trained.get('digits-lenet')!.runDir));
      if (!loaded.ok) throw new Error(loaded.message);
      const source = loaded.source;
      const doc = { ...source.doc, data: { ...source.doc.data!, source: { builtin: 'digits' as const } } };
      const preprocessing = { ...source.preprocessing, classes: Array.from({ length: 10 }, (_, d) => String(d)) };
      const out = join(work, 'digits-builtin');
      const written = await writeSource({ ...source, doc, preprocessing }, { format: 'pytorch', out, force: false, files: disk });
      if (!written.ok) throw new Error(written.message);
      expect(readdirSync(join(out, 'data')).sort()).toEqual(['DIGITS-LICENSE.md', 'digits.json', 'digits.png']);
      const script = `import hashlib, json, data
s = data.load_splits()
print(json.dumps({k: {"files": v["files"], "labels": v["labels"].tolist(), "sha256": hashlib.sha256(v["pixels"].numpy().tobytes()).hexdigest()} for k, v in s.items()}))`;
      const python = JSON.parse(runPython(['-c', script], out, { timeoutMs: 300_000 })) as Record<
        string,
        { files: string[]; labels: number[]; sha256: string }
      >;
      const app = await prepareImages(doc.data, disk);
      expect(app.train.n + app.dev.n + app.test.n).toBe(10_000);
      for (const split of ['train', 'dev', 'test'] as const) {
        expect(python[split]!.files, split).toEqual(app[split].files);
        expect(python[split]!.labels, split).toEqual(Array.from(app[split].labels));
        expect(python[split]!.sha256, split).toBe(createHash('sha256').update(app[split].pixels).digest('hex'));
      }
    }, 300_000);
  },
);

describe.skipIf(!torchPython().python)(`the exported PyTorch project trains${torchPython().python ? '' : ` (skipped: ${torchPython().why})`}`, () => {
  const epochLoss = (stdout: string): number => {
    const epochs = stdout
      .split('\n')
      .map((l) => l.slice(l.indexOf('{')))
      .filter((l) => l.startsWith('{"type": "epoch"'))
      .map((l) => JSON.parse(l) as { trainLoss: number });
    expect(epochs).toHaveLength(1);
    return epochs[0]!.trainLoss;
  };

  it('train.py --epochs 1, then under torchrun --nproc_per_node 2 (gloo): close losses', async () => {
    const dir = await exported('surname-mlp', 'pytorch', join(work, 'surname-mlp', 'train'));
    const single = epochLoss(runPython(['train.py', '--epochs', '1', '--json', '--device', 'cpu', '--out', 'one'], dir, { timeoutMs: 300_000 }));
    const out = await runTorchrun(dir, 2, ['--epochs', '1', '--json', '--out', 'two']);
    const distributed = epochLoss(out);
    console.log(`surname-mlp, one epoch: train loss ${single} in one process, ${distributed} in two (torchrun, gloo)`);
    expect(Number.isFinite(single)).toBe(true);
    expect(Math.abs(distributed - single) / single).toBeLessThan(0.05);
    // Rank 0 wrote the trained weights; predict.py reads them.
    const line = runPython(['predict.py', '--json', '--weights', 'two', 'Nakamura'], dir).trim();
    expect(Object.keys((JSON.parse(line) as { probs: object }).probs)).toEqual(trained.get('surname-mlp')!.predictor.preprocessing.classes);
  }, 900_000);
});
