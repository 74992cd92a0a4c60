// Weight decay and clipping act on the gradients before applyGradients, so the fused Adam of
// the wasm backend (engine/kernels/wasm/fusedAdam.ts) trains exactly as tfjs's own Adam on cpu.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../engine/backend';
import { trainLoop } from '../../../engine/train/loop';
import { blobs, trainingSpec } from './synthetic';

/** Dense 8 relu → Dense 3 softmax, seeded, without dropout so two backends see the same steps. */
function model(): tfl.LayersModel {
  const input = tfl.input({ shape: [4] });
  const h = tfl.layers.dense({ units: 8, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 5 }) }).apply(input);
  const out = tfl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 6 }) }).apply(h);
  return tfl.model({ inputs: input, outputs: out as tfl.SymbolicTensor });
}

async function trained(backend: 'cpu' | 'wasm', overrides: Record<string, unknown>): Promise<Float32Array> {
  await tf.setBackend(backend);
  const m = model();
  await trainLoop({
    runId: 'f',
    runDir: '/tmp/f',
    model: m,
    data: blobs({ train: 96, dev: 16, test: 16 }),
    training: trainingSpec({ optimizer: { type: 'adam', lr: 0.05 }, ...overrides }),
    epochs: 2,
    emit: () => {},
  });
  const w = Float32Array.from(m.trainableWeights.flatMap((v) => Array.from(v.read().dataSync())));
  m.dispose();
  return w;
}

beforeAll(async () => {
  const info = await initBackend({ prefer: 'wasm' });
  expect(info.customKernels).toContain('Adam (fused)');
});

describe('weight decay and clipping with the fused Adam', () => {
  it('train the same on wasm (fused Adam) as on cpu (tfjs Adam), and differently from neither', async () => {
    const settings = { weightDecay: 0.05, clipNorm: 0.5 };
    const cpu = await trained('cpu', settings);
    const wasm = await trained('wasm', settings);
    for (let i = 0; i < cpu.length; i++) expect(wasm[i]).toBeCloseTo(cpu[i]!, 4);
    const plain = await trained('wasm', {});
    const diff = Math.max(...plain.map((v, i) => Math.abs(v - wasm[i]!)));
    expect(diff).toBeGreaterThan(1e-3);
  });
});
