import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../engine/backend';
import { BENCH_MODELS, buildTfjsModel, makeBatch } from '../../../../engine/host/bench/models';
import { profileSteps } from '../../../../engine/host/bench/profile';

beforeAll(async () => {
  await initBackend({ prefer: 'cpu' });
});

describe("the bench's 2D rows, built from block graphs by the compiler", () => {
  it('digits LeNet has LeNet-5’s layers and 61,706 weights (the PyTorch twin’s count)', () => {
    const spec = BENCH_MODELS.find((m) => m.name === 'digits-lenet')!;
    const model = buildTfjsModel(spec);
    expect(model.countParams()).toBe(61_706);
    expect(model.layers.map((l) => l.getClassName())).toEqual([
      'InputLayer',
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'MaxPooling2D',
      'Flatten',
      'Dense',
      'Dense',
      'Dense',
    ]);
    expect(model.outputs[0]!.shape).toEqual([null, 10]);
    model.dispose();
  });

  it('the residual 2D CNN adds the stem to the convolved branch and pools globally', () => {
    const spec = BENCH_MODELS.find((m) => m.name === 'digits-resnet')!;
    const model = buildTfjsModel(spec);
    const classes = model.layers.map((l) => l.getClassName());
    expect(classes).toContain('Add');
    expect(classes.filter((c) => c === 'BatchNormalization')).toHaveLength(2);
    expect(classes).toContain('GlobalAveragePooling2D');
    // Trainable weights as PyTorch counts them: convs 160 + 2,320 + 544, BatchNorm 2 × 32, dense 330.
    expect(model.trainableWeights.reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0)).toBe(160 + 2320 + 544 + 64 + 330);
    model.dispose();
  });

  it('makes an image batch of the input shape', () => {
    const spec = BENCH_MODELS.find((m) => m.name === 'digits-lenet')!;
    const { x, y } = makeBatch(spec, 4, 1);
    expect(x.shape).toEqual([4, 28, 28, 1]);
    expect(y.shape).toEqual([4, 10]);
    tf.dispose([x, y]);
  });
});

describe('the per-kernel profile', () => {
  it('times each kernel by name and puts the rest in bookkeeping and outside, restoring the kernels after', async () => {
    const a = tf.randomNormal([64, 64]);
    const before = tf.getKernelsForBackend('cpu').find((k) => k.kernelName === 'BatchMatMul')!.kernelFunc;
    const p = await profileSteps('cpu', 3, async () => {
      const y = tf.tidy(() => tf.sum(tf.relu(tf.matMul(a, a))));
      await y.data();
      y.dispose();
    });
    const names = p.kernels.map((k) => k.name);
    expect(names).toContain('BatchMatMul');
    expect(names).toContain('Relu');
    expect(p.kernels.find((k) => k.name === 'BatchMatMul')!.calls).toBe(1);
    const kernelMs = p.kernels.reduce((s, k) => s + k.ms, 0);
    expect(kernelMs + p.bookkeepingMs + p.outsideMs).toBeCloseTo(p.stepMs, 6);
    expect(tf.getKernelsForBackend('cpu').find((k) => k.kernelName === 'BatchMatMul')!.kernelFunc).toBe(before);
    a.dispose();
  });
});
