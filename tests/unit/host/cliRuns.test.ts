/** `modelwright runs` and the test evaluation `train` prints: tables for people, one object a line for machines. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary, SplitEvaluation } from '../../../engine/api';
import { formatEvaluation, formatRuns } from '../../../engine/host/cliFormat';
import { runsCommand } from '../../../engine/host/cliRuns';

const evaluation: SplitEvaluation = {
  loss: 0.4321,
  accuracy: 0.75,
  perClass: { English: { precision: 1, recall: 0.5, f1: 2 / 3, support: 2 }, Irish: { precision: 2 / 3, recall: 1, f1: 0.8, support: 2 } },
  macro: { precision: 5 / 6, recall: 0.75, f1: 11 / 15, support: 4 },
  weighted: { precision: 5 / 6, recall: 0.75, f1: 11 / 15, support: 4 },
  confusion: {
    labels: ['English', 'Irish'],
    matrix: [
      [1, 1],
      [0, 2],
    ],
  },
};

describe('the CLI tables', () => {
  it('the test evaluation: per-class metrics, both averages, and the confusion matrix with class names', () => {
    const text = formatEvaluation(evaluation);
    expect(text).toContain('Test: loss 0.4321, accuracy 0.750 (4 examples)');
    expect(text).toMatch(/English\s+1\.000\s+0\.500\s+0\.667\s+2/);
    expect(text).toMatch(/Irish\s+0\.667\s+1\.000\s+0\.800\s+2/);
    expect(text).toMatch(/macro avg\s+0\.833\s+0\.750\s+0\.733\s+4/);
    expect(text).toMatch(/weighted avg\s+0\.833/);
    // Rows are true classes; a zero is a dot, so the diagonal stands out.
    expect(text).toMatch(/1 {2}English\s+1\s+1/);
    expect(text).toMatch(/2 {2}Irish\s+\.\s+2/);
  });

  it('the runs table: name, start, ending, epochs (done of planned), accuracies, model', () => {
    const run: RunSummary = {
      runId: '20260101-100000-aaaaaa',
      name: 'wider',
      createdAt: '2026-01-01T10:00:00.000Z',
      documentName: 'Surname CNN',
      ended: 'early-stopped',
      bestDevAcc: 0.61234,
      epochs: 7,
      plannedEpochs: 20,
      testAcc: null,
      hasModel: true,
    };
    const text = formatRuns([run]);
    expect(text.split('\n')[0]).toMatch(/^run\s+name\s+started\s+ended\s+epochs\s+best dev acc\s+test acc\s+model$/);
    expect(text).toMatch(/20260101-100000-aaaaaa\s+wider\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+early-stopped\s+7\/20\s+61\.2%\s+—\s+Surname CNN/);
  });

  it('modelwright runs lists a runs folder, or with --json one object a line with its folder', async () => {
    const runsDir = mkdtempSync(join(tmpdir(), 'mw-cli-runs-'));
    for (const [id, createdAt] of [
      ['20260101-100000-aaaaaa', '2026-01-01T10:00:00.000Z'],
      ['20260102-100000-bbbbbb', '2026-01-02T10:00:00.000Z'],
    ] as const) {
      mkdirSync(join(runsDir, id));
      const documentText = JSON.stringify({ name: `Doc ${id.slice(-1)}` });
      writeFileSync(
        join(runsDir, id, 'run.json'),
        JSON.stringify({
          format: 'modelwright-run',
          version: 1,
          runId: id,
          createdAt,
          documentText,
          epochs: 2,
          outcome: { type: 'done', reason: 'completed', epochs: 2, testAcc: 0.5 },
        }),
      );
    }
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    expect(await runsCommand(['--runs-dir', runsDir, '--json'], io)).toBe(0);
    const rows = out.map((l) => JSON.parse(l) as RunSummary & { runDir: string });
    expect(rows.map((r) => [r.runId, r.documentName, r.ended, r.testAcc])).toEqual([
      ['20260102-100000-bbbbbb', 'Doc b', 'completed', 0.5],
      ['20260101-100000-aaaaaa', 'Doc a', 'completed', 0.5],
    ]);
    expect(rows[0]!.runDir).toBe(join(runsDir, '20260102-100000-bbbbbb'));

    out.length = 0;
    expect(await runsCommand(['--runs-dir', runsDir], io)).toBe(0);
    expect(out.join('\n')).toMatch(/20260102-100000-bbbbbb[\s\S]*20260101-100000-aaaaaa[\s\S]*2 runs in/);

    const empty = mkdtempSync(join(tmpdir(), 'mw-cli-runs-empty-'));
    out.length = 0;
    expect(await runsCommand(['--runs-dir', empty], io)).toBe(0);
    expect(err.at(-1)).toMatch(/No runs in/);
    await expect(runsCommand(['extra'], io)).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_PARSE_ARGS/) });
  });
});
