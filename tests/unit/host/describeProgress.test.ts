/**
 * The Data tab's two live facts from the engine: how far a long read has got (dataProgress, asked
 * while describeData is in flight), and how much of the vocabulary the Embedding's pretrained
 * vectors cover — computed in the helper worker, and only for a vectors file this client may read.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataProgress } from '../../../engine/api';
import { FileGrants } from '../../../engine/host/consent';
import { createEngine, type HostEngine } from '../../../engine/host/engine';
import { nodeSpawner } from '../../../engine/host/nodeSpawner';
import { buildBundles } from './buildBundles';
import { tinyCsv, tinyDocument } from './fixtures';

let engine: HostEngine;
let dir = '';

beforeAll(async () => {
  const bundles = await buildBundles('describe-progress');
  dir = mkdtempSync(join(tmpdir(), 'mw-progress-'));
  engine = createEngine({ runsDir: join(dir, 'runs'), spawn: nodeSpawner(join(bundles, 'worker.cjs')) });
});
afterAll(async () => {
  await engine?.dispose();
});

/** The tiny document with an Embedding that names `vectors` as its pretrained file. */
function withVectors(dataPath: string, vectors: string): string {
  const doc = JSON.parse(tinyDocument({ dataPath })) as { graph: { nodes: { id: string; type: string; params: object }[] } };
  doc.graph.nodes.push({ id: 'embed', type: 'Embedding', params: { outputDim: 3, pretrained: vectors } });
  return JSON.stringify(doc);
}

describe('describeData in the Data tab', () => {
  it('says how far a long read has got while it is in flight, and nothing once it is done', async () => {
    const csv = join(dir, 'big.csv');
    writeFileSync(csv, tinyCsv(300_000)); // ~3 MB: long enough to be asked about mid-way.
    const session = engine.session({ grants: new FileGrants([csv]) });
    const text = tinyDocument({ dataPath: csv });
    expect(await session.dataProgress()).toBeNull();
    const answer = session.describeData(text);
    let settled = false;
    void answer.then(() => (settled = true));
    const seen: DataProgress[] = [];
    while (!settled) {
      const progress = await session.dataProgress();
      if (progress) seen.push(progress);
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(await answer).toMatchObject({ ok: true, value: { rows: 300_000 } });
    expect(seen.length).toBeGreaterThan(0);
    const reading = seen.filter((p) => p.phase === 'reading');
    expect(reading.length).toBeGreaterThan(0);
    for (const p of reading) {
      expect(p.totalBytes).toBeGreaterThan(1_000_000);
      expect(p.bytes).toBeLessThanOrEqual(p.totalBytes!);
    }
    // Bytes and rows only go forward.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.rows).toBeGreaterThanOrEqual(seen[i - 1]!.rows);
    expect(await session.dataProgress()).toBeNull();
  });

  it('says how much of the vocabulary granted pretrained vectors cover, and reads no vectors it was not given', async () => {
    const csv = join(dir, 'tiny.csv');
    writeFileSync(csv, tinyCsv());
    // Vectors for "a" and "z" (every name starts with one) and for one letter that never occurs.
    const vectors = join(dir, 'vectors.txt');
    writeFileSync(vectors, 'a 0.1 0.2 0.3\nz 0.3 0.2 0.1\nq 1 1 1\n');
    const text = withVectors(csv, vectors);

    const without = await engine.session({ grants: new FileGrants([csv]) }).describeData(text);
    expect(without.ok).toBe(true);
    if (!without.ok) return;
    expect(without.value.glove).toBeUndefined();

    const granted = await engine.session({ grants: new FileGrants([csv, vectors]) }).describeData(text);
    expect(granted.ok).toBe(true);
    if (!granted.ok) return;
    const g = granted.value.glove!;
    expect(g).toMatchObject({ file: 'vectors.txt', dim: 3, wordsFound: 2 });
    // The vocabulary is "a", "z" and the 17 other letters the names use.
    expect(g.words).toBe(granted.value.vocabSize - 2); // less <pad> and <unk>
    expect(g.vocabularyShare).toBeCloseTo(2 / g.words, 6);
    // Every name has exactly one "a" or "z" first, and more letters after it.
    expect(g.tokenShare).toBeGreaterThan(0.1);
    expect(g.tokenShare).toBeLessThan(0.5);

    // A vectors file with rows of different lengths: the summary still comes, saying why there is no coverage.
    const ragged = join(dir, 'ragged.txt');
    writeFileSync(ragged, 'a 0.1 0.2 0.3\nz 0.3 0.2\n');
    const bad = await engine.session({ grants: new FileGrants([csv, ragged]) }).describeData(withVectors(csv, ragged));
    expect(bad.ok).toBe(true);
    if (!bad.ok) return;
    expect(bad.value.glove).toBeUndefined();
    expect(bad.value.gloveError).toMatch(/ragged\.txt.*line 2/);
  });
});
