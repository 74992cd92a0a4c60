/** A Dense block's l2 param really penalises its kernel: the same seeded run ends with a smaller kernel. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import type { BackendInfo } from '../../../engine/api';
import { parseDocument } from '../../../engine/graph/load';
import { FsRunStore } from '../../../engine/host/fsRunStore';
import { prepareTrainData } from '../../../engine/train/data';
import { runDocument } from '../../../engine/train/run';
import { decodeSaved } from '../../../engine/train/weights';
import { tinyCsv, tinyDocument } from '../host/fixtures';
import { useCpu } from './synthetic';

const backend: BackendInfo = { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', reason: 'test', customKernels: [] };
beforeAll(useCpu);

async function kernelNorm(l2: number): Promise<{ norm: number; firstLoss: number }> {
  const raw = JSON.parse(tinyDocument({ dataPath: 'tiny.csv', epochs: 3 })) as { graph: unknown };
  raw.graph = {
    nodes: [
      { id: 'chars', type: 'Input', params: {} },
      { id: 'flat', type: 'Flatten', params: {} },
      { id: 'hidden', type: 'Dense', params: { units: 8, activation: 'relu', l2 } },
      { id: 'out', type: 'Output', params: {} },
    ],
    edges: [
      { id: 'e1', source: 'chars', target: 'flat' },
      { id: 'e2', source: 'flat', target: 'hidden' },
      { id: 'e3', source: 'hidden', target: 'out' },
    ],
  };
  const parsed = parseDocument(JSON.stringify(raw));
  if (!parsed.ok) throw new Error(parsed.error);
  const runDir = join(mkdtempSync(join(tmpdir(), 'mw-l2-')), 'run');
  let firstLoss = Number.NaN;
  await runDocument({
    runId: 'r',
    doc: parsed.doc,
    backend,
    files: { readFile: async () => new TextEncoder().encode(tinyCsv()), readAsset: async () => new Uint8Array() },
    store: new FsRunStore(runDir),
    prepare: prepareTrainData,
    emit: (e) => {
      if (e.type === 'batch' && Number.isNaN(firstLoss)) firstLoss = e.loss;
    },
  });
  const model = JSON.parse(readFileSync(join(runDir, 'final.json'), 'utf8')) as {
    weightsManifest: { weights: { name: string; shape: number[]; dtype: string }[] }[];
  };
  const bin = readFileSync(join(runDir, 'final.weights.bin'));
  const named = decodeSaved({
    modelTopology: null,
    weightSpecs: model.weightsManifest[0]!.weights,
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer,
  });
  const kernel = named.find((n) => n.name.includes('hidden') && n.name.endsWith('kernel'))!;
  const norm = tf.tidy(() => tf.sum(tf.square(kernel.tensor)).dataSync()[0]!);
  tf.dispose(named.map((n) => n.tensor));
  return { norm, firstLoss };
}

it('trains a smaller kernel with l2, and counts the penalty in the loss it reports', async () => {
  const plain = await kernelNorm(0);
  const penalised = await kernelNorm(0.05);
  expect(penalised.norm).toBeLessThan(plain.norm * 0.8);
  // The first batch's loss is the same data loss plus 0.05 · Σw² of the initial kernel.
  expect(penalised.firstLoss).toBeGreaterThan(plain.firstLoss);
});
