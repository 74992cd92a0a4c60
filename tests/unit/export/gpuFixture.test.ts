/**
 * tests/gpu/fixture/project, the exported project tests/gpu/check_export_cuda.sh runs on a CUDA
 * machine (which has no Node to export one): its files that are the same for every model must be
 * what the exporter writes now, so the GPU check checks today's export. When they are not,
 * rewrite the fixture (surname-gru after one epoch on a small sample of the surnames):
 *
 *   MODELWRIGHT_WRITE_GPU_FIXTURE=1 npx vitest run --project unit tests/unit/export/gpuFixture.test.ts
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../engine/backend';
import { DATA_PY } from '../../../engine/export/pytorch/dataPy';
import { LAYERS_PY } from '../../../engine/export/pytorch/layersPy';
import { PREDICT_PY } from '../../../engine/export/pytorch/predictPy';
import { TRAIN_PY } from '../../../engine/export/pytorch/trainPy';
import { WEIGHTS_PY } from '../../../engine/export/pytorch/weightsPy';
import { parseDocument } from '../../../engine/graph/load';
import { exportRunFolder } from '../../../engine/host/exportWriter';
import { FsRunStore } from '../../../engine/host/fsRunStore';
import { prepareTrainData } from '../../../engine/train/data';
import { runDocument } from '../../../engine/train/run';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURE = join(ROOT, 'tests', 'gpu', 'fixture', 'project');

/** Up to 40 surnames of every class: every class kept, a thousand rows. */
function sample(): string {
  const [header, ...rows] = readFileSync(join(ROOT, 'assets', 'datasets', 'surnames.csv'), 'utf8')
    .trim()
    .split('\n');
  const taken = new Map<string, number>();
  const kept = rows.filter((line) => {
    const label = line.slice(line.lastIndexOf(',') + 1);
    taken.set(label, (taken.get(label) ?? 0) + 1);
    return taken.get(label)! <= 40;
  });
  return `${[header, ...kept].join('\n')}\n`;
}

describe('the GPU check fixture', () => {
  it.runIf(process.env['MODELWRIGHT_WRITE_GPU_FIXTURE'] === '1')('is rewritten', async () => {
    await initBackend({ prefer: 'wasm', threads: 1 });
    const parsed = parseDocument(readFileSync(join(ROOT, 'assets', 'examples', 'surname-gru.json'), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error);
    const files = { readFile: async () => new Uint8Array(), readAsset: async () => new TextEncoder().encode(sample()) };
    const runDir = join(tmpdir(), 'surname-gru-fixture');
    rmSync(runDir, { recursive: true, force: true });
    const backend = { name: 'wasm' as const, package: '@tensorflow/tfjs-backend-wasm', reason: 'fixture', customKernels: [] };
    const done = await runDocument({
      runId: 'surname-gru-fixture',
      doc: parsed.doc,
      epochs: 1,
      backend,
      files,
      store: new FsRunStore(runDir),
      prepare: prepareTrainData,
      emit: () => undefined,
    });
    if (done.type !== 'done') throw new Error(done.message);
    expect(await exportRunFolder({ runDir, format: 'pytorch', out: FIXTURE, force: true, files })).toMatchObject({ ok: true });
  });

  it.each([
    ['layers.py', LAYERS_PY],
    ['weights.py', WEIGHTS_PY],
    ['data.py', DATA_PY],
    ['train.py', TRAIN_PY],
    ['predict.py', PREDICT_PY],
  ])('%s is what the exporter writes now', (file, text) => {
    expect(readFileSync(join(FIXTURE, file), 'utf8'), `${file} of the fixture is stale: rewrite it as this file's header says`).toBe(text);
  });
});
