/**
 * Prediction from a run folder written by a real run: the same probabilities the trained model
 * gives, texts with characters never seen in training still predict, and a folder that is not a
 * run, comes from a newer version, lacks its weights or whose weights do not fit gets a message.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo } from '../../../engine/api';
import { parseDocument } from '../../../engine/graph/load';
import { FsRunStore } from '../../../engine/host/fsRunStore';
import { fsRunReader } from '../../../engine/host/runFolder';
import type { FilePort } from '../../../engine/ports';
import { prepareTrainData } from '../../../engine/train/data';
import { loadPredictor } from '../../../engine/train/predict';
import { runDocument } from '../../../engine/train/run';
import { tinyCsv, tinyDocument } from '../host/fixtures';
import { useCpu } from './synthetic';

const backend: BackendInfo = { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', reason: 'test', customKernels: [] };
const files: FilePort = {
  readFile: async () => new TextEncoder().encode(tinyCsv()),
  readAsset: async () => {
    throw new Error('no assets here');
  },
};

let runDir = '';
beforeAll(async () => {
  await useCpu();
  runDir = join(mkdtempSync(join(tmpdir(), 'mw-predict-')), 'run');
  const parsed = parseDocument(tinyDocument({ dataPath: 'tiny.csv', epochs: 3 }));
  if (!parsed.ok) throw new Error(parsed.error);
  const last = await runDocument({
    runId: 'r',
    doc: parsed.doc,
    backend,
    files,
    store: new FsRunStore(runDir),
    prepare: prepareTrainData,
    emit: () => undefined,
  });
  expect(last.type).toBe('done');
});

describe('loadPredictor', () => {
  it('predicts with the trained model: one probability per class, summing to 1, unseen characters included', async () => {
    const loaded = await loadPredictor(fsRunReader(runDir));
    if (!loaded.ok) throw new Error(loaded.message);
    const { predictor } = loaded;
    const before = tf.memory().numTensors;
    const [west, east, odd] = predictor.predict(['zork', 'abel', 'Ωmega—ß'], 2);
    expect(tf.memory().numTensors).toBe(before);
    expect(west!.top[0]!.label).toBe('West');
    expect(east!.top[0]!.label).toBe('East');
    for (const p of [west!, east!, odd!]) {
      expect(p.top).toHaveLength(2);
      expect(Object.keys(p.probs).sort()).toEqual(['East', 'West']);
      expect(p.probs.East! + p.probs.West!).toBeCloseTo(1, 5);
    }
    // The same numbers as the model itself on the encoded input.
    const { x, shape, dtype } = predictor.encode(['zork']);
    const direct = tf.tidy(() => (predictor.model.predict(tf.tensor(x, shape, dtype)) as tf.Tensor).dataSync());
    expect(west!.probs.West).toBeCloseTo(direct[predictor.preprocessing.classes.indexOf('West')]!, 6);
    predictor.dispose();
  });

  it('refuses a folder that is not a run, is newer, lacks weights, or whose weights do not fit its graph', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'mw-notrun-'));
    expect(await loadPredictor(fsRunReader(empty))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a Modelwright run folder: it has no run\.json/),
    });

    const copy = (edit: (dir: string) => void) => {
      const dir = mkdtempSync(join(tmpdir(), 'mw-run-copy-'));
      for (const f of ['run.json', 'preprocessing.json', 'final.json', 'final.weights.bin']) writeFileSync(join(dir, f), readFileSync(join(runDir, f)));
      edit(dir);
      return dir;
    };
    const runJson = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { version: number; documentText: string };
    const newer = copy((d) => writeFileSync(join(d, 'run.json'), JSON.stringify({ ...runJson(d), version: 99 })));
    expect(await loadPredictor(fsRunReader(newer))).toMatchObject({ ok: false, message: expect.stringMatching(/newer Modelwright \(run format 99/) });

    const noWeights = copy((d) => rmSync(join(d, 'final.json')));
    expect(await loadPredictor(fsRunReader(noWeights))).toMatchObject({ ok: false, message: expect.stringMatching(/has no final weights/) });

    const otherGraph = copy((d) => {
      const info = runJson(d);
      const doc = JSON.parse(info.documentText) as {
        graph: { nodes: { id: string; type: string; params: object }[]; edges: { source: string; target: string }[] };
      };
      // A Dense layer the saved weights know nothing of.
      doc.graph.nodes.push({ id: 'extra', type: 'Dense', params: { units: 3 } });
      doc.graph.edges = doc.graph.edges.map((e) => (e.target === 'out' ? { ...e, target: 'extra' } : e));
      (doc.graph.edges as unknown[]).push({ id: 'e9', source: 'extra', sourcePort: 'out', target: 'out', targetPort: 'in' });
      writeFileSync(join(d, 'run.json'), JSON.stringify({ ...info, documentText: JSON.stringify(doc) }));
    });
    expect(await loadPredictor(fsRunReader(otherGraph))).toMatchObject({ ok: false, message: expect.stringMatching(/weights do not match its graph/) });
  });
});
