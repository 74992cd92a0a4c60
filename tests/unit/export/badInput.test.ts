/**
 * Exports refuse what they cannot do faithfully, and then write nothing: a folder that is not a
 * run, a run from a newer Modelwright, an incomplete run, weights that do not fit the graph, a
 * block without a form in the format (named), and an output that exists (unless forced). And
 * the CLI: `modelwright export` of a run folder and of a document file, its refusals and exit
 * codes, as a real process of its bundle.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo } from '../../../engine/api';
import { isImagePreprocessing } from '../../../engine/data/preprocessing';
import { exportModel, loadExportSource } from '../../../engine/export';
import { parseDocument } from '../../../engine/graph/load';
import { createExportCalls, type ExportDestinationRequest } from '../../../engine/host/exportCalls';
import { exportRunFolder, writeSource } from '../../../engine/host/exportWriter';
import { FsRunStore } from '../../../engine/host/fsRunStore';
import { fsRunReader } from '../../../engine/host/runFolder';
import type { FilePort } from '../../../engine/ports';
import { prepareTrainData } from '../../../engine/train/data';
import { runDocument } from '../../../engine/train/run';
import { buildBundles } from '../host/buildBundles';
import { tinyCsv, tinyDocument, tinyProject } from '../host/fixtures';
import { useCpu } from '../train/synthetic';

const backend: BackendInfo = { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', reason: 'test', customKernels: [] };
const files: FilePort = {
  readFile: async () => new TextEncoder().encode(tinyCsv()),
  readAsset: async () => {
    throw new Error('no assets here');
  },
};

let runDir = '';
let cli = '';
const work = mkdtempSync(join(tmpdir(), 'mw-export-bad-'));

beforeAll(async () => {
  await useCpu();
  runDir = join(work, 'run');
  const parsed = parseDocument(tinyDocument({ dataPath: join(work, 'tiny.csv'), epochs: 1 }));
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
  cli = join(await buildBundles('export'), 'cli.cjs');
}, 120_000);

/** A copy of the run folder's files, edited. */
function copyRun(edit: (dir: string) => void): string {
  const dir = mkdtempSync(join(work, 'copy-'));
  for (const f of ['run.json', 'preprocessing.json', 'final.json', 'final.weights.bin']) writeFileSync(join(dir, f), readFileSync(join(runDir, f)));
  edit(dir);
  return dir;
}

const runJson = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { version: number; documentText: string; data: { vocabSize: number; inputShape: number[] } };

async function refused(dir: string, message: RegExp): Promise<void> {
  const out = join(work, `out-${Math.random().toString(36).slice(2)}`);
  for (const format of ['pytorch', 'onnx', 'tfjs'] as const) {
    const r = await exportRunFolder({ runDir: dir, format, out, force: false, files });
    expect(r, format).toMatchObject({ ok: false, message: expect.stringMatching(message) });
    expect(existsSync(out), `${format} wrote nothing`).toBe(false);
  }
}

describe('exports refuse, and write nothing', () => {
  it('a folder that is not a run, or from a newer Modelwright', async () => {
    await refused(mkdtempSync(join(work, 'empty-')), /not a Modelwright run folder: it has no run\.json/);
    await refused(
      copyRun((d) => writeFileSync(join(d, 'run.json'), JSON.stringify({ ...runJson(d), version: 99 }))),
      /newer Modelwright \(run format 99/,
    );
  });

  it('an incomplete run: no final weights, no preprocessing, a missing weights file', async () => {
    await refused(
      copyRun((d) => rmSync(join(d, 'final.json'))),
      /incomplete: it has no final weights/,
    );
    await refused(
      copyRun((d) => rmSync(join(d, 'preprocessing.json'))),
      /incomplete: it has no preprocessing\.json/,
    );
    await refused(
      copyRun((d) => rmSync(join(d, 'final.weights.bin'))),
      /incomplete: .*final\.weights\.bin is missing/,
    );
  });

  it('weights that do not fit the graph, naming the node', async () => {
    const withDense = copyRun((d) => {
      const info = runJson(d);
      const doc = JSON.parse(info.documentText) as { graph: { nodes: unknown[]; edges: { source: string; target: string }[] } };
      doc.graph.nodes.push({ id: 'hidden', type: 'Dense', params: { units: 5 } });
      doc.graph.edges = [
        { id: 'e1', source: 'chars', target: 'flat' },
        { id: 'e2', source: 'flat', target: 'hidden' },
        { id: 'e3', source: 'hidden', target: 'out' },
      ] as never;
      writeFileSync(join(d, 'run.json'), JSON.stringify({ ...info, documentText: JSON.stringify(doc) }));
    });
    await refused(withDense, /weights do not match its graph: node "hidden" \(Dense\) has a weight kernel \d+×5 the file lacks/);
    const wider = copyRun((d) => {
      const info = runJson(d);
      const [length, vocab] = info.data.inputShape as [number, number];
      writeFileSync(join(d, 'run.json'), JSON.stringify({ ...info, data: { ...info.data, vocabSize: vocab + 1, inputShape: [length, vocab + 1] } }));
    });
    await refused(wider, /weights do not match its graph: node "out" \(Output\) wants kernel \d+×2; the file has kernel \d+×2/);
  });

  it('a block without a form in the format stops the export before it writes, naming the block', async () => {
    const loaded = await loadExportSource(fsRunReader(runDir));
    if (!loaded.ok) throw new Error(loaded.message);
    const source = {
      ...loaded.source,
      nodes: loaded.source.nodes.map((n) =>
        n.id === 'flat' ? { ...n, block: { ...n.block, toPyTorch: () => ({ ok: false as const, reason: 'this build has none.' }) } } : n,
      ),
    };
    expect(exportModel('pytorch', source)).toEqual({ ok: false, message: 'node "flat" (Flatten) has no PyTorch form: this build has none.' });
    const out = join(work, 'no-form');
    expect(await writeSource(source, { format: 'pytorch', out, force: false, files })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Nothing was exported: node "flat"/),
    });
    expect(existsSync(out)).toBe(false);
  });

  it("a PyTorch project whose data.py would not encode texts as the run did (a newer run's settings)", async () => {
    const loaded = await loadExportSource(fsRunReader(runDir));
    if (!loaded.ok) throw new Error(loaded.message);
    const p = loaded.source.preprocessing;
    if (isImagePreprocessing(p)) throw new Error('a model of texts was expected');
    const newer = { ...loaded.source, preprocessing: { ...p, encodeSpec: { ...p.encodeSpec, stemming: 'porter' } } };
    expect(exportModel('pytorch', newer)).toEqual({
      ok: false,
      message: 'no PyTorch project: the run\'s encoding has a setting "stemming" the project\'s data.py does not know.',
    });
    // The ONNX and tfjs models are the run's own; their preprocessing file carries every setting.
    const onnx = exportModel('onnx', newer);
    if (!onnx.ok) throw new Error(onnx.message);
    expect(JSON.parse(onnx.files[1]!.data as string)).toMatchObject({ encodeSpec: { stemming: 'porter', tokenizer: 'char' } });
  });

  it('an existing output: not replaced without force, replaced whole with it', async () => {
    const out = join(work, 'existing');
    mkdirSync(out);
    writeFileSync(join(out, 'mine.txt'), 'keep me');
    expect(await exportRunFolder({ runDir, format: 'tfjs', out, force: false, files })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/already exists and is not empty; nothing was written/),
    });
    expect(readdirSync(out)).toEqual(['mine.txt']);
    expect(await exportRunFolder({ runDir, format: 'tfjs', out, force: true, files })).toMatchObject({ ok: true });
    expect(readdirSync(out).sort()).toEqual(['README.md', 'group1-shard1of1.bin', 'model.json', 'preprocessing.json']);
    // No temporary folder is left beside it.
    expect(readdirSync(work).filter((f) => f.includes('.export-'))).toEqual([]);

    const onnx = join(work, 'model.onnx');
    writeFileSync(onnx, 'not a model');
    expect(await exportRunFolder({ runDir, format: 'onnx', out: onnx, force: false, files })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/model\.onnx already exists/),
    });
    expect(readFileSync(onnx, 'utf8')).toBe('not a model');
    expect(await exportRunFolder({ runDir, format: 'onnx', out: onnx, force: true, files })).toMatchObject({
      ok: true,
      files: [onnx, join(work, 'model.vocab.json')],
    });
  });
});

describe('exportRun, the call every host answers', () => {
  const assetsDir = join(__dirname, '..', '..', '..', 'assets');

  it("writes into the run's folder by default (the web host), replacing the last export there", async () => {
    const calls = createExportCalls({ runsDir: work, assetsDir });
    const expected = { ok: true, value: { format: 'onnx', path: join(runDir, 'exports', 'onnx', 'model.onnx') } };
    expect(await calls.exportRun({ runId: 'run', format: 'onnx' })).toEqual(expected);
    expect(await calls.exportRun({ runId: 'run', format: 'onnx' })).toEqual(expected);
    expect(await calls.exportRun({ runId: 'run', format: 'tfjs' })).toEqual({ ok: true, value: { format: 'tfjs', path: join(runDir, 'exports', 'tfjs') } });
    expect(await calls.exportRun({ runId: 'nope', format: 'tfjs' })).toMatchObject({
      ok: false,
      error: { code: 'export-error', message: expect.stringMatching(/not a Modelwright run folder/) },
    });
  });

  it('writes where the host decides (the desktop asks), and nothing when the user cancels', async () => {
    const asked: ExportDestinationRequest[] = [];
    const chosen = join(work, 'chosen-project');
    const calls = createExportCalls({ runsDir: work, assetsDir, destination: async (req) => (asked.push(req), asked.length === 1 ? null : chosen) });
    expect(await calls.exportRun({ runId: 'run', format: 'pytorch' })).toEqual({ ok: true, value: null });
    expect(asked[0]).toEqual({ runId: 'run', runDir, format: 'pytorch', suggestedName: 'run-pytorch' });
    expect(await calls.exportRun({ runId: 'run', format: 'pytorch' })).toEqual({ ok: true, value: { format: 'pytorch', path: chosen } });
    expect(existsSync(join(chosen, 'model.py'))).toBe(true);
  });
});

describe('modelwright export', () => {
  const run = (args: string[], cwd?: string) => {
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd, timeout: 90_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('exports a run folder; refuses to replace it without --force', () => {
    expect(run(['--help']).stdout).toMatch(/modelwright export pytorch\|onnx\|tfjs FILE_OR_RUN_DIR -o OUT/);
    const out = join(work, 'cli.onnx');
    const first = run(['export', 'onnx', runDir, '-o', out, '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ ok: true, format: 'onnx', path: out, files: [out, join(work, 'cli.vocab.json')] });
    const again = run(['export', 'onnx', runDir, '-o', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; nothing was written\. Pass --force/);
    expect(run(['export', 'onnx', runDir, '-o', out, '--force']).code).toBe(0);
    const project = run(['export', 'pytorch', runDir, '-o', join(work, 'cli-project')]);
    expect(project.code).toBe(0);
    expect(project.stdout).toMatch(/Exported pytorch to .*cli-project \(11 files\)/);
  });

  it('exports a document file untrained, once its files are allowed', () => {
    const p = tinyProject();
    const out = join(p.dir, 'project');
    const refusedRun = run(['export', 'pytorch', p.doc, '-o', out]);
    expect(refusedRun.code).toBe(1);
    expect(refusedRun.stderr).toMatch(/reads files you have not allowed yet[\s\S]*tiny\.csv[\s\S]*--allow-files/);
    expect(existsSync(out)).toBe(false);
    expect(run(['export', 'pytorch', p.doc, '-o', out, '--allow-files']).code).toBe(0);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { origin: { kind: string }; dataFile: string; classes: string[] };
    expect(config).toMatchObject({ origin: { kind: 'untrained' }, dataFile: p.csv, classes: ['East', 'West'] });
    expect(existsSync(join(out, 'weights.bin'))).toBe(true);
    // An image document untrained: not done yet, said plainly, nothing written.
    const digits = run(['export', 'onnx', join(__dirname, '..', '..', '..', 'assets', 'examples', 'digits-lenet.json'), '-o', join(p.dir, 'digits.onnx')]);
    expect(digits.code).toBe(1);
    expect(digits.stderr).toMatch(/digits-lenet\.json reads pictures, and an untrained export of an image document is not done yet\. Train it/);
    expect(existsSync(join(p.dir, 'digits.onnx'))).toBe(false);
  });

  it('says what is wrong with the command line (exit 2)', () => {
    expect(run(['export', 'keras', runDir, '-o', 'x']).stderr).toMatch(/export wants a format, one of pytorch, onnx, tfjs, not "keras"/);
    expect(run(['export', 'onnx', runDir]).code).toBe(2);
    expect(run(['export', 'onnx', runDir, '-o', 'x.onnx', '--allow-files']).code).toBe(2);
    expect(run(['export', 'onnx', join(work, 'nowhere'), '-o', 'x.onnx']).stderr).toMatch(/no such run folder or document file/);
  });
});
