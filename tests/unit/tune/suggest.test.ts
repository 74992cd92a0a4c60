/** What the sweep editor offers (renderer/panels/sweepSuggest.ts) and how the tune store follows the host. */
import { describe, expect, it } from 'vitest';
import type { SweepSnapshot } from '../../../engine/api';
import { DocumentSchema, nodeId } from '../../../engine/graph/document';
import { defaultSweep, validateSweep } from '../../../engine/graph/sweep';
import { suggestParam, targetOptions } from '../../../renderer/panels/sweepSuggest';
import { useTuneStore } from '../../../renderer/state/tuneStore';

const doc = DocumentSchema.parse({
  format: 'modelwright',
  schemaVersion: 2,
  graph: {
    nodes: [
      { id: 'chars', type: 'Input', params: { shape: 'auto' } },
      { id: 'hidden', type: 'Dense', params: { units: 300, activation: 'relu' } },
      { id: 'drop', type: 'Dropout', params: {} },
      { id: 'out', type: 'Output', params: {} },
    ],
    edges: [],
  },
});

describe('the sweep editor’s targets and first ranges', () => {
  it('offers the training settings and every number or choice param of each block', () => {
    const paths = targetOptions(doc).map((o) => o.path);
    expect(paths).toContain('training.optimizer.lr');
    expect(paths).toContain('graph.nodes.hidden.params.units');
    expect(paths).toContain('graph.nodes.hidden.params.activation');
    expect(paths).toContain('graph.nodes.drop.params.rate');
    expect(paths.some((p) => p.startsWith('graph.nodes.chars.params.shape'))).toBe(false);
  });

  it('suggests the course’s scales, each a range the target takes', () => {
    const node = (id: string, param: string) => ({ node: nodeId(id), param });
    expect(suggestParam(doc, { training: 'optimizer.lr' })).toMatchObject({ scale: 'log', min: 1e-4, max: 1e-1 });
    expect(suggestParam(doc, { training: 'optimizer.beta1' })).toMatchObject({ scale: 'oneMinusLog', min: 0.8, max: 0.999 });
    expect(suggestParam(doc, node('hidden', 'units'))).toMatchObject({ scale: 'intLog', min: 75, max: 1200 });
    expect(suggestParam(doc, node('drop', 'rate'))).toMatchObject({ scale: 'linear', min: 0, max: 0.6 });
    expect(suggestParam(doc, node('hidden', 'activation'))).toMatchObject({ scale: 'choice' });
    const params = [
      suggestParam(doc, { training: 'optimizer.lr' }),
      suggestParam(doc, node('hidden', 'units')),
      suggestParam(doc, node('drop', 'rate')),
      suggestParam(doc, { training: 'batchSize' }),
      suggestParam(doc, { training: 'weightDecay' }),
    ];
    expect(validateSweep(doc, { ...defaultSweep(), params })).toEqual([]);
  });
});

describe('useTuneStore', () => {
  it('keeps the newest snapshot of each sweep and shows the first it hears of', () => {
    const snap = (id: string, state: SweepSnapshot['state']) =>
      ({ sweepId: id, state, startedAt: '2024-01-01T00:00:00Z', trials: [] }) as unknown as SweepSnapshot;
    const store = useTuneStore.getState();
    store.receive({ type: 'sweep', sweep: snap('a', 'running') });
    store.receive({ type: 'sweep', sweep: snap('b', 'running') });
    store.receive({ type: 'sweep', sweep: snap('a', 'done') });
    expect(useTuneStore.getState().sweepId).toBe('a');
    expect(useTuneStore.getState().sweeps.a!.state).toBe('done');
    store.adopt({ sweeps: [snap('b', 'done')], finds: [] });
    expect(useTuneStore.getState().sweeps.b!.state).toBe('done');
  });
});
