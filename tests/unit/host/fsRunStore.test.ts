import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsRunStore } from '../../../engine/host/fsRunStore';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('FsRunStore.appendBatchLosses', () => {
  it('appends one JSON line an epoch to batches.jsonl, every loss kept exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-runstore-'));
    dirs.push(dir);
    const store = new FsRunStore(join(dir, 'run'));
    const first = [2.8903520107269287, 2.5, Math.fround(0.1)];
    await store.appendBatchLosses({ epoch: 1, firstStep: 1, losses: first });
    await store.appendBatchLosses({ epoch: 2, firstStep: 4, losses: [1.25] });
    const lines = readFileSync(join(dir, 'run', 'batches.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { epoch: 1, firstStep: 1, losses: first },
      { epoch: 2, firstStep: 4, losses: [1.25] },
    ]);
  });
});
