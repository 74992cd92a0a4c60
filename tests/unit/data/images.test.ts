/**
 * Image data on real files the test writes: PNG and JPEG pictures of coloured shapes in class
 * folders, decoded with the real decoders, resized, split, and trained end to end; and every
 * kind of bad input, each named with its path.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../engine/backend';
import { augmentInto } from '../../../engine/data/augment';
import { DataError } from '../../../engine/data/dataError';
import { prepareImages } from '../../../engine/data/imageDataset';
import { decodeImage, imageHeaderSize } from '../../../engine/data/imageDecode';
import { fitBox, resizeImage } from '../../../engine/data/imageResize';
import { DataSchema, DocumentSchema, type DataSpec } from '../../../engine/graph/document';
import { describeFileRef, documentFileRefs } from '../../../engine/graph/files';
import { grantedFilePort } from '../../../engine/host/consent';
import { exportRunFolder } from '../../../engine/host/exportWriter';
import { createFilePort } from '../../../engine/host/fsPorts';
import { FsRunStore } from '../../../engine/host/fsRunStore';
import { fsRunReader } from '../../../engine/host/runFolder';
import { prepareTrainData } from '../../../engine/train/data';
import { loadPredictor } from '../../../engine/train/predict';
import { runDocument } from '../../../engine/train/run';

type Rgb = [number, number, number];
const SHAPES: Record<string, { color: Rgb; inside: (x: number, y: number) => boolean }> = {
  circle: { color: [220, 40, 40], inside: (x, y) => (x - 0.5) ** 2 + (y - 0.5) ** 2 < 0.09 },
  square: { color: [40, 60, 220], inside: (x, y) => Math.abs(x - 0.5) < 0.3 && Math.abs(y - 0.5) < 0.3 },
  bar: { color: [40, 200, 60], inside: (x) => Math.abs(x - 0.5) < 0.1 },
};

/** An RGBA picture of `shape`, w × h, shifted by (dx, dy) (fractions), on a light background. */
function picture(shape: string, w: number, h: number, dx = 0, dy = 0): Uint8Array {
  const { color, inside } = SHAPES[shape]!;
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const on = inside((x + 0.5) / w - dx, (y + 0.5) / h - dy);
      const px = on ? color : ([235, 235, 235] as Rgb);
      data.set([...px, 255], (y * w + x) * 4);
    }
  return data;
}
function png(rgba: Uint8Array, w: number, h: number, colorType: 0 | 2 | 6 = 6): Buffer {
  const p = new PNG({ width: w, height: h });
  p.data = Buffer.from(rgba);
  return PNG.sync.write(p, { colorType, inputColorType: 6 });
}
function jpeg(rgba: Uint8Array, w: number, h: number): Buffer {
  return Buffer.from(encodeJpeg({ data: rgba, width: w, height: h }, 92).data);
}

/** Class folders of shapes: even-numbered pictures PNG, odd JPEG, of several sizes. */
function shapesFolder(root: string, perClass = 12): void {
  for (const shape of Object.keys(SHAPES)) {
    mkdirSync(join(root, shape), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const w = 24 + (i % 3) * 16;
      const h = 24 + ((i + 1) % 3) * 8;
      const rgba = picture(shape, w, h, ((i % 5) - 2) * 0.04, ((i % 3) - 1) * 0.04);
      writeFileSync(join(root, shape, `${i}.${i % 2 ? 'jpg' : 'png'}`), i % 2 ? jpeg(rgba, w, h) : png(rgba, w, h));
    }
  }
}

const spec = (source: DataSpec['source'], image: Record<string, unknown> = {}): DataSpec =>
  DataSchema.parse({ source, image: { size: [16, 16], color: 'rgb', ...image }, split: { ratios: [0.6, 0.2, 0.2], seed: 3 } });
const work = mkdtempSync(join(tmpdir(), 'mw-images-'));
const files = createFilePort();

async function dataError(p: Promise<unknown>): Promise<DataError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DataError) return err;
    throw err;
  }
  throw new Error('expected a DataError');
}

describe('decoding', () => {
  it('reads PNG (gray, RGB, RGBA) and JPEG, with their sizes from the header', () => {
    const rgba = picture('circle', 20, 10);
    for (const [bytes, color] of [
      [png(rgba, 20, 10, 6), 'rgb'],
      [png(rgba, 20, 10, 2), 'rgb'],
      [png(rgba, 20, 10, 0), 'grayscale'],
      [jpeg(rgba, 20, 10), 'rgb'],
    ] as const) {
      const img = decodeImage(bytes, 'x');
      expect([img.width, img.height, img.color]).toEqual([20, 10, color]);
      expect(imageHeaderSize(bytes, bytes[0] === 0x89 ? 'png' : 'jpeg')).toEqual({ width: 20, height: 10 });
    }
    // The circle's red survives a JPEG round trip closely.
    const j = decodeImage(jpeg(rgba, 20, 10), 'x');
    const centre = (5 * 20 + 10) * 3;
    expect(Math.abs(j.data[centre]! - 220)).toBeLessThan(20);
  });

  it('names the file that is not an image, is truncated, or is too large to decode', () => {
    expect(() => decodeImage(new TextEncoder().encode('hello'), 'notes.png')).toThrow(/notes\.png: this is not a PNG or JPEG image/);
    const whole = png(picture('bar', 30, 30), 30, 30);
    expect(() => decodeImage(whole.subarray(0, 60), 'cut.png')).toThrow(/cut\.png: the PNG image cannot be decoded .*truncated/);
    expect(() => decodeImage(whole.subarray(0, 20), 'head.png')).toThrow(/head\.png: the PNG file is truncated/);
    // A header that claims 100,000 × 100,000 pixels is refused before any decoding.
    const huge = Buffer.from(whole);
    huge.writeUInt32BE(100_000, 16);
    huge.writeUInt32BE(100_000, 20);
    expect(() => decodeImage(huge, 'huge.png')).toThrow(/huge\.png: the image is 100000×100000 pixels .* over the limit/);
  });
});

describe('resizing', () => {
  it('pads to keep the aspect, or stretches, and averages when shrinking', () => {
    expect(fitBox(40, 20, 16, 16, 'pad')).toEqual({ x: 0, y: 4, w: 16, h: 8 });
    expect(fitBox(40, 20, 16, 16, 'stretch')).toEqual({ x: 0, y: 0, w: 16, h: 16 });
    const flat = { width: 40, height: 20, channels: 1 as const, data: new Uint8Array(800).fill(200), color: 'grayscale' as const };
    const padded = resizeImage(flat, 16, 16, 1, 'pad');
    expect(padded[0]).toBe(0); // the black band above
    expect(padded[8 * 16 + 8]).toBe(200); // a flat picture stays flat
    const stretched = resizeImage(flat, 16, 16, 3, 'stretch');
    expect(new Set(stretched)).toEqual(new Set([200]));
    // A 1-pixel checkerboard shrunk by 4 averages to grey instead of aliasing.
    const checker = {
      width: 64,
      height: 64,
      channels: 1 as const,
      data: Uint8Array.from({ length: 4096 }, (_, i) => (((i % 64) + Math.floor(i / 64)) % 2 ? 255 : 0)),
      color: 'grayscale' as const,
    };
    const small = resizeImage(checker, 16, 16, 1, 'stretch');
    for (const v of small.subarray(16 * 4, 16 * 12)) expect(Math.abs(v - 128)).toBeLessThan(20);
  });

  it('augments with the seeded PRNG only: no amounts leave a picture as it was', () => {
    const src = Float32Array.from({ length: 8 * 8 }, (_, i) => i);
    const out = new Float32Array(64);
    augmentInto(src, 0, 8, 8, 1, { shift: 0, flip: false, rotate: 0, crop: 0 }, () => 0.7, out, 0);
    expect(Array.from(out)).toEqual(Array.from(src));
    const a = new Float32Array(64);
    const b = new Float32Array(64);
    let s1 = 1;
    let s2 = 1;
    const r1 = () => (s1 = (s1 * 16807) % 2147483647) / 2147483647;
    const r2 = () => (s2 = (s2 * 16807) % 2147483647) / 2147483647;
    augmentInto(src, 0, 8, 8, 1, { shift: 0.2, flip: true, rotate: 20, crop: 0.2 }, r1, a, 0);
    augmentInto(src, 0, 8, 8, 1, { shift: 0.2, flip: true, rotate: 20, crop: 0.2 }, r2, b, 0);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(src));
  });
});

describe('image folders', () => {
  const root = join(work, 'shapes');
  beforeAll(() => shapesFolder(root));

  it('reads one sub-folder per class, PNG and JPEG of any size, split by seeded ratios', async () => {
    const p = await prepareImages(spec({ folder: root }), files);
    expect(p.classes).toEqual(['bar', 'circle', 'square']);
    expect(p.summary.inputShape).toEqual([16, 16, 3]);
    expect(p.summary.rows).toBe(36);
    expect(p.summary.split).toEqual({ train: 21, dev: 9, test: 6 });
    expect(p.summary.images?.examples.filter((e) => e.label === 'circle')).toHaveLength(8);
    // The red circle's centre is red at the model's size.
    const circle = p.train.labels.indexOf(1);
    const centre = circle * 16 * 16 * 3 + (8 * 16 + 8) * 3;
    expect(p.train.pixels[centre]! > 180 && p.train.pixels[centre + 2]! < 90).toBe(true);
    const standardized = await prepareImages(spec({ folder: root }, { scale: 'standardize' }), files);
    expect(standardized.image.mean).toHaveLength(3);
    expect(standardized.image.std.every((s) => s > 0)).toBe(true);
  });

  it('trains end to end on it, and the trained run predicts a new picture of each shape', async () => {
    await initBackend({ prefer: 'wasm', threads: 1 });
    const doc = DocumentSchema.parse({
      format: 'modelwright',
      schemaVersion: 2,
      graph: {
        nodes: [
          { id: 'in', type: 'Input', params: { shape: 'auto' } },
          { id: 'conv', type: 'Conv2D', params: { filters: 8, kernelSize: 3, padding: 'same' } },
          { id: 'pool', type: 'MaxPool2D', params: { poolSize: 2 } },
          { id: 'gap', type: 'GlobalAvgPool2D', params: {} },
          { id: 'out', type: 'Output', params: {} },
        ],
        edges: ['in>conv', 'conv>pool', 'pool>gap', 'gap>out'].map((e) => ({ id: e, source: e.split('>')[0], target: e.split('>')[1] })),
      },
      data: { source: { folder: root }, image: { size: [16, 16], color: 'rgb', augment: { shift: 0.05 } }, split: { ratios: [0.6, 0.2, 0.2], seed: 3 } },
      training: { epochs: 30, batchSize: 8, optimizer: { lr: 0.01 }, seed: 1 },
    });
    const runDir = join(work, 'shapes-run');
    // Only the granted folder is readable, as in the app.
    const granted = grantedFilePort(files, work, [root]);
    const done = await runDocument({
      runId: 'shapes',
      doc,
      backend: await initBackend({ prefer: 'wasm', threads: 1 }),
      files: granted,
      store: new FsRunStore(runDir),
      prepare: prepareTrainData,
      emit: () => undefined,
    });
    if (done.type !== 'done') throw new Error(done.message);
    expect(done.test?.accuracy ?? 0).toBeGreaterThanOrEqual(0.8);
    const loaded = await loadPredictor(fsRunReader(runDir));
    if (!loaded.ok) throw new Error(loaded.message);
    const fresh = Object.keys(SHAPES).map((shape) => ({ name: shape, bytes: png(picture(shape, 50, 30), 50, 30) }));
    const predicted = loaded.predictor.predictImages(fresh, 1).map((p) => p.top[0]!.label);
    expect(predicted).toEqual(Object.keys(SHAPES));
    expect(() => loaded.predictor.predictImages([{ name: 'junk.png', bytes: new Uint8Array([1, 2, 3]) }])).toThrow(/junk\.png: this is not a PNG or JPEG/);
    loaded.predictor.dispose();
    // Image models export to PyTorch, ONNX and tfjs (tests/unit/export/fidelity.test.ts and
    // imageProject.test.ts check their numbers); the PyTorch project reads pictures, not a vocabulary.
    const exported = await exportRunFolder({ runDir, format: 'pytorch', out: join(work, 'exported'), force: true, files });
    if (!exported.ok) throw new Error(exported.message);
    const names = exported.files.map((f) => f.slice(exported.path.length + 1)).sort();
    expect(names).toEqual([
      'README.md',
      'config.json',
      'data.py',
      'layers.py',
      'model.py',
      'predict.py',
      'train.py',
      'weights.bin',
      'weights.json',
      'weights.py',
    ]);
    const tfjs = await exportRunFolder({ runDir, format: 'tfjs', out: join(work, 'exported-tfjs'), force: true, files });
    expect(tfjs).toMatchObject({ ok: true });
  }, 300_000);

  it('reads train/val/test sub-folders as the split', async () => {
    const split = join(work, 'split');
    for (const part of ['train', 'val', 'test']) shapesFolder(join(split, part), part === 'train' ? 4 : 2);
    const p = await prepareImages(spec({ folder: split }), files);
    expect(p.summary.split).toEqual({ train: 12, dev: 6, test: 6 });
  });

  it('reads a CSV of image paths and labels, relative to its folder', async () => {
    const lines = ['path,label,split'];
    for (const shape of Object.keys(SHAPES))
      for (let i = 0; i < 6; i++) lines.push(`shapes/${shape}/${i}.${i % 2 ? 'jpg' : 'png'},${shape},${i < 4 ? 'train' : 'test'}`);
    writeFileSync(join(work, 'list.csv'), lines.join('\n') + '\n');
    const p = await prepareImages(
      DataSchema.parse({ source: { path: join(work, 'list.csv') }, label: 'label', split: { column: 'split' }, image: { size: [12, 12], pathColumn: 'path' } }),
      files,
    );
    expect(p.summary.split).toEqual({ train: 12, dev: 0, test: 6 });
    expect(p.summary.inputShape).toEqual([12, 12, 1]);
    // Colour pictures read as grayscale: converted, and said so.
    expect(p.summary.images?.converted?.count).toBe(18);
    writeFileSync(join(work, 'missing.csv'), 'path,label\nshapes/circle/0.png,a\nnope.png,b\n');
    const e = await dataError(
      prepareImages(DataSchema.parse({ source: { path: join(work, 'missing.csv') }, label: 'label', image: { pathColumn: 'path' } }), files),
    );
    expect(e.message).toMatch(/missing\.csv, line 3: .*nope\.png/);
  });
});

describe('bad image folders', () => {
  it('names the folder with no pictures, the empty class folder, the damaged picture; mixed colour is converted and said', async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    expect((await dataError(prepareImages(spec({ folder: empty }), files))).message).toMatch(/empty: the folder holds no pictures and no class folders/);

    const flat = join(work, 'flat');
    mkdirSync(flat);
    writeFileSync(join(flat, 'a.png'), png(picture('bar', 8, 8), 8, 8));
    expect((await dataError(prepareImages(spec({ folder: flat }), files))).message).toMatch(/the pictures are in the folder itself/);

    const hollow = join(work, 'hollow');
    mkdirSync(join(hollow, 'cat'), { recursive: true });
    mkdirSync(join(hollow, 'dog'));
    writeFileSync(join(hollow, 'cat', '1.png'), png(picture('bar', 8, 8), 8, 8));
    writeFileSync(join(hollow, 'dog', 'readme.txt'), 'no pictures here');
    expect((await dataError(prepareImages(spec({ folder: hollow }), files))).message).toMatch(
      /hollow\/dog: the class folder "dog" is empty: it holds no PNG or JPEG picture \(only 1 other file\)/,
    );

    const damaged = join(work, 'damaged');
    shapesFolder(damaged, 3);
    writeFileSync(join(damaged, 'bar', 'broken.png'), png(picture('bar', 20, 20), 20, 20).subarray(0, 70));
    writeFileSync(join(damaged, 'circle', 'fake.jpg'), 'not a jpeg at all');
    const e = await dataError(prepareImages(spec({ folder: damaged }), files));
    expect(e.message).toMatch(/bar\/broken\.png: the PNG image cannot be decoded/);

    const mixed = join(work, 'mixed');
    shapesFolder(mixed, 3);
    writeFileSync(join(mixed, 'bar', 'gray.png'), png(picture('bar', 20, 20), 20, 20, 0));
    writeFileSync(join(mixed, 'bar', 'notes.txt'), 'skipped');
    const p = await prepareImages(spec({ folder: mixed }), files);
    expect(p.summary.images?.converted).toEqual({ count: 1, to: 'rgb', files: ['bar/gray.png'] });
    expect(p.summary.images?.skipped).toEqual({ count: 1, files: ['bar/notes.txt'] });
  });

  it('asks for the folder (and a CSV of pictures, for its folder too) before reading it', () => {
    const doc = (data: Record<string, unknown>) => DocumentSchema.parse({ format: 'modelwright', schemaVersion: 2, graph: { nodes: [], edges: [] }, data });
    expect(documentFileRefs(doc({ source: { folder: 'pics' } }))).toEqual([{ path: 'pics', role: 'data', folder: true }]);
    expect(documentFileRefs(doc({ source: { path: 'sets/list.csv' }, image: { pathColumn: 'path' } }))).toEqual([
      { path: 'sets/list.csv', role: 'data' },
      { path: 'sets', role: 'data', folder: true },
    ]);
    expect(documentFileRefs(doc({ source: { builtin: 'digits' } }))).toEqual([]);
    expect(describeFileRef({ path: 'pics', role: 'data', folder: true })).toBe('the image folder pics');
  });

  it('reads nothing outside what was granted', async () => {
    const root = join(work, 'private');
    shapesFolder(root, 2);
    const port = grantedFilePort(files, work, [join(work, 'shapes')]);
    await expect(prepareImages(spec({ folder: root }), port)).rejects.toThrow(/not granted/);
  });
});
