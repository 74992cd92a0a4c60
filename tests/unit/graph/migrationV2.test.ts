/** v1 → v2, the migration that brought sweeps into the file format. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION } from '../../../engine/graph/document';
import { parseDocument } from '../../../engine/graph/load';
import { MIGRATIONS, migrate } from '../../../engine/graph/migrations';

const FIXTURES = join(__dirname, 'fixtures');

describe('v1 → v2', () => {
  it('is the second step, described', () => {
    expect(CURRENT_SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
    expect(MIGRATIONS[1]!.from).toBe(1);
    expect(MIGRATIONS[1]!.description).toMatch(/sweep/);
  });

  it('keeps a v1 document as it was, but for its version', () => {
    const v1 = { format: 'modelwright', schemaVersion: 1, name: 'Old', graph: { nodes: [], edges: [] }, training: { epochs: 3 }, extra: [1] };
    expect(MIGRATIONS[1]!.migrate(v1)).toEqual({ ...v1, schemaVersion: 2 });
    expect(migrate(v1, 1)).toEqual({ ...v1, schemaVersion: CURRENT_SCHEMA_VERSION });
    const r = parseDocument(JSON.stringify(v1));
    expect(r.ok && r.migratedFrom).toBe(1);
    expect(r.ok && r.doc.sweep).toBeUndefined();
    expect(r.ok && r.doc.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
  });

  it('keeps a v1 file’s own `sweep` field aside, so it opens and is never taken for a sweep', () => {
    const r = parseDocument(readFileSync(join(FIXTURES, 'v1.json'), 'utf8'));
    if (!r.ok) throw new Error(r.error);
    expect(r.migratedFrom).toBe(1);
    expect(r.doc.sweep).toBeUndefined();
    expect((r.doc as Record<string, unknown>).sweepFromV1).toEqual({ lr: [0.0001, 0.1], note: 'a hand-written field v1 kept as unknown' });
    expect((r.doc as Record<string, unknown>).v1Note).toBe('unknown fields survive migration');
  });

  it('is pure, and a v0 file goes through both steps', () => {
    const v1 = JSON.parse(readFileSync(join(FIXTURES, 'v1.json'), 'utf8'));
    const copy = structuredClone(v1);
    migrate(v1, 1);
    expect(v1).toEqual(copy);
    const v0 = parseDocument(readFileSync(join(FIXTURES, 'v0.json'), 'utf8'));
    expect(v0.ok && v0.migratedFrom).toBe(0);
    expect(v0.ok && v0.doc.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
  });
});
