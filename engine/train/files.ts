/**
 * The files a document names (its data source, each Embedding's pretrained vectors), and the
 * sentence that refuses to read the ones the user has not accepted. Pure: hosts resolve the
 * paths and decide what was accepted (engine/host/consent.ts).
 */
import { FILES_NOT_ALLOWED } from '../api';
import type { Document } from '../graph/document';
import { pretrainedRequests } from '../graph/pretrained';

export interface FileRef {
  /** As written in the document. */
  path: string;
  role: 'data' | 'pretrained';
  nodeId?: string;
}

/** The files a document reads: the data file (unless built in), then pretrained vectors in graph order. */
export function documentFileRefs(doc: Pick<Document, 'data' | 'graph'>, roles: readonly FileRef['role'][] = ['data', 'pretrained']): FileRef[] {
  const out: FileRef[] = [];
  const source = doc.data.source;
  // A source that names a built-in dataset reads that, whatever else it holds (as prepareData does).
  if (roles.includes('data') && !('builtin' in source)) out.push({ path: source.path, role: 'data' });
  if (roles.includes('pretrained')) {
    for (const r of pretrainedRequests(doc.graph)) out.push({ path: r.path, role: 'pretrained', nodeId: r.nodeId });
  }
  return out;
}

/** "the data file /a/b.csv", "the pretrained vectors of node "glove", /a/glove.txt". */
export function describeFileRef(ref: FileRef, shownPath: string = ref.path): string {
  return ref.role === 'data' ? `the data file ${shownPath}` : `the pretrained vectors of node "${ref.nodeId}", ${shownPath}`;
}

/**
 * The message that refuses a run or a data summary: every file not accepted, then how to
 * accept them (`how`, which depends on the host). Starts with FILES_NOT_ALLOWED.
 */
export function filesNotAllowedMessage(refused: readonly (FileRef & { resolvedPath?: string })[], how: string): string {
  const list = refused.map((f) => `  - ${describeFileRef(f, f.resolvedPath ?? f.path)}`).join('\n');
  return `${FILES_NOT_ALLOWED} (${refused.length}):\n${list}\n${how}`;
}

/** What the UI-facing hosts say about accepting files. */
export const ALLOW_IN_APP = 'Nothing was read. Accept these files when Modelwright asks (pass them as allowFiles), or choose other files.';
