/**
 * The ONNX export, written by the engine itself: the graph's nodes in order, each block adding
 * its operators (`toOnnx`) with the trained weights as initializers; input and output named
 * after the Input and Output nodes, the batch axis free ("batch"), opset 13. Beside the model a
 * preprocessing file holds the vocabulary, tokenizer, length and classes. Every block is asked
 * before anything is written; one that cannot be expressed stops the export, named.
 */
import type { ExportInput } from '../../blocks/exportForms';
import type { NodeId } from '../../graph/document';
import type { ExportResult } from '../files';
import { isImagePreprocessing } from '../../data/preprocessing';
import { describeInput, preprocessingFile } from '../files';
import type { ExportSource } from '../source';
import { ONNX_FLOAT, ONNX_INT32, ONNX_OPSET, OnnxGraphBuilder, type OnnxValueInfo } from './graph';

export interface OnnxExportOptions {
  /** The model file's name without `.onnx`; the preprocessing goes in `<base>.vocab.json`. */
  base: string;
  /** Written into the model as its producer version. */
  version: string;
}

/** `<base>.onnx` and `<base>.vocab.json`, or the block that has no ONNX form. */
export function exportOnnx(source: ExportSource, opts: OnnxExportOptions): ExportResult {
  const g = new OnnxGraphBuilder(source.nodes.map((n) => n.id));
  const values = new Map<NodeId, string>();
  const masks = new Map<NodeId, string | null>();
  const inputs: OnnxValueInfo[] = [];
  const outputs: OnnxValueInfo[] = [];
  for (const node of source.nodes) {
    let nodeInputs: ExportInput[];
    if (node.block.role === 'input') {
      const name = g.claim(node.id);
      inputs.push({ name, type: node.type.dtype === 'int32' ? ONNX_INT32 : ONNX_FLOAT, dims: node.type.shape.map((d) => d ?? 'batch') });
      nodeInputs = [{ name, type: node.type, mask: null }];
    } else {
      nodeInputs = node.inputs.map((id, i) => ({ name: values.get(id)!, type: node.inputTypes[i]!, mask: masks.get(id) ?? null }));
    }
    const first = g.size;
    const scope = g.scope(node.id);
    const weights = source.weights.get(node.id);
    const result = node.block.toOnnx(node.params, {
      nodeId: node.id,
      inputs: nodeInputs,
      out: node.type,
      data: source.facts,
      g: scope,
      weight(name) {
        const w = weights?.get(name);
        if (!w) throw new Error(`${node.id}: its ONNX form reads a weight "${name}" that its tfjsWeights do not declare`);
        return w;
      },
    });
    if (!result.ok) return { ok: false, message: `node "${node.id}" (${node.block.type}) has no ONNX form: ${result.reason}` };
    const out = g.finish(result.form.output, node.id, first);
    values.set(node.id, out);
    let mask = result.form.mask ?? null;
    if (mask === null && node.type.masked === true) {
      // Masks joined by a merge: a step counts where every input's does, so the shortest length.
      const present = [...new Set(nodeInputs.map((x) => x.mask).filter((m): m is string => m !== null))];
      mask = present.length === 1 ? present[0]! : scope.op('Min', present)[0]!;
    }
    masks.set(node.id, mask);
    if (node.block.role === 'output') outputs.push({ name: out, type: ONNX_FLOAT, dims: node.type.shape.map((d) => d ?? 'batch') });
  }
  const p = source.preprocessing;
  const doc = `${source.doc.name} — exported from Modelwright (${source.origin.kind === 'run' ? `run ${source.origin.runId}` : 'untrained'}). Input "${inputs[0]?.name}": ${describeInput(source)}; output "${outputs[0]?.name}": the probability of each class, in the order of ${opts.base}.vocab.json's "classes".`;
  const bytes = g.encode({
    name: source.doc.name,
    doc,
    inputs,
    outputs,
    producerVersion: opts.version,
    metadata: isImagePreprocessing(p)
      ? {
          classes: JSON.stringify(p.classes),
          kind: 'image',
          image: JSON.stringify(p.image),
          opset: String(ONNX_OPSET),
        }
      : {
          classes: JSON.stringify(p.classes),
          tokenizer: p.encodeSpec.tokenizer,
          lowercase: String(p.encodeSpec.lowercase),
          maxLength: String(p.encodeSpec.maxLength),
          encoding: p.encoding,
          opset: String(ONNX_OPSET),
        },
  });
  return { ok: true, files: [{ path: `${opts.base}.onnx`, data: bytes }, preprocessingFile(`${opts.base}.vocab.json`, source)] };
}
