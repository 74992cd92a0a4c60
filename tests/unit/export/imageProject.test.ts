/**
 * The PyTorch project of an image model reads pictures as the app does. On folders of coloured
 * shapes this test writes (several sizes and aspects, RGBA with transparency, RGB, gray, a 4:4:4
 * and a 4:2:0 JPEG), laid out as class folders, as train/val/test folders and as a CSV of paths with a split
 * column (and on PNGs of every kind Pillow writes: palettes, 1- and 16-bit gray, transparent
 * colours): the exported data.py gives the app's splits, order, ids and labels, and its pixels
 * (byte for byte for PNG, within JPEG_TOLERANCE levels for the JPEG, whose decoders differ); its
 * augmentation gives the app's augmented pictures; predict.py the app's probabilities; train.py
 * trains, in one process and under torchrun in two to the same loss (no dropout, no BatchNorm);
 * and bad data (a missing folder, a file that is not a picture) is a DataError naming the path.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo } from '../../../engine/api';
import { initBackend } from '../../../engine/backend';
import { prepareImages } from '../../../engine/data/imageDataset';
import { decodeImage } from '../../../engine/data/imageDecode';
import type { Document } from '../../../engine/graph/document';
import { parseDocument } from '../../../engine/graph/load';
import { exportRunFolder } from '../../../engine/host/exportWriter';
import { createFilePort } from '../../../engine/host/fsPorts';
import { FsRunStore } from '../../../engine/host/fsRunStore';
import { fsRunReader } from '../../../engine/host/runFolder';
import { prepareTrainData } from '../../../engine/train/data';
import { trainDataFromImages } from '../../../engine/train/imageData';
import { loadPredictor } from '../../../engine/train/predict';
import { epochOrder } from '../../../engine/train/random';
import { runDocument } from '../../../engine/train/run';
import { imagePython, maxAbsDiff, runPython, runTorchrun } from './harness';
import { expectSameSplits, pythonSplits } from './pictures';

const ROOT = join(__dirname, '..', '..', '..');
const CLASSES = ['bar', 'disc', 'square'] as const;
type Kind = (typeof CLASSES)[number];

/** A w × h RGBA picture of a coloured shape on a patterned ground; `alpha` makes its ground partly transparent. */
function shape(kind: Kind, w: number, h: number, i: number, alpha: boolean): Uint8Array {
  const data = new Uint8Array(w * h * 4);
  const colour = { bar: [40, 90, 230], disc: [30, 200, 60], square: [230, 40, 50] }[kind];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const u = (x + 0.5) / w - 0.5 - ((i % 3) - 1) * 0.08;
      const v = (y + 0.5) / h - 0.5;
      const on = kind === 'disc' ? u * u + v * v < 0.09 : kind === 'bar' ? Math.abs(u) < 0.12 : Math.max(Math.abs(u), Math.abs(v)) < 0.25;
      const ground = [(x * 13 + i * 7) % 90, (y * 11) % 70, 60 + ((x + y) % 40), alpha ? (x * 37 + y * 17) % 256 : 255];
      data.set(on ? [colour[0]! - (x % 20), colour[1]! - (y % 15), colour[2]!, 255] : ground, (y * w + x) * 4);
    }
  return data;
}

function png(rgba: Uint8Array, w: number, h: number, colorType: 0 | 2 | 4 | 6): Buffer {
  const p = new PNG({ width: w, height: h, colorType, inputColorType: 6 });
  p.data = Buffer.from(rgba);
  return PNG.sync.write(p, { colorType, inputColorType: 6 });
}

const SIZES: [number, number][] = [
  [13, 9],
  [40, 25],
  [64, 64],
  [97, 61],
  [22, 47],
  [20, 24],
  [150, 90],
];

/** A JPEG as cameras and most programs write them, with the chroma at half resolution (4:2:0): Pillow's, since jpeg-js writes 4:4:4 only. */
function jpeg420(rgba: Uint8Array, w: number, h: number): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'mw-jpeg-'));
  writeFileSync(join(dir, 'in.png'), png(rgba, w, h, 6));
  runPython(
    [
      '-c',
      'import sys\nfrom PIL import Image\nImage.open(sys.argv[1]).convert("RGB").save(sys.argv[2], quality=85)',
      join(dir, 'in.png'),
      join(dir, 'out.jpg'),
    ],
    dir,
  );
  return readFileSync(join(dir, 'out.jpg'));
}

/**
 * Picture i of a class: PNG RGBA with transparency, RGB, gray (colour type 0 or 4), in the sizes
 * above; disc 3 is a JPEG as jpeg-js writes it (4:4:4), square 6 one as Pillow does (4:2:0).
 */
function pictureFile(kind: Kind, i: number): { name: string; bytes: Uint8Array } {
  const [w, h] = SIZES[i % SIZES.length]!;
  const rgba = shape(kind, w, h, i, i % 4 === 0);
  if (kind === 'disc' && i === 3) return { name: `${kind}-${i}.jpg`, bytes: Buffer.from(encodeJpeg({ data: rgba, width: w, height: h }, 85).data) };
  if (kind === 'square' && i === 6) return { name: `${kind}-${i}.jpeg`, bytes: jpeg420(shape(kind, w, h, i, false), w, h) };
  const colorType = ([6, 2, 0, 4, 2] as const)[i % 5]!;
  return { name: `${kind}-${i}.png`, bytes: png(rgba, w, h, colorType) };
}

const work = mkdtempSync(join(tmpdir(), 'mw-image-project-'));
const disk = createFilePort();
const backend: BackendInfo = { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', reason: 'test', customKernels: [] };
const PER_CLASS = 7;

/** The three layouts of the same pictures: class folders, train/val/test folders, a CSV with a split column. */
function writeData(): { folder: string; splitFolder: string; csv: string } {
  const folder = join(work, 'shapes');
  const splitFolder = join(work, 'split');
  const csvRows = ['file,shape,part'];
  for (const kind of CLASSES) {
    mkdirSync(join(folder, kind), { recursive: true });
    for (let i = 0; i < PER_CLASS; i++) {
      const f = pictureFile(kind, i);
      writeFileSync(join(folder, kind, f.name), f.bytes);
      const part = i < 4 ? 'train' : i < 6 ? 'val' : 'test';
      mkdirSync(join(splitFolder, part, kind), { recursive: true });
      writeFileSync(join(splitFolder, part, kind, f.name), f.bytes);
      csvRows.push(`shapes/${kind}/${f.name},${kind},${part}`);
    }
    // What the app leaves out: a file that is not a picture by its name, a hidden one.
    writeFileSync(join(folder, kind, 'notes.txt'), 'not a picture');
    writeFileSync(join(folder, kind, '.DS_Store'), 'hidden');
  }
  const csv = join(work, 'pictures.csv');
  writeFileSync(csv, csvRows.join('\n') + '\n');
  return { folder, splitFolder, csv };
}

/**
 * digits-lenet reading RGB pictures of 20 × 24, kept in aspect, standardized, augmented with every
 * kind; from a CSV, with its label, split and path columns.
 */
function shapesDoc(source: Record<string, unknown>, csv?: { label: string; column: string; pathColumn: string }): Document {
  const raw = JSON.parse(readFileSync(join(ROOT, 'assets', 'examples', 'digits-lenet.json'), 'utf8')) as {
    data: Record<string, unknown>;
    graph: { nodes: { id: string; params: Record<string, unknown> }[] };
    training: Record<string, unknown>;
  };
  raw.data = {
    ...raw.data,
    source,
    split: { ratios: [0.6, 0.2, 0.2], seed: 7, stratify: true, ...(csv ? { column: csv.column } : {}) },
    image: {
      size: [20, 24],
      color: 'rgb',
      fit: 'pad',
      scale: 'standardize',
      augment: { shift: 0.1, flip: true, rotate: 10, crop: 0.2 },
      ...(csv ? { pathColumn: csv.pathColumn } : {}),
    },
    ...(csv ? { label: csv.label } : {}),
  };
  raw.graph.nodes.find((n) => n.id === 'pixels')!.params.shape = [20, 24, 3];
  raw.training = { ...raw.training, batchSize: 8 };
  const parsed = parseDocument(JSON.stringify(raw));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.doc;
}

/** Trains `doc` one epoch and exports its PyTorch project; the project's folder. */
async function trainAndExport(name: string, doc: Document): Promise<string> {
  const runDir = join(work, name, 'run');
  const done = await runDocument({
    runId: name,
    doc,
    epochs: 1,
    backend,
    files: disk,
    store: new FsRunStore(runDir),
    prepare: prepareTrainData,
    emit: () => undefined,
  });
  if (done.type !== 'done') throw new Error(`${name}: ${done.message}`);
  const r = await exportRunFolder({ runDir, format: 'pytorch', out: join(work, name, 'pytorch'), force: false, files: disk });
  if (!r.ok) throw new Error(r.message);
  return r.path;
}

const py = imagePython();
let data: ReturnType<typeof writeData>;
let folderProject: string;
let csvProject: string;
const measured: Record<string, number> = {};

beforeAll(async () => {
  if (!py.python) return;
  await initBackend({ prefer: 'wasm', threads: 1 });
  data = writeData();
  folderProject = await trainAndExport('folder', shapesDoc({ folder: data.folder }));
  csvProject = await trainAndExport('csv', shapesDoc({ path: data.csv }, { label: 'shape', column: 'part', pathColumn: 'file' }));
}, 300_000);

describe.skipIf(!py.python)(`an image model's PyTorch project${py.python ? '' : ` (skipped: ${py.why})`}`, () => {
  it('data.py reads a folder of class folders as the app does: splits, order, ids, labels, pixels', async () => {
    const doc = shapesDoc({ folder: data.folder });
    const app = await prepareImages(doc.data!, disk);
    measured.folderJpeg = expectSameSplits(pythonSplits(folderProject), app);
    expect(app.summary.images?.skipped?.count).toBe(CLASSES.length);
  });

  it('data.py reads train/val/test folders as the app does', async () => {
    const app = await prepareImages(shapesDoc({ folder: data.splitFolder }).data!, disk);
    expect(app.train.n + app.dev.n + app.test.n).toBe(PER_CLASS * CLASSES.length);
    expectSameSplits(pythonSplits(folderProject, data.splitFolder), app);
  });

  it('data.py reads a CSV of picture paths with a split column as the app does', async () => {
    const doc = JSON.parse(readFileSync(join(csvProject, 'config.json'), 'utf8')) as { data: Document['data'] };
    const app = await prepareImages(doc.data!, disk);
    expectSameSplits(pythonSplits(csvProject), app);
  });

  it("data.py augments train pictures as the app does, each with the app's random amounts for its place", async () => {
    const doc = shapesDoc({ folder: data.folder });
    const prepared = await prepareImages(doc.data!, disk);
    const n = prepared.train.n;
    const train = trainDataFromImages(prepared, doc.data!.split.seed);
    // The app's loop: the probe batch first, then epoch 1 in its order, then epoch 2.
    train.fill(
      'train',
      Int32Array.from({ length: Math.min(doc.training.batchSize, n) }, (_, i) => i),
    );
    const epochs = [1, 2].map((e) => {
      const order = epochOrder(n, doc.training.seed, e);
      return { order: Array.from(order), x: Float32Array.from(train.fill('train', order).x as Float32Array) };
    });
    // The app's own train pixels, so that only the augmentation is compared (a JPEG's pixels may differ a little).
    const pixelsFile = join(work, 'train-pixels.bin');
    writeFileSync(pixelsFile, prepared.train.pixels);
    const script = `import json, sys, numpy, torch, data
n = int(sys.argv[3])
pixels = torch.from_numpy(numpy.fromfile(sys.argv[2], dtype=numpy.uint8).reshape(n, data.HEIGHT, data.WIDTH, data.CHANNELS))
out = []
for e, order in enumerate(json.loads(sys.argv[1]), start=1):
    x = data.train_inputs(pixels[order], e, range(n), n)
    out.append(x.flatten().tolist())
print(json.dumps(out))`;
    const python = JSON.parse(runPython(['-c', script, JSON.stringify(epochs.map((e) => e.order)), pixelsFile, String(n)], folderProject)) as number[][];
    epochs.forEach((e, i) => {
      measured[`augment${i + 1}`] = maxAbsDiff(Float32Array.from(python[i]!), e.x);
      expect(measured[`augment${i + 1}`]).toBeLessThan(1e-6);
    });
  });

  it('data.py decodes the PNG kinds the app does to the same bytes: palettes and their transparency, 1-bit and 16-bit gray, gray and RGB with a transparent colour, gray with alpha', () => {
    const dir = join(work, 'png-kinds');
    mkdirSync(dir, { recursive: true });
    // Pillow writes them (pngjs writes no palettes, 16-bit or tRNS).
    const write = `import sys
import numpy as np
from PIL import Image
rng = np.random.default_rng(3)
rgb = rng.integers(0, 256, (23, 37, 3), dtype=np.uint8)
d = sys.argv[1] + "/"
Image.fromarray(rgb).quantize(16).save(d + "palette.png")
Image.fromarray(rgb).quantize(16).save(d + "palette-trns.png", transparency=bytes([255, 0, 128] + [255] * 13))
Image.fromarray(rng.integers(0, 65536, (23, 37), dtype=np.uint16)).save(d + "gray16.png")
Image.fromarray(rgb[..., 0] > 128).save(d + "gray1.png")
Image.fromarray(rgb[..., 0]).save(d + "gray-trns.png", transparency=int(rgb[0, 0, 0]))
Image.fromarray(np.stack([rgb[..., 0], rgb[..., 1]], -1), "LA").save(d + "gray-alpha.png")
Image.fromarray(rgb).save(d + "rgb-trns.png", transparency=tuple(int(v) for v in rgb[1, 1]))`;
    runPython(['-c', write, dir], dir);
    const names = ['palette.png', 'palette-trns.png', 'gray16.png', 'gray1.png', 'gray-trns.png', 'gray-alpha.png', 'rgb-trns.png'];
    const read = `import base64, json, sys, data
out = {}
for f in sys.argv[2:]:
    pixels, colour = data.decode_image(open(sys.argv[1] + "/" + f, "rb").read(), f)
    out[f] = [colour, base64.b64encode(pixels.tobytes()).decode()]
print(json.dumps(out))`;
    const python = JSON.parse(runPython(['-c', read, dir, ...names], folderProject)) as Record<string, [string, string]>;
    for (const name of names) {
      const app = decodeImage(readFileSync(join(dir, name)), name);
      expect(python[name]![0], name).toBe(app.color);
      expect(Buffer.compare(Buffer.from(python[name]![1], 'base64'), Buffer.from(app.data)), `${name}: its pixels differ from the app's`).toBe(0);
    }
  });

  it('predict.py --json gives the probabilities the app gives (PNG within 1e-6; the JPEG within its decoding difference)', async () => {
    const loaded = await loadPredictor(fsRunReader(join(work, 'folder', 'run')));
    if (!loaded.ok) throw new Error(loaded.message);
    const dir = join(work, 'new');
    mkdirSync(dir, { recursive: true });
    const pictures = [pictureFile('square', 11), pictureFile('bar', 12), pictureFile('disc', 3), pictureFile('disc', 13), pictureFile('square', 6)].map((f) => {
      writeFileSync(join(dir, f.name), f.bytes);
      return { name: join(dir, f.name), bytes: f.bytes };
    });
    const app = loaded.predictor.predictImages(pictures, 3);
    loaded.predictor.dispose();
    const rows = runPython(['predict.py', '--json', ...pictures.map((p) => p.name)], folderProject)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string; top: { label: string }[]; probs: Record<string, number> });
    expect(rows.map((r) => r.text)).toEqual(pictures.map((p) => p.name));
    rows.forEach((r, i) => {
      const diff = maxAbsDiff(
        CLASSES.map((c) => r.probs[c]!),
        CLASSES.map((c) => app[i]!.probs[c]!),
      );
      const jpeg = /\.jpe?g$/.test(r.text);
      measured[`predict ${r.text.slice(r.text.lastIndexOf('/') + 1)}`] = diff;
      expect(diff, r.text).toBeLessThan(jpeg ? 1e-2 : 1e-6);
      if (!jpeg) expect(r.top.map((t) => t.label)).toEqual(app[i]!.top.map((t) => t.label));
    });
  });

  it('train.py --epochs 1 trains, and torchrun with two processes reaches the same loss', async () => {
    const lossOf = (stdout: string): number => {
      const line = stdout.split('\n').find((l) => l.includes('{"type": "epoch"'));
      if (!line) throw new Error(`no epoch line in:\n${stdout}`);
      return (JSON.parse(line.slice(line.indexOf('{'))) as { trainLoss: number }).trainLoss;
    };
    const one = lossOf(runPython(['train.py', '--epochs', '1', '--json', '--device', 'cpu', '--out', 'one'], folderProject, { timeoutMs: 300_000 }));
    const two = lossOf(await runTorchrun(folderProject, 2, ['--epochs', '1', '--json', '--out', 'two']));
    measured.loss1 = one;
    measured.loss2 = two;
    expect(Number.isFinite(one)).toBe(true);
    // The same batches, the same augmentations, the gradients averaged: the same loss but for float sums.
    expect(Math.abs(two - one)).toBeLessThan(1e-5 * Math.max(1, one));
    const line = runPython(['predict.py', '--json', '--weights', 'two', join(data.folder, 'bar', pictureFile('bar', 0).name)], folderProject).trim();
    expect(Object.keys((JSON.parse(line) as { probs: object }).probs)).toEqual([...CLASSES]);
  }, 600_000);

  it('bad data is a DataError naming the path: a missing folder, a file that is not a picture', () => {
    const check = (source: string): string =>
      runPython(
        ['-c', 'import sys, data\ntry:\n    data.load_splits(sys.argv[1])\n    print("no error")\nexcept data.DataError as e:\n    print(e)', source],
        folderProject,
      ).trim();
    const missing = join(work, 'no-such-folder');
    expect(check(missing)).toMatch(new RegExp(`^${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: no such folder`));
    const broken = join(work, 'broken');
    for (const kind of CLASSES) {
      mkdirSync(join(broken, kind), { recursive: true });
      writeFileSync(join(broken, kind, 'a.png'), pictureFile(kind, 1).bytes);
    }
    writeFileSync(join(broken, 'disc', 'fake.png'), 'this is text, not a picture\n');
    expect(check(broken)).toContain(`${broken}/disc/fake.png: this is not a PNG or JPEG image`);
    mkdirSync(join(broken, 'empty'));
    expect(check(broken)).toContain(`${broken}/empty: the class folder "empty" is empty`);
    // predict.py says which picture, prints the others, and exits 1.
    const r = spawnSync(py.python!, ['predict.py', '--json', join(broken, 'disc', 'fake.png'), join(broken, 'bar', 'a.png')], {
      cwd: folderProject,
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ok?: boolean; image?: string; error?: string; text?: string });
    expect(lines[0]).toMatchObject({ ok: false, image: join(broken, 'disc', 'fake.png'), error: expect.stringContaining('not a PNG or JPEG') });
    expect(lines[1]?.text).toBe(join(broken, 'bar', 'a.png'));
    console.log(`image project, measured: ${JSON.stringify(measured)}`);
  });
});
