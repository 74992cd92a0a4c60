/**
 * The time-per-epoch estimate: real training steps of the document's model on its data, timed
 * with an injected clock so the arithmetic is checked exactly (no timing in the test itself).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../../engine/graph/load';
import { createFilePort } from '../../../engine/host/fsPorts';
import { prepareTrainData } from '../../../engine/train/data';
import { estimateEpoch, WARMUP_STEPS } from '../../../engine/train/epochEstimate';
import { tinyCsv, tinyDocument } from '../host/fixtures';
import { useCpu } from './synthetic';

beforeAll(useCpu);

function project(graph?: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'mw-estimate-'));
  writeFileSync(join(dir, 'names.csv'), tinyCsv(240));
  const parsed = parseDocument(tinyDocument({ dataPath: 'names.csv', ...(graph ? { graph } : {}) }));
  if (!parsed.ok) throw new Error(parsed.error);
  return { doc: parsed.doc, files: createFilePort({ baseDir: dir }) };
}

describe('estimateEpoch', () => {
  it('times steps after the warm-up and scales their median to an epoch, with the dev split', async () => {
    const { doc, files } = project();
    // A clock that makes every step after the warm-up take 10 ms, the warm-up ones 500 ms.
    let t = 0;
    let calls = 0;
    const now = () => {
      calls++;
      t += calls <= WARMUP_STEPS + 1 ? 500 : 10;
      return t;
    };
    const r = await estimateEpoch({ doc: { ...doc, training: { ...doc.training, batchSize: 32 } }, files, prepare: prepareTrainData, steps: 4, now });
    if (!r.ok) throw new Error(r.message);
    const e = r.estimate;
    expect(e.measuredSteps).toBeGreaterThanOrEqual(4);
    expect(e.msPerStep).toBe(10);
    expect(e.batchSize).toBe(32);
    expect(e.trainExamples + e.devExamples).toBeLessThan(240);
    expect(e.stepsPerEpoch).toBe(Math.ceil(e.trainExamples / 32));
    expect(e.secondsPerEpoch).toBeCloseTo((10 * (e.stepsPerEpoch + Math.ceil(e.devExamples / 32) / 3)) / 1000, 9);
  });

  it('says why when the graph does not validate, with the issues', async () => {
    const { doc, files } = project({
      nodes: [
        { id: 'chars', type: 'Input', params: { shape: 'auto' } },
        { id: 'out', type: 'Output', params: {} },
      ],
      edges: [{ id: 'e1', source: 'chars', target: 'out' }],
    });
    const r = await estimateEpoch({ doc, files, prepare: prepareTrainData });
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/not valid/) });
    expect(!r.ok && r.issues?.length).toBeGreaterThan(0);
  });
});
