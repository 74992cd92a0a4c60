/**
 * The files a document names: its data source (unless built in) and the files its blocks read
 * (each block says which of its params name files: `reads`, e.g. an Embedding's pretrained
 * vectors). Pure: a host resolves the paths, shows them to the user and reads one only once it
 * is granted; the weights it builds (engine/data/glove.ts) reach `compileGraph` as
 * `pretrained[nodeId]`.
 */
import { getBlock } from '../blocks/registry';
import { sourcePathOf, type Document, type Graph, type NodeId } from './document';

export interface PretrainedRequest {
  /** The node that wants the vectors. */
  nodeId: NodeId;
  /** The param that names the file (where `--pretrained` and the inspector write a new path). */
  param: string;
  /** The GloVe-format file, as written in the document (not yet read, not yet trusted). */
  path: string;
  /** The vector size the node expects (its outputDim). */
  dim: number;
  /** Whether training may change the vectors. */
  trainable: boolean;
}

/**
 * Every file a block of the graph asks to read (each block says which of its params name files:
 * `reads` in its definition), in graph order. Nodes of unknown types or with bad params are
 * skipped: validation reports them.
 */
export function pretrainedRequests(graph: Graph): PretrainedRequest[] {
  const out: PretrainedRequest[] = [];
  for (const node of graph.nodes) {
    const block = getBlock(node.type);
    if (!block?.reads) continue;
    const parsed = block.params.safeParse(node.params);
    if (!parsed.success) continue;
    const params = parsed.data as Record<string, unknown>;
    for (const file of block.reads) {
      const path = params[file.param];
      if (typeof path === 'string' && path) out.push({ nodeId: node.id, param: file.param, path, ...file.request(params) });
    }
  }
  return out;
}

/** The nodes whose blocks can read pretrained vectors, whether or not they name a file yet. */
export function pretrainedCapableNodes(graph: Graph): { nodeId: NodeId; param: string }[] {
  const out: { nodeId: NodeId; param: string }[] = [];
  for (const node of graph.nodes) {
    for (const file of getBlock(node.type)?.reads ?? []) out.push({ nodeId: node.id, param: file.param });
  }
  return out;
}

/** A file the document names, as written in it. */
export interface FileRef {
  /** As written in the document. */
  path: string;
  role: 'data' | 'pretrained';
  nodeId?: NodeId;
  /** A folder (of images) rather than one file: granting it grants what is inside it. */
  folder?: boolean;
}

/** The files a document reads: the data file (unless built in, or there is no data), then pretrained vectors in graph order. */
export function documentFileRefs(doc: Pick<Document, 'data' | 'graph'>, roles: readonly FileRef['role'][] = ['data', 'pretrained']): FileRef[] {
  const out: FileRef[] = [];
  const source = doc.data?.source;
  // A source that names a built-in dataset reads that, whatever else it holds (as prepareData does).
  const read = source ? sourcePathOf(source) : undefined;
  if (roles.includes('data') && read) {
    out.push(read.folder ? { path: read.path, role: 'data', folder: true } : { path: read.path, role: 'data' });
    // A CSV of image paths reads the pictures beside it: the CSV's folder is granted too.
    const csvImages = doc.data?.image?.pathColumn !== undefined && !read.folder;
    if (csvImages) out.push({ path: parentFolder(read.path), role: 'data', folder: true });
  }
  if (roles.includes('pretrained')) {
    for (const r of pretrainedRequests(doc.graph)) out.push({ path: r.path, role: 'pretrained', nodeId: r.nodeId });
  }
  return out;
}

/** "the data file /a/b.csv", "the pretrained vectors of node "glove", /a/glove.txt". */
export function describeFileRef(ref: FileRef, shownPath: string = ref.path): string {
  if (ref.role === 'data' && ref.folder) return `the image folder ${shownPath}`;
  return ref.role === 'data' ? `the data file ${shownPath}` : `the pretrained vectors of node "${ref.nodeId}", ${shownPath}`;
}

/** The folder a path is in ("." for a bare name), with the path's own separators. */
function parentFolder(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut < 0 ? '.' : cut === 0 ? path.slice(0, 1) : path.slice(0, cut);
}
