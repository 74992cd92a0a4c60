/**
 * What every export is made from: a model's Document, the data facts and preprocessing it was
 * trained with, the analysis of its graph, and its weights, checked against what each block's
 * tfjs layer holds (`tfjsWeights`). Built from a run folder (through a RunReader, without tfjs:
 * the weights are read straight from the saved bytes) or from a model the host just compiled
 * (an untrained export of a document). Problems are messages, found before anything is written.
 */
import type { TfjsWeightDef, WeightValue } from '../blocks/exportForms';
import type { Preprocessing, TextPreprocessing } from '../data/preprocessing';
import type { DataSummary } from '../data/summary';
import type { Document, NodeId } from '../graph/document';
import { factsFromSummary } from '../graph/facts';
import { modelLoss } from '../graph/model';
import type { DataFacts, GraphAnalysis, LossKind } from '../graph/types';
import { inferGraph } from '../graph/validate';
import { readRunRecord, type RunReader } from '../train/predict';
import type { SavedWeights } from '../train/runStore';
import { exportNodes, type ExportNode } from './plan';
import { otherWords, saying, wordsOf, type Failure } from '../words';

/** Where the weights came from, for the exported README and config. */
export type ExportOrigin =
  | { kind: 'run'; runId: string; createdAt?: string; epochs?: number; reason?: string; testAcc?: number | null }
  /** A document compiled with its seeded initial weights, not trained. */
  | { kind: 'untrained' };

export interface ExportSource {
  doc: Document;
  summary: DataSummary;
  facts: DataFacts;
  /** Of texts, or of pictures (isImagePreprocessing). */
  preprocessing: Preprocessing;
  /** The graph analysed against `facts`, without issues. */
  analysis: GraphAnalysis;
  /** The nodes the model is made of (those feeding the output), in topological order. */
  nodes: readonly ExportNode[];
  loss: LossKind;
  /** Each node's tfjs weights by their `TfjsWeightDef.name`. */
  weights: ReadonlyMap<NodeId, ReadonlyMap<string, WeightValue>>;
  /** The tfjs artifacts as saved (topology null when the model could not serialise it). */
  artifacts: SavedWeights;
  origin: ExportOrigin;
}

/** The export source of a model of texts. */
export type TextExportSource = ExportSource & { preprocessing: TextPreprocessing };

export type SourceResult = { ok: true; source: ExportSource } | Failure;

/**
 * The export source of a finished run's folder: its run.json, preprocessing.json and `final`
 * weights. A folder that is not a run, is newer, is incomplete, or whose weights do not fit its
 * graph gives a message naming the folder.
 */
export async function loadExportSource(reader: RunReader): Promise<SourceResult> {
  const where = reader.runDir;
  const record = await readRunRecord(reader);
  if (!record.ok) return record;
  const { info, preprocessing } = record;
  let artifacts: SavedWeights | null;
  try {
    artifacts = await reader.readWeights('final');
  } catch (err) {
    return saying({ key: 'export.incomplete', params: { where, cause: wordsOf(err) } });
  }
  if (!artifacts) return saying({ key: 'export.noFinalWeights', params: { where } });
  const outcome = info.outcome;
  const origin: ExportOrigin = {
    kind: 'run',
    runId: typeof info.runId === 'string' ? info.runId : '',
    ...(typeof info.createdAt === 'string' ? { createdAt: info.createdAt } : {}),
    ...(typeof outcome?.epochs === 'number' ? { epochs: outcome.epochs } : {}),
    ...(typeof outcome?.reason === 'string' ? { reason: outcome.reason } : {}),
    ...(outcome && 'testAcc' in outcome ? { testAcc: outcome.testAcc ?? null } : {}),
  };
  return exportSourceFrom({ doc: record.doc, summary: record.summary, preprocessing, artifacts, origin }, where);
}

/**
 * The export source of a model given whole (a run's, or one the host compiled from a document):
 * analyses the graph, and checks that the weights are exactly those its blocks' layers hold.
 * `where` names the model in messages.
 */
export function exportSourceFrom(
  parts: { doc: Document; summary: DataSummary; preprocessing: Preprocessing; artifacts: SavedWeights; origin: ExportOrigin },
  where: string,
): SourceResult {
  const { doc, summary, artifacts, preprocessing } = parts;
  const facts = factsFromSummary(summary);
  const analysis = inferGraph(doc.graph, facts);
  if (analysis.issues.length) return saying({ key: 'export.graphInvalid', params: { where, cause: otherWords(analysis.issues[0]!.message) } });
  const nodes = exportNodes(doc.graph, analysis);
  const decoded = decodeWeights(artifacts);
  if (!decoded.ok) return saying({ key: 'export.weightsUnreadable', params: { where, cause: otherWords(decoded.message) } });
  const matched = matchWeights(nodes, analysis, facts, decoded.byLayer);
  if (!matched.ok) return saying({ key: 'export.weightsMismatch', params: { where, cause: otherWords(matched.message) } });
  return {
    ok: true,
    source: { ...parts, preprocessing, facts, analysis, nodes, loss: modelLoss(doc.graph, analysis), weights: matched.weights },
  };
}

/** The saved weights grouped by tfjs layer, each weight under its name after the layer's. */
function decodeWeights(saved: SavedWeights): { ok: true; byLayer: Map<string, Map<string, WeightValue>> } | { ok: false; message: string } {
  const byLayer = new Map<string, Map<string, WeightValue>>();
  const bytes = new Uint8Array(saved.weightData);
  let offset = 0;
  for (const spec of saved.weightSpecs) {
    if (spec.dtype !== 'float32') return { ok: false, message: `"${spec.name}" is ${spec.dtype}; exports read float32 weights only.` };
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (offset + size * 4 > bytes.byteLength) return { ok: false, message: `the weights file ends before "${spec.name}".` };
    // Copied, so the values are aligned and little-endian whatever the buffer's offset.
    const values = new Float32Array(size);
    new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + size * 4));
    offset += size * 4;
    const slash = spec.name.indexOf('/');
    const layer = slash < 0 ? spec.name : spec.name.slice(0, slash);
    const rest = slash < 0 ? '' : spec.name.slice(slash + 1);
    // A Bidirectional wrapper's weights are `<layer>/forward_<inner>/kernel`: `forward/kernel`.
    const parts = rest.split('/');
    const name = parts.length === 2 ? `${parts[0]!.split('_')[0]}/${parts[1]}` : rest;
    let group = byLayer.get(layer);
    if (!group) byLayer.set(layer, (group = new Map()));
    group.set(name, { shape: spec.shape, values });
  }
  if (offset !== bytes.byteLength) return { ok: false, message: `the weights file has ${bytes.byteLength - offset} bytes more than its manifest names.` };
  return { ok: true, byLayer };
}

/**
 * The tfjs layer name of every node, as engine/compile names them: the node id made safe for
 * tfjs, unique in the model, in the analysis's order (which is the order compile builds in).
 */
export function tfjsLayerNames(order: readonly NodeId[]): Map<NodeId, string> {
  const used = new Set<string>();
  const names = new Map<NodeId, string>();
  for (const id of order) {
    const base =
      id
        .replace(/[^A-Za-z0-9_.-]/g, '_')
        .replace(/^[^A-Za-z]/, 'n$&')
        .slice(0, 100) || 'node';
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    names.set(id, name);
  }
  return names;
}

function showDef(w: { name: string; shape: readonly number[] }): string {
  return `${w.name} ${w.shape.join('×') || 'scalar'}`;
}

function matchWeights(
  nodes: readonly ExportNode[],
  analysis: GraphAnalysis,
  facts: DataFacts,
  byLayer: Map<string, Map<string, WeightValue>>,
): { ok: true; weights: Map<NodeId, Map<string, WeightValue>> } | { ok: false; message: string } {
  const layerNames = tfjsLayerNames(analysis.order);
  const weights = new Map<NodeId, Map<string, WeightValue>>();
  const claimed = new Set<string>();
  for (const node of nodes) {
    const wanted: readonly TfjsWeightDef[] = node.block.tfjsWeights?.(node.params, node.inputTypes, node.type, facts) ?? [];
    const layer = layerNames.get(node.id)!;
    const have = byLayer.get(layer) ?? new Map<string, WeightValue>();
    claimed.add(layer);
    const label = `node "${node.id}" (${node.block.type})`;
    for (const w of wanted) {
      const value = have.get(w.name);
      if (!value) return { ok: false, message: `${label} has a weight ${showDef(w)} the file lacks.` };
      if (value.shape.join('x') !== w.shape.join('x'))
        return { ok: false, message: `${label} wants ${showDef(w)}; the file has ${showDef({ name: w.name, shape: value.shape })}.` };
    }
    const extra = [...have.keys()].filter((name) => !wanted.some((w) => w.name === name));
    if (extra.length) return { ok: false, message: `the file has weights ${label} lacks (${extra.join(', ')}).` };
    weights.set(node.id, have);
  }
  const stray = [...byLayer.keys()].filter((layer) => !claimed.has(layer));
  if (stray.length) return { ok: false, message: `the file has weights of layers the graph does not have (${stray.slice(0, 3).join(', ')}).` };
  return { ok: true, weights };
}
