/**
 * Changes a host makes to a parsed Document before it runs it, as typed, pure functions (the
 * CLI's --data, --text, --label, --pretrained): each returns a new Document, keeps every field
 * it does not change (unknown ones included), and never edits JSON text.
 */
import { DataSchema, type DataSpec, type Document, type NodeId } from './document';
import { pretrainedCapableNodes } from './files';

/** A data binding's parts a host may replace. */
export interface DataOverrides {
  /** A CSV/TSV file (absolute) to read instead of the document's data source. */
  dataFile?: string | undefined;
  /** The text and label columns (names, or 1-based numbers). */
  text?: string | undefined;
  label?: string | undefined;
  /** The column naming each row's split (train / dev / test). */
  split?: string | undefined;
}

/** `doc` with its data source and columns replaced where `o` says. */
export function withDataOverrides(doc: Document, o: DataOverrides): Document {
  if (!o.dataFile && !o.text && !o.label && !o.split) return doc;
  // Without a data section, columns alone name nothing; a file gets a section of defaults.
  if (!doc.data && !o.dataFile) return doc;
  const data: DataSpec = doc.data ? { ...doc.data } : DataSchema.parse({ source: { path: o.dataFile } });
  if (o.dataFile) data.source = { path: o.dataFile };
  if (o.text) data.text = o.text;
  if (o.label) data.label = o.label;
  if (o.split) data.split = { ...data.split, column: o.split };
  return { ...doc, data };
}

/** Where a `--pretrained` value puts its file, or why it cannot say. */
export type PretrainedTarget = { ok: true; nodeId: NodeId; param: string; file: string } | { ok: false; message: string };

/**
 * Reads a "NODE=FILE" value (or "FILE" alone, for the one node that names pretrained vectors
 * already) against the document's nodes that can read pretrained vectors.
 */
export function pretrainedTarget(doc: Document, value: string): PretrainedTarget {
  const capable = pretrainedCapableNodes(doc.graph);
  const eq = value.indexOf('=');
  const named = eq > 0 ? capable.find((n) => n.nodeId === value.slice(0, eq)) : undefined;
  if (named) return { ok: true, ...named, file: value.slice(eq + 1) };
  const params = new Map(doc.graph.nodes.map((n) => [n.id, n.params]));
  const withFile = capable.filter((n) => typeof params.get(n.nodeId)?.[n.param] === 'string');
  if (withFile.length === 1) return { ok: true, ...withFile[0]!, file: value };
  const ids = capable.map((n) => n.nodeId).join(', ') || 'none';
  return { ok: false, message: `say which node as NODE=FILE (the document's nodes that read pretrained vectors: ${ids})` };
}

/** `doc` with node `nodeId`'s file param `param` set to `file`. */
export function withNodeFile(doc: Document, nodeId: NodeId, param: string, file: string): Document {
  const nodes = doc.graph.nodes.map((n) => (n.id === nodeId ? { ...n, params: { ...n.params, [param]: file } } : n));
  return { ...doc, graph: { ...doc.graph, nodes } };
}
