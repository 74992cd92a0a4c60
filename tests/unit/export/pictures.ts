/**
 * What the tests of image models' PyTorch projects share: data.py's splits read in Python, and the
 * check that they are the app's (the same files, labels and order; PNG pixels equal, a JPEG's
 * within JPEG_TOLERANCE levels, as jpeg-js and libjpeg decode a little differently).
 */
import { expect } from 'vitest';
import type { PreparedImages } from '../../../engine/data/imageDataset';
import { maxAbsDiff, runPython } from './harness';

/**
 * The most a JPEG's decoded and resized byte may differ between jpeg-js (the app) and libjpeg
 * (Pillow, with the app's chroma upsampling): their inverse DCTs round differently (measured at
 * most 3 levels over 4:4:4 and 4:2:0 pictures, 2–3 % of bytes by more than 1; see docs/export.md).
 */
export const JPEG_TOLERANCE = 3;

export interface PythonSplit {
  files: string[];
  labels: number[];
  /** Base64 of the split's uint8 pixels, back to back. */
  pixels: string;
}

const SPLITS_SCRIPT = `import base64, json, sys, data
s = data.load_splits(sys.argv[1] if len(sys.argv) > 1 else None)
print(json.dumps({k: {"files": v["files"], "labels": v["labels"].tolist(), "pixels": base64.b64encode(v["pixels"].numpy().tobytes()).decode()} for k, v in s.items()}))`;

/** data.py's splits of `source` (the project's own data when none). */
export function pythonSplits(dir: string, source?: string): Record<'train' | 'dev' | 'test', PythonSplit> {
  return JSON.parse(runPython(['-c', SPLITS_SCRIPT, ...(source ? [source] : [])], dir)) as Record<'train' | 'dev' | 'test', PythonSplit>;
}

/** Checks data.py's splits against the app's: the same files, labels and order, PNG pixels equal, JPEG ones close; the JPEG's largest difference. */
export function expectSameSplits(python: Record<'train' | 'dev' | 'test', PythonSplit>, app: PreparedImages): number {
  const cell = app.image.height * app.image.width * app.image.channels;
  let jpeg = 0;
  for (const split of ['train', 'dev', 'test'] as const) {
    const a = app[split];
    const p = python[split];
    expect(p.files, split).toEqual(a.files);
    expect(p.labels, split).toEqual(Array.from(a.labels));
    const bytes = Buffer.from(p.pixels, 'base64');
    expect(bytes.length, split).toBe(a.pixels.length);
    a.files.forEach((file, j) => {
      const mine = bytes.subarray(j * cell, (j + 1) * cell);
      const theirs = a.pixels.subarray(j * cell, (j + 1) * cell);
      if (/\.jpe?g$/i.test(file)) {
        jpeg = Math.max(jpeg, maxAbsDiff(mine, theirs));
        expect(maxAbsDiff(mine, theirs), file).toBeLessThanOrEqual(JPEG_TOLERANCE);
      } else expect(Buffer.compare(mine, theirs), `${file}: its pixels differ from the app's`).toBe(0);
    });
  }
  return jpeg;
}
