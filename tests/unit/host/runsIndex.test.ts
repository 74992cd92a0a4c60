/** The runs folder as the runs panel lists it: what each run's files say, rename, delete (inside the folder only), curves. */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunsIndex } from '../../../engine/host/runsIndex';

const evaluation = {
  loss: 0.5,
  accuracy: 0.75,
  perClass: { a: { precision: 1, recall: 0.5, f1: 0.667, support: 2 }, b: { precision: 0.667, recall: 1, f1: 0.8, support: 2 } },
  macro: { precision: 0.833, recall: 0.75, f1: 0.733, support: 4 },
  weighted: { precision: 0.833, recall: 0.75, f1: 0.733, support: 4 },
  confusion: {
    labels: ['a', 'b'],
    matrix: [
      [1, 1],
      [0, 2],
    ],
  },
};

interface FakeRun {
  id: string;
  createdAt: string;
  name?: string;
  outcome?: unknown;
  /** Epoch events: [devAcc, lr]. */
  epochs?: [number | null, number][];
  end?: unknown;
  final?: boolean;
}

/** A run folder as FsRunStore leaves it, written by hand. */
function writeRun(runsDir: string, r: FakeRun): string {
  const dir = join(runsDir, r.id);
  mkdirSync(dir, { recursive: true });
  const documentText = JSON.stringify({ format: 'modelwright', schemaVersion: 1, name: r.name ?? 'Doc', graph: { nodes: [], edges: [] } });
  writeFileSync(
    join(dir, 'run.json'),
    JSON.stringify({
      format: 'modelwright-run',
      version: 1,
      runId: r.id,
      createdAt: r.createdAt,
      documentText,
      epochs: 3,
      ...(r.outcome ? { outcome: r.outcome } : {}),
    }),
  );
  const lines = [
    { type: 'status', runId: r.id, message: 'Loading…' },
    { type: 'start', runId: r.id, epochs: 3, stepsPerEpoch: 4 },
  ];
  const batches: string[] = [];
  (r.epochs ?? []).forEach(([devAcc, lr], i) => {
    lines.push({ type: 'batch', runId: r.id, epoch: i + 1 } as never);
    lines.push({ type: 'epoch', runId: r.id, epoch: i + 1, trainLoss: 1 / (i + 1), trainAcc: 0.5, devLoss: 1.2 / (i + 1), devAcc, lr, seconds: 1 } as never);
    batches.push(JSON.stringify({ epoch: i + 1, firstStep: i * 4 + 1, losses: [1, 0.9, null, 0.8] }));
  });
  if (r.end) lines.push(r.end as never);
  writeFileSync(join(dir, 'events.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  writeFileSync(join(dir, 'batches.jsonl'), batches.join('\n') + (batches.length ? '\n' : ''));
  if (r.final) writeFileSync(join(dir, 'final.json'), '{}');
  return dir;
}

const done = (extra: Record<string, unknown> = {}) => ({
  type: 'done',
  reason: 'completed',
  epochs: 3,
  testAcc: 0.7,
  testLoss: 0.6,
  finalLoss: 0.3,
  bestDevLoss: 0.4,
  seconds: 3,
  ...extra,
});

function fixture() {
  const runsDir = mkdtempSync(join(tmpdir(), 'mw-runs-index-'));
  writeRun(runsDir, {
    id: '20260101-100000-aaaaaa',
    createdAt: '2026-01-01T10:00:00.000Z',
    name: 'First',
    outcome: done({ test: evaluation, bestEpoch: 2 }),
    epochs: [
      [0.5, 0.001],
      [0.7, 0.001],
      [0.6, 0.0005],
    ],
    final: true,
  });
  writeRun(runsDir, {
    id: '20260102-100000-bbbbbb',
    createdAt: '2026-01-02T10:00:00.000Z',
    outcome: { reason: 'crashed', message: 'killed', crash: {} },
    epochs: [[0.4, 0.01]],
  });
  writeRun(runsDir, { id: '20260103-100000-cccccc', createdAt: '2026-01-03T10:00:00.000Z', epochs: [[null, 0.01]] });
  writeRun(runsDir, {
    id: '20260104-100000-dddddd',
    createdAt: '2026-01-04T10:00:00.000Z',
    end: { type: 'done', reason: 'early-stopped', epochs: 2, testAcc: 0.5, test: evaluation },
  });
  // Not runs: a stray file, a folder whose name is no run id, an empty folder.
  writeFileSync(join(runsDir, 'notes.txt'), 'hello');
  mkdirSync(join(runsDir, 'has space'));
  mkdirSync(join(runsDir, '20260105-100000-eeeeee'));
  return runsDir;
}

describe('RunsIndex', () => {
  it('lists every run newest first, with how it ended, its best dev accuracy, epochs and model', async () => {
    const runsDir = fixture();
    const index = new RunsIndex({ runsDir, isActive: (id) => id === '20260103-100000-cccccc' });
    const runs = await index.list();
    expect(runs.map((r) => r.runId)).toEqual(['20260104-100000-dddddd', '20260103-100000-cccccc', '20260102-100000-bbbbbb', '20260101-100000-aaaaaa']);
    const [d, c, b, a] = runs;
    expect(a).toMatchObject({
      name: null,
      documentName: 'First',
      ended: 'completed',
      bestDevAcc: 0.7,
      epochs: 3,
      plannedEpochs: 3,
      testAcc: 0.7,
      hasModel: true,
    });
    expect(b).toMatchObject({ ended: 'crashed', bestDevAcc: 0.4, epochs: 1, hasModel: false, testAcc: null });
    // No outcome: running when the host trains it, else nobody knows how it ended.
    expect(c).toMatchObject({ ended: 'running', bestDevAcc: null, epochs: 1 });
    expect((await new RunsIndex({ runsDir }).summary(c!.runId))?.ended).toBe('unknown');
    // A run.json without an outcome but a done event in its log: the log says it.
    expect(d).toMatchObject({ ended: 'early-stopped', epochs: 2, testAcc: 0.5 });
  });

  it('renames a run in name.json (an empty name clears it) and lists the new name', async () => {
    const runsDir = fixture();
    const index = new RunsIndex({ runsDir });
    const id = '20260101-100000-aaaaaa';
    const renamed = await index.rename(id, '  wider convs  ');
    expect(renamed).toMatchObject({ ok: true, value: { name: 'wider convs' } });
    expect(JSON.parse(readFileSync(join(runsDir, id, 'name.json'), 'utf8'))).toEqual({ name: 'wider convs' });
    expect((await index.list()).find((r) => r.runId === id)?.name).toBe('wider convs');
    expect((await index.document(id)).ok && (await index.document(id))).toMatchObject({ value: { name: 'wider convs' } });
    await index.rename(id, '');
    expect(existsSync(join(runsDir, id, 'name.json'))).toBe(false);
    expect((await index.summary(id))?.name).toBeNull();
    expect(await index.rename('20991231-000000-ffffff', 'x')).toMatchObject({ ok: false, error: { code: 'no-such-run' } });
  });

  it('deletes a whole run folder, refuses one in training, and never leaves the runs folder', async () => {
    const runsDir = fixture();
    const outside = mkdtempSync(join(tmpdir(), 'mw-outside-'));
    writeFileSync(join(outside, 'run.json'), '{"format":"modelwright-run","runId":"x","createdAt":"2026"}');
    symlinkSync(outside, join(runsDir, '20260106-100000-ffffff'));
    const index = new RunsIndex({ runsDir, isActive: (id) => id === '20260103-100000-cccccc' });

    expect(await index.delete('20260101-100000-aaaaaa')).toEqual({ ok: true, value: { runId: '20260101-100000-aaaaaa' } });
    expect(existsSync(join(runsDir, '20260101-100000-aaaaaa'))).toBe(false);
    expect(await index.delete('20260103-100000-cccccc')).toMatchObject({ ok: false, error: { code: 'run-error' } });
    expect(existsSync(join(runsDir, '20260103-100000-cccccc'))).toBe(true);
    // A link out of the runs folder is no run; what it points at stays.
    expect(await index.delete('20260106-100000-ffffff')).toMatchObject({ ok: false, error: { code: 'no-such-run' } });
    expect(existsSync(join(outside, 'run.json'))).toBe(true);
    // Ids that are paths are no ids; a folder that is no run is not deleted either.
    for (const id of ['..', '../x', '/tmp', 'a/b', '20260105-100000-eeeeee']) {
      expect(await index.delete(id)).toMatchObject({ ok: false, error: { code: 'no-such-run' } });
    }
    expect(existsSync(join(runsDir, '20260105-100000-eeeeee'))).toBe(true);
    expect((await index.list()).map((r) => r.runId)).not.toContain('20260101-100000-aaaaaa');
  });

  it('reads back the Document, the curves with every batch loss and the learning rate, and the stored test evaluation', async () => {
    const runsDir = fixture();
    const index = new RunsIndex({ runsDir });
    const id = '20260101-100000-aaaaaa';
    const doc = await index.document(id);
    expect(doc.ok && JSON.parse(doc.value.documentText)).toMatchObject({ name: 'First' });
    const curves = await index.curves(id);
    expect(curves.ok).toBe(true);
    if (!curves.ok) return;
    expect(curves.value.stepsPerEpoch).toBe(4);
    expect(curves.value.bestEpoch).toBe(2);
    expect(curves.value.epochs.map((e) => [e.epoch, e.step, e.devAcc, e.lr])).toEqual([
      [1, 4, 0.5, 0.001],
      [2, 8, 0.7, 0.001],
      [3, 12, 0.6, 0.0005],
    ]);
    expect(curves.value.batches.flatMap((b) => b.losses)).toHaveLength(12);
    expect(curves.value.batches[0]!.losses).toEqual([1, 0.9, null, 0.8]);
    expect(await index.storedEvaluation(id)).toEqual(evaluation);
    // From the log's done event when run.json has none; none at all for a crashed run.
    expect(await index.storedEvaluation('20260104-100000-dddddd')).toEqual(evaluation);
    expect(await index.storedEvaluation('20260102-100000-bbbbbb')).toBeNull();
    await index.keepEvaluation('20260102-100000-bbbbbb', evaluation);
    expect(await index.storedEvaluation('20260102-100000-bbbbbb')).toEqual(evaluation);
    expect((await index.summary('20260102-100000-bbbbbb'))?.testAcc).toBe(0.75);
    expect(await index.curves('nope-nope')).toMatchObject({ ok: false, error: { code: 'no-such-run' } });

    // A run stopped mid-epoch 2 and resumed: epoch 2's partial record is replaced by the whole one.
    const resumed = writeRun(runsDir, { id: '20260107-100000-aaaaaa', createdAt: '2026-01-07T10:00:00.000Z', epochs: [[0.5, 0.001]] });
    writeFileSync(
      join(resumed, 'batches.jsonl'),
      [
        { epoch: 1, firstStep: 1, losses: [1, 1, 1, 1] },
        { epoch: 2, firstStep: 5, losses: [0.9] },
        { epoch: 2, firstStep: 5, losses: [0.8, 0.8, 0.8, 0.8] },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    const again = await index.curves('20260107-100000-aaaaaa');
    expect(again.ok && again.value.batches.map((b) => [b.epoch, b.losses.length])).toEqual([
      [1, 4],
      [2, 4],
    ]);
  });
});
