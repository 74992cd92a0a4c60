/**
 * Every block's PyTorch and ONNX forms compute what its tfjs layer computes: every graph of the
 * export cases (./cases.ts: each block with its paddings, strides, dilations, pools,
 * bidirectional recurrent layers, padding masks, activations, merges) is compiled with random
 * weights, run by tfjs on random inputs (token ids with trailing padding), exported, and run by
 * onnxruntime and by PyTorch (one Python process for all of them). Max absolute difference of
 * the output probabilities below 1e-4. The one graph ONNX cannot express is refused, named.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from '../../../engine/export';
import { mulberry32 } from '../../../engine/data/prng';
import type { DataFacts } from '../../../engine/graph/types';
import { compileChecked } from '../compile/compileChecked';
import { docOf } from '../graph/fixtures';
import { EXPORT_CASES } from './cases';
import { maxAbsDiff, randomizeWeights, runOnnx, runPython, sourceOf, torchPython, writeFiles } from './harness';

const BATCH = 4;

/** Inputs for `facts`: floats in [0, 1), or token ids whose rows end in padding (one row of each length kind). */
function inputFor(facts: DataFacts, seed: number): { data: Float32Array | Int32Array; shape: number[] } {
  const random = mulberry32(seed);
  const per = (facts.inputShape ?? []).reduce((a, b) => a * b, 1);
  const shape = [BATCH, ...(facts.inputShape ?? [])];
  if (facts.inputDtype !== 'int32') return { data: Float32Array.from({ length: BATCH * per }, () => random()), shape };
  const length = facts.inputShape![0]!;
  const data = new Int32Array(BATCH * length);
  const lengths = [length, 1, Math.ceil(length / 2), Math.max(1, length - 3)];
  for (let r = 0; r < BATCH; r++) for (let t = 0; t < lengths[r]!; t++) data[r * length + t] = 2 + Math.floor(random() * ((facts.vocabSize ?? 3) - 2));
  return { data, shape };
}

interface Case {
  name: string;
  dir: string;
  expected: Float32Array;
  onnx: number;
}

const cases: Case[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  const root = mkdtempSync(join(tmpdir(), 'mw-parity-'));
  for (const [i, c] of EXPORT_CASES.entries()) {
    const doc = docOf(c.graph);
    const { model } = compileChecked(doc, c.facts, { seed: 7 });
    randomizeWeights(model, 100 + i);
    const input = inputFor(c.facts, 200 + i);
    const expected = tf.tidy(
      () => (model.predict(tf.tensor(input.data, input.shape, c.facts.inputDtype === 'int32' ? 'int32' : 'float32')) as tf.Tensor).dataSync() as Float32Array,
    );
    const source = await sourceOf(doc, model, c.facts);
    model.dispose();
    const dir = join(root, `case${i}`);
    const pytorch = exportModel('pytorch', source);
    if (!pytorch.ok) throw new Error(`${c.name}: ${pytorch.message}`);
    writeFiles(dir, pytorch.files);
    writeFileSync(join(dir, 'input.bin'), new Uint8Array(input.data.buffer));
    writeFileSync(join(dir, 'input.json'), JSON.stringify({ shape: input.shape, dtype: input.data instanceof Int32Array ? 'int32' : 'float32' }));
    const onnx = exportModel('onnx', source);
    if (c.onnxRefuses) {
      expect(onnx).toMatchObject({ ok: false, message: expect.stringMatching(c.onnxRefuses) });
      cases.push({ name: c.name, dir, expected, onnx: 0 });
      continue;
    }
    if (!onnx.ok) throw new Error(`${c.name}: ${onnx.message}`);
    const onnxOut = await runOnnx(onnx.files[0]!.data as Uint8Array, input);
    cases.push({ name: c.name, dir, expected, onnx: maxAbsDiff(onnxOut, expected) });
  }
}, 300_000);

/** Loads each case's model.py (its own module) and writes its output for input.bin to out.bin. */
const RUN_ALL = String.raw`
import importlib.util, json, struct, sys
import torch
for i, folder in enumerate(sys.argv[1:]):
    sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(f"model_{i}", folder + "/model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.path.pop(0)
    meta = json.load(open(folder + "/input.json"))
    raw = open(folder + "/input.bin", "rb").read()
    n = len(raw) // 4
    values = struct.unpack(f"<{n}{'i' if meta['dtype'] == 'int32' else 'f'}", raw)
    x = torch.tensor(values, dtype=torch.int64 if meta["dtype"] == "int32" else torch.float32).reshape(meta["shape"])
    with torch.no_grad():
        y = module.load_model(folder)(x).flatten().tolist()
    open(folder + "/out.bin", "wb").write(struct.pack(f"<{len(y)}f", *y))
`;

describe('every block exports to what tfjs computes', () => {
  it('ONNX (onnxruntime-node): every case within 1e-4', () => {
    const worst = cases.map((c) => [c.name, c.onnx] as const).filter(([, d]) => !(d < 1e-4));
    expect(worst).toEqual([]);
  });

  it.skipIf(!torchPython().python)(`PyTorch: every case within 1e-4${torchPython().python ? '' : ` (skipped: ${torchPython().why})`}`, () => {
    runPython(['-c', RUN_ALL, ...cases.map((c) => c.dir)], tmpdir(), { timeoutMs: 240_000 });
    const diffs = cases.map((c) => {
      const bytes = readFileSync(join(c.dir, 'out.bin'));
      const out = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      return [c.name, maxAbsDiff(out, c.expected)] as const;
    });
    expect(diffs.filter(([, d]) => !(d < 1e-4))).toEqual([]);
  });
});
