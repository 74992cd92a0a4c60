/** v2 → v3, the migration that brought groups into the file format. */
import { describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION } from '../../../engine/graph/document';
import { parseDocument } from '../../../engine/graph/load';
import { MIGRATIONS, migrate } from '../../../engine/graph/migrations';

describe('v2 → v3', () => {
  it('is the third step, described', () => {
    expect(CURRENT_SCHEMA_VERSION).toBe(3);
    expect(MIGRATIONS[2]!.from).toBe(2);
    expect(MIGRATIONS[2]!.description).toMatch(/groups/);
  });

  it('keeps a v2 document as it was, but for its version', () => {
    const v2 = { format: 'modelwright', schemaVersion: 2, name: 'Old', graph: { nodes: [], edges: [], note: 1 }, training: { epochs: 3 }, extra: [1] };
    const copy = structuredClone(v2);
    expect(migrate(v2, 2)).toEqual({ ...v2, schemaVersion: 3 });
    expect(v2).toEqual(copy);
    const r = parseDocument(JSON.stringify(v2));
    expect(r.ok && r.migratedFrom).toBe(2);
    expect(r.ok && r.doc.schemaVersion).toBe(3);
    expect(r.ok && r.doc.graph.groups).toBeUndefined();
  });

  it('keeps a v2 graph’s own `groups` field aside, so it opens and is never taken for groups', () => {
    const v2 = { format: 'modelwright', schemaVersion: 2, graph: { nodes: [], edges: [], groups: 'made by a script' } };
    const r = parseDocument(JSON.stringify(v2), { keepGroups: true });
    if (!r.ok) throw new Error(r.error);
    expect(r.doc.graph.groups).toBeUndefined();
    expect((r.doc.graph as Record<string, unknown>).groupsFromV2).toBe('made by a script');
  });
});
