/**
 * The learning-rate finder on a tiny dataset made here: one point per batch at exponentially
 * rising rates, a stop when the loss explodes, a suggestion inside the range where the loss
 * falls, no tensors left behind, and the Document untouched.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../../engine/graph/load';
import type { FilePort } from '../../../engine/ports';
import { prepareTrainData } from '../../../engine/train/data';
import { analyseCurve, findLearningRateForDocument, lrAt, type LrFinderResult } from '../../../engine/train/lrFinder';
import { mulberry32 } from '../../../engine/data/prng';
import { tinyDocument } from '../host/fixtures';
import { useCpu } from './synthetic';

beforeAll(useCpu);

/**
 * Names starting with "a" (East) or "z" (West), a fifth of the labels flipped: learnable, but never
 * to a loss near 0, so a rate far too high shows as an explosion (a clean separable set lets even
 * lr 10 drive the loss to 0).
 */
function noisyCsv(rows = 320): string {
  const rand = mulberry32(23);
  const letters = 'bcdfghklmnoprstuv';
  const lines = ['surname,country'];
  for (let i = 0; i < rows; i++) {
    const west = i % 2 === 0;
    let name = west ? 'z' : 'a';
    for (let j = 0; j < 3 + Math.floor(rand() * 4); j++) name += letters[Math.floor(rand() * letters.length)];
    const label = rand() < 0.2 ? !west : west;
    lines.push(`${name},${label ? 'West' : 'East'}`);
  }
  return lines.join('\n') + '\n';
}

const files: FilePort = {
  async readFile(path) {
    if (path === 'noisy.csv') return new TextEncoder().encode(noisyCsv());
    throw new Error(`Cannot read ${path}: no such file`);
  },
  async readAsset() {
    throw new Error('no assets in this test');
  },
};

/** The least-squares slope of loss against log10(lr) over the raw points within ±half a decade of `lr`. */
function localSlope(result: LrFinderResult, lr: number): number {
  const near = result.points.filter((p) => Number.isFinite(p.loss) && Math.abs(Math.log10(p.lr) - Math.log10(lr)) <= 0.5);
  const xs = near.map((p) => Math.log10(p.lr));
  const ys = near.map((p) => p.loss);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i]! - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

describe('findLearningRateForDocument', () => {
  let result: LrFinderResult;
  let text: string;
  let tensorsBefore: number;
  let tensorsAfter: number;
  const seen: number[] = [];

  beforeAll(async () => {
    text = tinyDocument({
      dataPath: 'noisy.csv',
      lr: 0.05,
      graph: {
        nodes: [
          { id: 'chars', type: 'Input', params: { shape: 'auto', dtype: 'float32' } },
          { id: 'flat', type: 'Flatten', params: {} },
          { id: 'hidden', type: 'Dense', params: { units: 16, activation: 'relu' } },
          { id: 'out', type: 'Output', params: { units: 'auto', activation: 'softmax' } },
        ],
        edges: [
          { id: 'e1', source: 'chars', target: 'flat' },
          { id: 'e2', source: 'flat', target: 'hidden' },
          { id: 'e3', source: 'hidden', target: 'out' },
        ],
      },
    });
    const parsed = parseDocument(text);
    if (!parsed.ok) throw new Error(parsed.error);
    const doc = parsed.doc;
    const before = structuredClone(doc);
    tensorsBefore = tf.memory().numTensors;
    const outcome = await findLearningRateForDocument({ doc, files, prepare: prepareTrainData, steps: 120, onPoint: (p) => seen.push(p.step) });
    tensorsAfter = tf.memory().numTensors;
    if (!outcome.ok) throw new Error(outcome.message);
    result = outcome.result;
    expect(doc).toEqual(before);
  }, 60_000);

  it('has one point per batch, at rates rising exponentially from minLr', () => {
    expect(result.points.length).toBeGreaterThan(20);
    expect(result.points.map((p) => p.step)).toEqual(result.points.map((_, i) => i + 1));
    expect(seen).toEqual(result.points.map((p) => p.step));
    result.points.forEach((p, i) => expect(p.lr).toBeCloseTo(lrAt(i, 120, 1e-7, 10), 12));
    expect(result.points[0]!.lr).toBe(1e-7);
  });

  it('stops once the loss explodes, before the last planned batch', () => {
    expect(result.stoppedBy).toBe('diverged');
    expect(result.points.length).toBeLessThan(120);
    const last = result.points.at(-1)!;
    expect(!Number.isFinite(last.loss) || last.loss > 2 * result.minimum!.smoothed).toBe(true);
  });

  it('suggests a rate inside the range where the loss falls', () => {
    const { suggested, steepest, minimum, falling } = result;
    expect(suggested).not.toBeNull();
    const rule = Math.max(falling!.from, Math.min(steepest!.lr, minimum!.lr / 10));
    expect(Math.abs(suggested! / rule - 1)).toBeLessThan(0.05);
    expect(suggested).toBe(Number(suggested!.toPrecision(2)));
    expect(suggested!).toBeLessThan(minimum!.lr);
    expect(falling!.from).toBeLessThanOrEqual(suggested!);
    expect(falling!.to).toBeGreaterThanOrEqual(suggested!);
    // Read from the raw batches, not from the finder's own smoothing: around the suggestion the
    // loss falls as the rate rises, and it is well below where it started.
    expect(localSlope(result, suggested!)).toBeLessThan(0);
    const start = result.points.slice(0, 10).reduce((s, p) => s + p.loss, 0) / 10;
    expect(steepest!.smoothed).toBeLessThan(start);
    const at = result.points.reduce((a, b) => (Math.abs(Math.log10(b.lr / suggested!)) < Math.abs(Math.log10(a.lr / suggested!)) ? b : a));
    expect(at.smoothed).toBeLessThan(result.points[0]!.smoothed);
    expect(minimum!.smoothed).toBeLessThan(0.8 * start);
  });

  it('leaves no tensors behind', () => {
    expect(tensorsAfter).toBe(tensorsBefore);
  });
});

describe('analyseCurve', () => {
  it('finds the steepest fall before the minimum of a made-up curve, and the run of falling points', () => {
    const steps = 100;
    const raw = Array.from({ length: 80 }, (_, i) => {
      const lr = lrAt(i, steps, 1e-6, 10);
      const x = Math.log10(lr);
      // Flat at 2 until 1e-4, falling to 0.5 around 1e-2 (steepest near 1e-3), then climbing.
      const loss = x < 0 ? 0.5 + 1.5 / (1 + Math.exp(3 * (x + 3))) : 0.5 + 3 * x * x;
      return { step: i + 1, lr, loss };
    });
    const r = analyseCurve(raw, steps);
    expect(r.points).toHaveLength(80);
    expect(Math.log10(r.steepest!.lr)).toBeCloseTo(-3, 0);
    // A tenth of the minimum's rate is below the steepest point here, and still on the fall.
    const rule = Math.max(r.falling!.from, Math.min(r.steepest!.lr, r.minimum!.lr / 10));
    expect(Math.abs(r.suggested! / rule - 1)).toBeLessThan(0.05);
    expect(Math.log10(r.minimum!.lr)).toBeGreaterThan(-1.2);
    expect(r.falling!.from).toBeLessThan(r.suggested!);
    expect(r.falling!.to).toBeGreaterThan(r.suggested!);
  });

  it('suggests nothing when the loss never falls', () => {
    const raw = Array.from({ length: 40 }, (_, i) => ({ step: i + 1, lr: lrAt(i, 40, 1e-6, 10), loss: 1 + i * 0.1 }));
    expect(analyseCurve(raw, 40).suggested).toBeNull();
  });
});
