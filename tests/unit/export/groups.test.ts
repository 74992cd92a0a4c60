/**
 * A model with groups exports as its blocks: two placements of one residual group, read the way
 * every engine caller reads a document (parseDocument expands them), compiled with random
 * weights, exported to ONNX and PyTorch, and run by onnxruntime and PyTorch on the same input as
 * tfjs. Max absolute difference of the output probabilities below 1e-4.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from '../../../engine/export';
import { mulberry32 } from '../../../engine/data/prng';
import { DocumentSchema, GROUP_TYPE, nodeId, type Document, type Graph } from '../../../engine/graph/document';
import { groupSelection } from '../../../engine/graph/groups';
import { parseDocument, serializeDocument } from '../../../engine/graph/load';
import { compileChecked } from '../compile/compileChecked';
import { residualGraph } from '../graph/fixtures';
import { maxAbsDiff, randomizeWeights, runOnnx, runPython, sourceOf, torchPython, writeFiles } from './harness';

/** The residual graph with its block saved as a group and a second placement after the first. */
function twoGroups(): Graph {
  const r = groupSelection(residualGraph(), ['conv_a', 'bn', 'conv_b', 'add'].map(nodeId), 'Residual block');
  if (!r.ok) throw new Error(r.reason);
  const first = r.node;
  const second = nodeId('residualblock2');
  const edges = r.graph.edges.filter((e) => e.target !== 'flat');
  return DocumentSchema.shape.graph.parse({
    ...r.graph,
    nodes: [...r.graph.nodes, { id: second, type: GROUP_TYPE, params: { group: 'residual-block' } }],
    edges: [...edges, { id: 'g1', source: first, target: second }, { id: 'g2', source: second, target: 'flat' }],
  });
}

const facts = { inputShape: [8, 4], inputDtype: 'float32', numClasses: 3 } as const;
let dir = '';
let expected: Float32Array = new Float32Array();
let onnxDiff = Number.POSITIVE_INFINITY;
let doc: Document;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const text = serializeDocument(DocumentSchema.parse({ format: 'modelwright', schemaVersion: 3, graph: twoGroups() }));
  const parsed = parseDocument(text);
  if (!parsed.ok) throw new Error(parsed.error);
  doc = parsed.doc;
  const { model } = compileChecked(doc, facts, { seed: 3 });
  randomizeWeights(model, 11);
  const random = mulberry32(5);
  const input = { data: Float32Array.from({ length: 4 * 8 * 4 }, () => random()), shape: [4, 8, 4] };
  expected = tf.tidy(() => (model.predict(tf.tensor(input.data, input.shape)) as tf.Tensor).dataSync() as Float32Array);
  const source = await sourceOf(doc, model, facts);
  model.dispose();
  dir = mkdtempSync(join(tmpdir(), 'mw-groups-'));
  const pytorch = exportModel('pytorch', source);
  if (!pytorch.ok) throw new Error(pytorch.message);
  writeFiles(dir, pytorch.files);
  writeFileSync(join(dir, 'input.bin'), new Uint8Array(input.data.buffer));
  const onnx = exportModel('onnx', source);
  if (!onnx.ok) throw new Error(onnx.message);
  onnxDiff = maxAbsDiff(await runOnnx(onnx.files[0]!.data as Uint8Array, input), expected);
}, 120_000);

const RUN = String.raw`
import importlib.util, struct, sys
import torch
folder = sys.argv[1]
sys.path.insert(0, folder)
spec = importlib.util.spec_from_file_location("model", folder + "/model.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
raw = open(folder + "/input.bin", "rb").read()
x = torch.tensor(struct.unpack(f"<{len(raw) // 4}f", raw)).reshape([4, 8, 4])
with torch.no_grad():
    y = module.load_model(folder)(x).flatten().tolist()
open(folder + "/out.bin", "wb").write(struct.pack(f"<{len(y)}f", *y))
`;

describe('a model with groups exports as its blocks', () => {
  it('reaches the exporters expanded: four convolutions (two per placement), no group node', () => {
    expect(doc.graph.nodes.some((n) => n.type === GROUP_TYPE)).toBe(false);
    expect(doc.graph.nodes.filter((n) => n.type === 'Conv1D')).toHaveLength(4);
    expect(readFileSync(join(dir, 'model.py'), 'utf8')).toMatch(/residualblock2_conv_b/);
  });

  it('ONNX computes what tfjs computes (within 1e-4)', () => {
    expect(onnxDiff).toBeLessThan(1e-4);
  });

  it.skipIf(!torchPython().python)(`PyTorch computes what tfjs computes (within 1e-4)${torchPython().python ? '' : ` (skipped: ${torchPython().why})`}`, () => {
    runPython(['-c', RUN, dir], tmpdir(), { timeoutMs: 120_000 });
    const bytes = readFileSync(join(dir, 'out.bin'));
    const out = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    expect(maxAbsDiff(out, expected)).toBeLessThan(1e-4);
  });
});
