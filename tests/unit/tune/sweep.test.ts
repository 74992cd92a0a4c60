/**
 * A sweep of 6 trials over the learning rate and dropout on a tiny dataset made here, each trial
 * trained in this process: the learning rates are log-uniform within the range, halving stops
 * some trials early (saving epochs), and "apply" writes the best into the Document as one undo step.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../../engine/graph/load';
import type { Document, SweepSpec } from '../../../engine/graph/document';
import { applyConfig, readTarget } from '../../../engine/graph/sweep';
import type { FilePort } from '../../../engine/ports';
import { randomConfigs } from '../../../engine/tune/sample';
import { startSweep } from '../../../engine/tune/runSweep';
import type { SweepSnapshot } from '../../../engine/tune/types';
import { createI18n } from '../../../renderer/i18n';
import { sayWords } from '../../../renderer/i18n/engineErrors';
import { useDocumentStore } from '../../../renderer/state/documentStore';
import { tinyCsv, tinyDocument } from '../host/fixtures';
import { useCpu } from '../train/synthetic';
import { inProcessLauncher } from './inProcess';

beforeAll(useCpu);

const files: FilePort = {
  async readFile(path) {
    if (path === 'tiny.csv') return new TextEncoder().encode(tinyCsv(180));
    throw new Error(`Cannot read ${path}: no such file`);
  },
  async readAsset() {
    throw new Error('no assets in this test');
  },
};

const LR = { min: 1e-3, max: 0.5 };
const sweep: SweepSpec = {
  params: [
    { target: { training: 'optimizer.lr' }, scale: 'log', ...LR },
    { target: { node: 'drop', param: 'rate' } as SweepSpec['params'][number]['target'], scale: 'linear', min: 0, max: 0.5 },
  ],
  method: 'random',
  trials: 6,
  seed: 5,
  gridSteps: 3,
  halving: { enabled: true, minEpochs: 1, reduction: 3 },
};

function tinyWithDropout(): Document {
  const text = tinyDocument({
    dataPath: 'tiny.csv',
    graph: {
      nodes: [
        { id: 'chars', type: 'Input', params: { shape: 'auto', dtype: 'float32' } },
        { id: 'flat', type: 'Flatten', params: {} },
        { id: 'drop', type: 'Dropout', params: { rate: 0.2 } },
        { id: 'out', type: 'Output', params: { units: 'auto', activation: 'softmax' } },
      ],
      edges: [
        { id: 'e1', source: 'chars', target: 'flat' },
        { id: 'e2', source: 'flat', target: 'drop' },
        { id: 'e3', source: 'drop', target: 'out' },
      ],
    },
  });
  const parsed = parseDocument(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return { ...parsed.doc, sweep };
}

describe('a 6-trial sweep over learning rate and dropout', () => {
  let last: SweepSnapshot;
  let doc: Document;
  const updates: SweepSnapshot[] = [];
  const launcher = inProcessLauncher(files);

  beforeAll(async () => {
    doc = tinyWithDropout();
    const run = startSweep({ sweepId: 'sweep-test', doc, sweep, epochs: 6, parallel: 1, launcher, onUpdate: (s) => updates.push(s) });
    last = await run.done;
  }, 60_000);

  it('trains the configurations its seed gives, each as a run of the document with them written in', () => {
    expect(last.state).toBe('done');
    expect(last.trials).toHaveLength(6);
    expect(last.trials.map((t) => t.config)).toEqual(randomConfigs(sweep, 6));
    expect(launcher.started.map((s) => s.name)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `Tiny · trial ${i}/6`));
    expect(launcher.started.every((s) => s.epochs === 6)).toBe(true);
    expect(last.trials.every((t) => t.finished && t.runId === `trial-${t.trial}`)).toBe(true);
    expect(updates.length).toBeGreaterThan(6);
  });

  it('samples the learning rates log-uniformly within the range', () => {
    const lrs = last.trials.map((t) => t.config['training.optimizer.lr'] as number);
    for (const v of lrs) {
      expect(v).toBeGreaterThanOrEqual(LR.min);
      expect(v).toBeLessThanOrEqual(LR.max);
    }
    // The same seed's stream, long enough for a statistical check: the log of the rate is uniform.
    const many = randomConfigs(sweep, 600).map((c) => Math.log(c['training.optimizer.lr'] as number));
    const us = many.map((l) => (l - Math.log(LR.min)) / (Math.log(LR.max) - Math.log(LR.min))).sort((a, b) => a - b);
    const ks = Math.max(...us.map((u, i) => Math.max(Math.abs((i + 1) / us.length - u), Math.abs(u - i / us.length))));
    expect(ks).toBeLessThan(1.36 / Math.sqrt(us.length));
    // On a linear scale the median would be near 0.25; log-uniform puts it near √(0.001·0.5) ≈ 0.022.
    const sorted = randomConfigs(sweep, 600)
      .map((c) => c['training.optimizer.lr'] as number)
      .sort((a, b) => a - b);
    expect(sorted[300]).toBeGreaterThan(0.01);
    expect(sorted[300]).toBeLessThan(0.05);
  });

  it('stops some trials early at a rung and says how many epochs that saved', () => {
    const stopped = last.trials.filter((t) => t.stoppedEarly);
    expect(stopped.length).toBeGreaterThan(0);
    for (const t of stopped) {
      expect(t.state).toBe('pruned');
      expect(last.rungs).toContain(t.stoppedAtRung);
      expect(t.epochs).toBeLessThan(6);
    }
    expect(last.rungs).toEqual([1, 3]);
    expect(last.saving.epochsBudgeted).toBe(36);
    expect(last.saving.epochsRun).toBe(last.trials.reduce((n, t) => n + t.epochs, 0));
    expect(last.saving.epochsRun).toBeLessThan(36);
    expect(last.saving.fraction).toBeGreaterThan(0);
    expect(last.best).not.toBeNull();
    expect(last.zoom).not.toBeNull();
  });

  it('"apply" writes the best settings into the Document as one undo step, and undo restores it', () => {
    const best = last.trials.find((t) => t.trial === last.best)!;
    const store = useDocumentStore.getState();
    store.load(doc, { name: 'tiny.modelwright' });
    store.edit((d) => applyConfig(d, best.config), 'sweep:apply');
    const applied = useDocumentStore.getState().history!.present;
    expect(applied).not.toBe(doc);
    expect(applied.training.optimizer.lr).toBe(best.config['training.optimizer.lr']);
    expect(readTarget(applied, { node: 'drop', param: 'rate' } as never)).toBe(best.config['graph.nodes.drop.params.rate']);
    expect(applied.sweep).toEqual(doc.sweep);
    expect(useDocumentStore.getState().history!.past).toHaveLength(1);
    useDocumentStore.getState().undo();
    expect(useDocumentStore.getState().history!.present).toBe(doc);
    expect(doc.training.optimizer.lr).toBe(0.05);
  });
});

describe('a sweep stopped by the user', () => {
  it('says so in words the renderer says in Korean', async () => {
    const run = startSweep({
      sweepId: 'sweep-stop',
      doc: tinyWithDropout(),
      sweep,
      epochs: 6,
      parallel: 1,
      launcher: inProcessLauncher(files),
      onUpdate: () => undefined,
    });
    const last = await run.stop();
    expect(last.state).toBe('stopped');
    expect(last.message).toBe('Stopped by the user.');
    expect(last.words).toEqual({ key: 'sweep.stoppedByUser' });
    expect(sayWords(createI18n('ko').t, last.words!)).toBe('사용자가 중지했습니다.');
  }, 60_000);
});
