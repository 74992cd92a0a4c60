/**
 * Reading and writing Document files. Loading never throws on bad input: a file that is not
 * JSON, not ours, truncated, noise, or from a newer Modelwright gets one clear error.
 */
import { CURRENT_SCHEMA_VERSION, DocumentSchema, type Document } from './document';
import { expandGroups, hasGroups } from './groups';
import { migrate, OLDEST_SCHEMA_VERSION, type JsonObject } from './migrations';
import { english, otherWords, type Words } from '../words';

/** Larger than any real document (100,000 nodes is ~30 MB); refuse before parsing. */
export const MAX_DOCUMENT_CHARS = 100_000_000;

export type ParseResult = { ok: true; doc: Document; migratedFrom?: number } | { ok: false; error: string; words: Words };

const refused = (words: Words): Extract<ParseResult, { ok: false }> => ({ ok: false, error: english(words), words });

/** How many zod problems to list before "and N more". */
const MAX_LISTED = 5;

export interface ParseOptions {
  /**
   * Keep group nodes and their definitions as the file has them (the editor, which shows and
   * saves them). Without it, groups are expanded into their blocks, so everything that
   * validates, compiles, trains or exports sees a plain graph; a group that cannot be expanded
   * makes the document fail to load, naming the group node.
   */
  keepGroups?: boolean;
}

/** Parses the text of a `.modelwright` (or `.json`) file into a current Document. */
export function parseDocument(text: string, options: ParseOptions = {}): ParseResult {
  if (typeof text !== 'string') return refused({ key: 'opening.notText' });
  if (text.length > MAX_DOCUMENT_CHARS) {
    return refused({ key: 'opening.tooBig', params: { mb: (text.length / 1e6).toFixed(0), max: MAX_DOCUMENT_CHARS / 1e6 } });
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const start = body.trimStart();
  if (start.length === 0) return refused({ key: 'opening.empty' });
  // Cheap pre-check, so megabytes of binary noise fail at once with a plain message.
  if (start[0] !== '{') return refused({ key: 'opening.notObjectStart' });

  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    if (looksTruncated(body, detail)) {
      return refused({ key: 'opening.truncated', params: { detail: otherWords(detail) } });
    }
    return refused({ key: 'opening.notJson', params: { detail: otherWords(detail) } });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return refused({ key: 'opening.notObject' });
  }
  const raw = json as JsonObject;
  if (raw.format !== 'modelwright') {
    return raw.format === undefined
      ? refused({ key: 'opening.noFormat' })
      : refused({ key: 'opening.wrongFormat', params: { found: JSON.stringify(raw.format).slice(0, 60) } });
  }
  const version = raw.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    return refused({ key: 'opening.noVersion' });
  }
  if (version > CURRENT_SCHEMA_VERSION) {
    return refused({ key: 'opening.newer', params: { version, current: CURRENT_SCHEMA_VERSION } });
  }
  if (version < OLDEST_SCHEMA_VERSION) {
    return refused({ key: 'opening.older', params: { version, oldest: OLDEST_SCHEMA_VERSION, current: CURRENT_SCHEMA_VERSION } });
  }
  const lifted = version < CURRENT_SCHEMA_VERSION ? migrate(raw, version) : raw;
  const parsed = DocumentSchema.safeParse(lifted);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${jsonPath(issue.path)}: ${issue.message}`);
    const listed = problems.slice(0, MAX_LISTED).join('; ');
    const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
    return refused({ key: 'opening.schema', params: { problems: otherWords(`${listed}${more}`) } });
  }
  let doc = parsed.data;
  if (!options.keepGroups && hasGroups(doc.graph)) {
    const expanded = expandGroups(doc.graph);
    const first = expanded.issues[0];
    if (first) {
      const at = doc.graph.nodes.findIndex((n) => n.id === first.nodeId);
      return refused({ key: 'opening.group', params: { index: at, node: first.nodeId ?? '', cause: otherWords(first.message) } });
    }
    doc = { ...doc, graph: expanded.graph };
  }
  return version < CURRENT_SCHEMA_VERSION ? { ok: true, doc, migratedFrom: version } : { ok: true, doc };
}

/** JSON.parse failed at (or reading past) the very end of the text: the file was cut short. */
function looksTruncated(body: string, detail: string): boolean {
  if (/unexpected end/i.test(detail)) return true;
  const at = /position (\d+)/.exec(detail);
  return at !== null && Number(at[1]) >= body.trimEnd().length;
}

/** A JSON path like `graph.nodes[3].id`, or `(document)` for the root. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(document)';
}

/** The text of a document file: 2-space JSON with a final newline. Unknown fields are kept. */
export function serializeDocument(doc: Document): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
