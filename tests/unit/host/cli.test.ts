/** The CLI end to end, as a real subprocess of its bundle (which forks the real worker bundle). */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundles } from './buildBundles';
import { tinyDocument, tinyProject } from './fixtures';

let cli = '';
beforeAll(async () => {
  cli = join(await buildBundles('cli'), 'cli.cjs');
});

function run(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd, timeout: 90_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('modelwright CLI', () => {
  it('prints help', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/modelwright validate FILE/);
    expect(r.stdout).toMatch(/modelwright train FILE/);
    expect(run(['frobnicate']).code).toBe(2);
  });

  it('validate: exit 0 with each node and its output shape, and the same as JSON', () => {
    const p = tinyProject();
    const human = run(['validate', p.doc]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/chars\s+Input\s+\[null, \d+, \d+\]/);
    expect(human.stdout).toMatch(/parameters/);
    const json = run(['validate', p.doc, '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { ok: boolean; nodes: { id: string; type: string; outputShape: unknown[]; params: object }[]; errors: unknown[] };
    expect(report.ok).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.nodes.map((n) => n.id)).toEqual(['chars', 'flat', 'out']);
    expect(report.nodes[2]!.outputShape).toEqual([null, 2]);
    expect(report.nodes[0]!.params).toMatchObject({ shape: 'auto' });
  });

  it('validate: exit 1 and every error with its node id', () => {
    const p = tinyProject();
    const bad = JSON.parse(tinyDocument({ dataPath: p.csv })) as { graph: { nodes: { id: string; type: string; params: object }[]; edges: unknown[] } };
    bad.graph.nodes.push({ id: 'mystery', type: 'NoSuchBlock', params: {} });
    bad.graph.edges = bad.graph.edges.slice(1); // "flat" loses its input
    const file = join(p.dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const json = run(['validate', file, '--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { ok: boolean; errors: { code: string; nodeId: string | null; message: string; hint: string | null; port: string | null }[] };
    expect(report.ok).toBe(false);
    const byNode = new Map(report.errors.map((e) => [e.nodeId, e.code]));
    expect(byNode.get('mystery')).toBe('unknown-type');
    expect(byNode.get('flat')).toBe('missing-input');
    for (const e of report.errors) expect(Object.keys(e).sort()).toEqual(['code', 'hint', 'message', 'nodeId', 'port']);
    const human = run(['validate', file]);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/mystery/);
    expect(human.stderr).toMatch(/flat/);

    writeFileSync(join(p.dir, 'noise.json'), 'not json at all');
    const noise = run(['validate', join(p.dir, 'noise.json'), '--json']);
    expect(noise.code).toBe(1);
    expect(JSON.parse(noise.stdout)).toMatchObject({ ok: false });
    expect(run(['validate', join(p.dir, 'missing.json')]).stderr).toMatch(/no such file/);
  });

  it('train --json --data: one event a line, ending in done with a finite loss and the run folder', () => {
    const p = tinyProject();
    // The document points at the built-in data; --data overrides it with the tiny CSV.
    const doc = join(p.dir, 'builtin.json');
    writeFileSync(doc, tinyDocument());
    const r = run(['train', doc, '--epochs', '1', '--data', p.csv, '--runs-dir', p.runsDir, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
    for (const e of events) expect(typeof e.type).toBe('string');
    expect(events.some((e) => e.type === 'start')).toBe(true);
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(1);
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    expect(done.reason).toBe('completed');
    expect(Number.isFinite(done.finalLoss)).toBe(true);
    const runDir = done.runDir as string;
    expect(runDir.startsWith(p.runsDir)).toBe(true);
    expect(readdirSync(runDir).sort()).toEqual(['checkpoint.json', 'checkpoint.weights.bin', 'events.jsonl', 'final.json', 'final.weights.bin', 'optimizer.json', 'optimizer.weights.bin', 'preprocessing.json', 'run.json']);
    const info = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { outcome: { reason: string }; data: { source: string } };
    expect(info.outcome.reason).toBe('completed');
    expect(info.data.source).toMatch(/tiny\.csv/);
  });

  it('data: summarises the bound data; --data, --text and --label override the document', () => {
    const p = tinyProject();
    const renamed = join(p.dir, 'renamed.csv');
    writeFileSync(renamed, readFileSync(p.csv, 'utf8').replace('surname,country', 'name,origin'));
    const human = run(['data', p.doc]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/rows\s+240 \(train 144, dev 48, test 48\)/);
    expect(human.stdout).toMatch(/East\s+120/);
    const json = run(['data', p.doc, '--data', renamed, '--text', 'name', '--label', 'origin', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, summary: { rows: 240, classes: ['East', 'West'] } });
    const wrong = run(['data', p.doc, '--data', renamed, '--json']);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ ok: false });
  });

  it('train for people: a per-epoch table on stdout, no progress bar when not a terminal', () => {
    const p = tinyProject();
    const r = run(['train', p.doc, '--epochs', '2', '--runs-dir', p.runsDir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/epoch\s+train loss\s+train acc\s+dev loss\s+dev acc/);
    expect(r.stdout).toMatch(/\n\s*2\/2\s+\d\.\d{4}/);
    expect(r.stdout).toMatch(/Run saved in /);
    expect(r.stderr).not.toMatch(/█/);
  });

  it('train: exit non-zero with a clear message for missing data and for an invalid graph', () => {
    const p = tinyProject();
    const r = run(['train', p.doc, '--data', join(p.dir, 'nope.csv'), '--runs-dir', p.runsDir, '--json']);
    expect(r.code).toBe(1);
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { type: string; message: string };
    expect(last.type).toBe('error');
    expect(last.message).toMatch(/nope\.csv/);
    expect(existsSync(p.runsDir) ? readdirSync(p.runsDir).length : 0).toBeLessThanOrEqual(1);
    const bad = JSON.parse(tinyDocument({ dataPath: p.csv })) as { graph: { edges: unknown[] } };
    bad.graph.edges = bad.graph.edges.slice(1);
    writeFileSync(join(p.dir, 'bad.json'), JSON.stringify(bad));
    const invalid = run(['train', join(p.dir, 'bad.json'), '--runs-dir', p.runsDir, '--json']);
    expect(invalid.code).toBe(1);
    const error = JSON.parse(invalid.stdout.trim().split('\n').at(-1)!) as { type: string; issues: { nodeId: string; code: string }[] };
    expect(error.type).toBe('error');
    expect(error.issues).toContainEqual(expect.objectContaining({ nodeId: 'flat', code: 'missing-input' }));
    const usage = run(['train', p.doc, '--epochs', 'zero']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--epochs/);
  });
});
