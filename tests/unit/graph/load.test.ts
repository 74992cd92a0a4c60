import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION } from '../../../engine/graph/document';
import { parseDocument, serializeDocument } from '../../../engine/graph/load';
import { MIGRATIONS, migrate } from '../../../engine/graph/migrations';

const EXAMPLES = join(__dirname, '../../../assets/examples');
const FIXTURES = join(__dirname, 'fixtures');

function must(text: string) {
  const r = parseDocument(text);
  if (!r.ok) throw new Error(r.error);
  return r;
}

function error(text: string): string {
  const r = parseDocument(text);
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.error;
}

const minimal = { format: 'modelwright', schemaVersion: 1, graph: { nodes: [], edges: [] } };

describe('parseDocument', () => {
  it('reads every example', () => {
    for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'))) {
      const r = must(readFileSync(join(EXAMPLES, file), 'utf8'));
      expect(r.doc.schemaVersion, file).toBe(CURRENT_SCHEMA_VERSION);
      expect(r.migratedFrom, file).toBeUndefined();
    }
  });

  it('fills in defaults', () => {
    const { doc } = must(JSON.stringify(minimal));
    expect(doc.name).toBe('Untitled');
    expect(doc.training.batchSize).toBe(64);
    // No data section means no data (the graph validates on its own); an empty one means the defaults.
    expect(doc.data).toBeUndefined();
    expect(must(JSON.stringify({ ...minimal, data: {} })).doc.data).toMatchObject({
      source: { builtin: 'surnames' },
      encoding: 'onehot',
      fileEncoding: 'auto',
      tokenizer: 'char',
    });
  });

  it('keeps unknown fields through a load/save round trip', () => {
    const text = JSON.stringify({
      ...minimal,
      futureTopLevel: { a: [1, 2] },
      graph: {
        nodes: [{ id: 'a', type: 'Input', params: { shape: 'auto' }, ui: { x: 1, y: 2, color: 'red' }, group: 'g1' }],
        edges: [],
        futureGraphField: [{ id: 'g1' }],
      },
      data: { source: { builtin: 'surnames', revision: 3 }, futureDataField: true },
      training: { optimizer: { type: 'adam', amsgrad: true }, futureTraining: 'x' },
    });
    const first = must(text).doc;
    const again = must(serializeDocument(first)).doc;
    expect(again).toEqual(first);
    const saved = JSON.parse(serializeDocument(again));
    expect(saved.futureTopLevel).toEqual({ a: [1, 2] });
    expect(saved.graph.futureGraphField).toEqual([{ id: 'g1' }]);
    expect(saved.graph.nodes[0].group).toBe('g1');
    expect(saved.graph.nodes[0].ui.color).toBe('red');
    expect(saved.data.source.revision).toBe(3);
    expect(saved.data.futureDataField).toBe(true);
    expect(saved.training.optimizer.amsgrad).toBe(true);
    expect(saved.training.futureTraining).toBe('x');
  });

  it('serializes as 2-space JSON with a final newline', () => {
    const text = serializeDocument(must(JSON.stringify(minimal)).doc);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toMatch(/^ {2}"format"/);
  });

  it('refuses text that is not JSON', () => {
    expect(error('hello')).toMatch(/not a Modelwright document.*not a JSON object/i);
    expect(error('{ not json }')).toMatch(/not valid JSON/);
    expect(error('')).toMatch(/empty/);
    expect(error('[1, 2]')).toMatch(/not a JSON object/);
  });

  it('says a cut-off file is truncated', () => {
    const full = readFileSync(join(EXAMPLES, 'surname-cnn.json'), 'utf8');
    for (const cut of [10, 200, Math.floor(full.length / 2), full.length - 3]) {
      expect(error(full.slice(0, cut)), `cut at ${cut}`).toMatch(/truncated/);
    }
  });

  it('refuses the wrong format', () => {
    expect(error(JSON.stringify({ ...minimal, format: 'keras' }))).toMatch(/"format" is "keras"; expected "format": "modelwright"/);
    expect(error(JSON.stringify({ schemaVersion: 1 }))).toMatch(/no "format" field/);
  });

  it('refuses a newer schemaVersion with the versions in the message', () => {
    const v = CURRENT_SCHEMA_VERSION + 1;
    expect(error(JSON.stringify({ ...minimal, schemaVersion: v }))).toContain(
      `made by a newer Modelwright (v${v}); this one reads up to v${CURRENT_SCHEMA_VERSION}`,
    );
    expect(error(JSON.stringify({ ...minimal, schemaVersion: '1' }))).toMatch(/schemaVersion/);
  });

  it('reports schema errors with their JSON path', () => {
    const bad = {
      ...minimal,
      graph: {
        nodes: [
          { id: 'a', type: 'Input' },
          { id: '', type: 'Dense' },
        ],
        edges: [{ id: 'e', source: 'a' }],
      },
    };
    const msg = error(JSON.stringify(bad));
    expect(msg).toContain('graph.nodes[1].id');
    expect(msg).toContain('graph.edges[0].target');
    expect(error(JSON.stringify({ ...minimal, training: { batchSize: 0 } }))).toContain('training.batchSize');
  });

  it('cannot pollute prototypes', () => {
    const text =
      '{"format":"modelwright","schemaVersion":1,"__proto__":{"polluted":true},"graph":{"nodes":[{"id":"a","type":"Input","params":{"__proto__":{"x":1}}}],"edges":[]}}';
    const { doc } = must(text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
  });

  it('refuses 100 MB of noise quickly with one error', () => {
    let seed = 7;
    const chunk = Array.from({ length: 1 << 16 }, () => String.fromCharCode(32 + ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 95))).join('');
    const noise = chunk.repeat(Math.ceil(100_000_000 / chunk.length));
    const t0 = performance.now();
    const msg = error(noise);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(msg).toMatch(/Not a Modelwright document/);
    // Noise that starts like JSON is still refused by the parser, not by luck.
    expect(error(`{${chunk}`)).toMatch(/not valid JSON|truncated/);
  });
});

describe('migrations', () => {
  it('are numbered from 0 without gaps up to the current version, each described', () => {
    MIGRATIONS.forEach((m, i) => {
      expect(m.from).toBe(i);
      expect(m.description.length).toBeGreaterThan(10);
    });
    expect(MIGRATIONS.length).toBe(CURRENT_SCHEMA_VERSION);
  });

  it('reads a fixture of every old version, and it equals its current counterpart', () => {
    for (let v = 0; v < CURRENT_SCHEMA_VERSION; v++) {
      const old = readFileSync(join(FIXTURES, `v${v}.json`), 'utf8');
      const r = must(old);
      expect(r.migratedFrom).toBe(v);
      const expected = must(readFileSync(join(FIXTURES, `v${v}.expected.json`), 'utf8'));
      expect(r.doc).toEqual(expected.doc);
    }
  });

  it('are pure: the input is not changed', () => {
    const v0 = JSON.parse(readFileSync(join(FIXTURES, 'v0.json'), 'utf8'));
    const copy = structuredClone(v0);
    migrate(v0, 0);
    expect(v0).toEqual(copy);
  });
});
