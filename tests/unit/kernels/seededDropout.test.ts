// A seeded Dropout draws a new mask every training step, the same sequence for the same seed,
// on cpu (tf.dropout with a seed from the layer's generator) and on wasm (our one-op path).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../engine/backend';
import { dropoutStepper, fusedDropoutCalls } from '../../../engine/kernels/seededDropout';

beforeAll(async () => {
  const info = await initBackend({ prefer: 'wasm' });
  expect(info.name).toBe('wasm');
});

/** Three training calls' outputs (and, for the last, the input gradient) of a fresh layer. */
function masks(seed: number | undefined, shape: number[]): { outs: number[][]; grad: number[]; last: number[] } {
  const layer = tfl.layers.dropout({ rate: 0.4, seed });
  const x = tf.ones(shape);
  const outs = [0, 1, 2].map(() => tf.tidy(() => Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync())));
  const grad = tf.tidy(() => {
    const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx, { training: true }) as tf.Tensor, 3)))(x);
    return Array.from(g.dataSync());
  });
  // The gradient's call drew a fourth mask; a fifth forward shows the generator moved on again.
  const last = tf.tidy(() => Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync()));
  x.dispose();
  return { outs, grad, last };
}

describe('Dropout with a seed: a new mask each training step, reproducibly', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`on ${backend}: masks differ between steps, repeat for the same seed, keep ~60% scaled by 1/0.6`, async () => {
      await tf.setBackend(backend);
      const before = fusedDropoutCalls();
      const leaks = tf.memory().numTensors;
      const a = masks(1234, [64, 128]);
      const b = masks(1234, [64, 128]);
      const c = masks(99, [64, 128]);
      expect(tf.memory().numTensors).toBe(leaks);
      if (backend === 'wasm') expect(fusedDropoutCalls()).toBeGreaterThan(before);
      else expect(fusedDropoutCalls()).toBe(before);
      // Each step its own mask; the same sequence again from the same seed; another from another.
      expect(a.outs[0]).not.toEqual(a.outs[1]);
      expect(a.outs[1]).not.toEqual(a.outs[2]);
      expect(a.outs).toEqual(b.outs);
      expect(a.outs[0]).not.toEqual(c.outs[0]);
      for (const out of a.outs) {
        const kept = out.filter((v) => v !== 0);
        expect(kept.length / out.length).toBeGreaterThan(0.55);
        expect(kept.length / out.length).toBeLessThan(0.65);
        for (const v of kept) expect(v).toBeCloseTo(1 / 0.6, 5);
      }
      // The gradient is the mask of its own forward, times the upstream 3.
      const kept = a.grad.filter((v) => v !== 0);
      expect(kept.length / a.grad.length).toBeGreaterThan(0.55);
      for (const v of kept) expect(v).toBeCloseTo(3 / 0.6, 4);
      expect(a.last).not.toEqual(a.outs[2]);
      await tf.setBackend('wasm');
    });
  }

  it("draws the same masks on wasm and cpu, and a layer told its step draws that step's mask (a resumed run)", async () => {
    const seq = async (backend: 'wasm' | 'cpu'): Promise<number[][]> => {
      await tf.setBackend(backend);
      const input = tfl.input({ shape: [40] });
      const model = tfl.model({ inputs: input, outputs: tfl.layers.dropout({ rate: 0.3, seed: 5 }).apply(input) as tfl.SymbolicTensor });
      const x = tf.ones([3, 40]);
      const out: number[][] = [];
      for (const step of [0, 1, 2, 7]) {
        if (step === 7) dropoutStepper(model)(7);
        out.push(tf.tidy(() => Array.from((model.apply(x, { training: true }) as tf.Tensor).dataSync())));
      }
      // Back at step 1 from a fresh start: the second mask again.
      dropoutStepper(model)(1);
      out.push(tf.tidy(() => Array.from((model.apply(x, { training: true }) as tf.Tensor).dataSync())));
      x.dispose();
      model.dispose();
      return out;
    };
    const w = await seq('wasm');
    const c = await seq('cpu');
    await tf.setBackend('wasm');
    expect(w).toEqual(c);
    expect(w[4]).toEqual(w[1]);
    expect(new Set(w.slice(0, 4).map((m) => m.join())).size).toBe(4);
  });

  // The wasm mask is drawn four values at a time (kernels.c dropout_mask); the cpu one by the
  // JavaScript generator. Sizes that leave 1–3 values after the fours, rates whose cut is not a
  // whole number, seeds whose start is negative as an int32.
  for (const [rate, seed, width] of [
    [0.1, 1, 41],
    [0.5, -123456789, 42],
    [1 / 3, 2 ** 31 - 1, 43],
    [0.9, 77, 4],
  ] as const) {
    it(`draws the same mask on wasm and cpu for rate ${rate.toFixed(3)}, seed ${seed}, ${3 * width} values`, async () => {
      const draw = async (backend: 'wasm' | 'cpu'): Promise<number[]> => {
        await tf.setBackend(backend);
        const layer = tfl.layers.dropout({ rate, seed });
        const out = tf.tidy(() => Array.from((layer.apply(tf.ones([3, width]), { training: true }) as tf.Tensor).dataSync()));
        layer.dispose();
        return out;
      };
      const w = await draw('wasm');
      const c = await draw('cpu');
      await tf.setBackend('wasm');
      expect(w).toEqual(c);
      expect(new Set(w).size).toBe(2);
    });
  }

  it('keeps SpatialDropout1D (a Dropout subclass) dropping whole channels', async () => {
    await tf.setBackend('wasm');
    const layer = tfl.layers.spatialDropout1d({ rate: 0.5, seed: 3 });
    const y = tf.tidy(() => (layer.apply(tf.ones([4, 6, 8]), { training: true }) as tf.Tensor).arraySync() as number[][][]);
    // Each example's channel is kept or dropped at every step of the sequence alike.
    for (const example of y) for (let c = 0; c < 8; c++) expect(new Set(example.map((row) => row[c])).size).toBe(1);
    expect(new Set(y.flat(2)).size).toBe(2);
  });

  it('does nothing outside training, and on wasm its gradient is the forward mask exactly', async () => {
    await tf.setBackend('wasm');
    const layer = tfl.layers.dropout({ rate: 0.5, seed: 7 });
    const x = tf.tensor2d([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    expect(Array.from((layer.apply(x, { training: false }) as tf.Tensor).dataSync())).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Forward and backward in one call: y = x·m and dx = m (upstream 1), so y = x·dx.
    let y: number[] = [];
    const g = tf.tidy(() => {
      const dx = tf.grad((xx: tf.Tensor) => {
        const out = layer.apply(xx, { training: true }) as tf.Tensor;
        y = Array.from(out.dataSync());
        return tf.sum(out);
      })(x);
      return Array.from(dx.dataSync());
    });
    const xs = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(y).toEqual(xs.map((v, i) => v * g[i]!));
    x.dispose();
  });
});
