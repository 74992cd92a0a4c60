import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareFromText } from '../../../../engine/data';
import { DocumentSchema } from '../../../../engine/graph/document';
import { parseDocument } from '../../../../engine/graph/load';
import { exportEncoded, withoutEarlyStopping, type EncodedMeta } from '../../../../engine/host/bench/wholeRun';
import { READ_ENCODED_PY } from '../../../../engine/host/bench/wholeRunScript';
import { trainDataFrom } from '../../../../engine/train/data';
import type { SplitName, TrainData } from '../../../../engine/train/trainData';
import { tinyCsv } from '../fixtures';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SPLITS: SplitName[] = ['train', 'dev', 'test'];

function tinyData(encoding: 'onehot' | 'index'): TrainData {
  const spec = DocumentSchema.shape.data.parse({
    source: { path: 'tiny.csv' },
    text: 'surname',
    label: 'country',
    tokenizer: 'char',
    encoding,
    split: { ratios: [0.6, 0.2, 0.2], seed: 1 },
  });
  return trainDataFrom(prepareFromText(tinyCsv(50), 'tiny.csv', spec));
}

/** Every row of `split` as the engine encodes it, and its labels as class indices. */
function expected(data: TrainData, split: SplitName): { x: number[]; labels: number[] } {
  const n = data.size(split);
  const { x, y } = data.fill(
    split,
    Array.from({ length: n }, (_, i) => i),
  );
  const c = data.numClasses;
  const labels = Array.from({ length: n }, (_, r) => {
    const row = Array.from(y.subarray(r * c, (r + 1) * c));
    return row.indexOf(1);
  });
  return { x: Array.from(x), labels };
}

function hasNumpy(): boolean {
  return spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
}

describe('whole-run data export', () => {
  for (const encoding of ['onehot', 'index'] as const) {
    it(`writes every split of ${encoding} data as little-endian rows and labels, in chunks`, () => {
      const data = tinyData(encoding);
      const dir = mkdtempSync(join(tmpdir(), 'mw-export-'));
      // A chunk of 7 rows, so splits of 30/10/10 rows end mid-chunk.
      const meta = exportEncoded(data, dir, 7);
      expect(JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'))).toEqual(meta);
      expect(meta.inputShape).toEqual([...data.inputShape]);
      expect(meta.inputDtype).toBe(encoding === 'onehot' ? 'float32' : 'int32');
      expect(meta.splits).toEqual({ train: 30, dev: 10, test: 10 });
      for (const split of SPLITS) {
        const want = expected(data, split);
        const xb = readFileSync(join(dir, `${split}_x.bin`));
        const yb = readFileSync(join(dir, `${split}_y.bin`));
        expect(xb.length).toBe(want.x.length * 4);
        const x = Array.from({ length: want.x.length }, (_, i) => (encoding === 'onehot' ? xb.readFloatLE(i * 4) : xb.readInt32LE(i * 4)));
        expect(x).toEqual(want.x);
        expect(Array.from({ length: yb.length / 4 }, (_, i) => yb.readInt32LE(i * 4))).toEqual(want.labels);
        expect(want.labels.every((l) => l >= 0)).toBe(true);
      }
    });
  }

  it.skipIf(!hasNumpy())('is read back by the Python reader (numpy.fromfile) to the same shapes, values and labels', () => {
    for (const encoding of ['onehot', 'index'] as const) {
      const data = tinyData(encoding);
      const dir = mkdtempSync(join(tmpdir(), 'mw-export-py-'));
      exportEncoded(data, dir);
      const script = `${READ_ENCODED_PY}
import sys
meta, arrays = load(sys.argv[1])
print(json.dumps({s: {"shape": list(x.shape), "dtype": str(x.dtype), "x": x.reshape(-1).tolist(), "y": y.tolist()} for s, (x, y) in arrays.items()}))
`;
      const r = spawnSync('python3', ['-c', script, dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
      expect(r.stderr).toBe('');
      const got = JSON.parse(r.stdout) as Record<SplitName, { shape: number[]; dtype: string; x: number[]; y: number[] }>;
      for (const split of SPLITS) {
        const want = expected(data, split);
        expect(got[split].shape).toEqual([data.size(split), ...data.inputShape]);
        expect(got[split].dtype).toBe(encoding === 'onehot' ? 'float32' : 'int32');
        expect(got[split].x).toEqual(want.x);
        expect(got[split].y).toEqual(want.labels);
      }
    }
  });

  it.skipIf(!hasNumpy())('the Python reader refuses files that do not match meta.json', () => {
    const data = tinyData('onehot');
    const dir = mkdtempSync(join(tmpdir(), 'mw-export-bad-'));
    const meta: EncodedMeta = exportEncoded(data, dir);
    const r = spawnSync('python3', ['-c', `${READ_ENCODED_PY}\nimport sys\nload(sys.argv[1])`, dir], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    // Claim one more train row than was written.
    const bad = { ...meta, splits: { ...meta.splits, train: meta.splits.train + 1 } };
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(bad));
    const r2 = spawnSync('python3', ['-c', `${READ_ENCODED_PY}\nimport sys\nload(sys.argv[1])`, dir], { encoding: 'utf8' });
    expect(r2.status).not.toBe(0);
    expect(r2.stderr).toMatch(/train: expected 31 rows/);
  });
});

describe('whole-run document', () => {
  it('takes early stopping out of the surname CNN template and keeps everything else', () => {
    const text = readFileSync(join(ROOT, 'assets', 'examples', 'surname-cnn.json'), 'utf8');
    const before = parseDocument(text);
    const after = parseDocument(withoutEarlyStopping(text));
    if (!before.ok || !after.ok) throw new Error('the template does not load');
    expect(before.doc.training.earlyStopping).toBeDefined();
    expect(after.doc.training.earlyStopping).toBeUndefined();
    const { earlyStopping: _dropped, ...rest } = before.doc.training;
    expect(after.doc.training).toEqual(rest);
    expect(after.doc.data).toEqual(before.doc.data);
    expect(after.doc.graph).toEqual(before.doc.graph);
  });
});
