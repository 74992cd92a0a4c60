/**
 * Schema migrations: numbered, pure steps that each lift a document one version up. A file is
 * migrated step by step from its own `schemaVersion` to CURRENT_SCHEMA_VERSION before the zod
 * schema checks it. A feature that needs new fields adds the next step here, bumps
 * CURRENT_SCHEMA_VERSION, and adds a fixture of the old version to the tests (as v1 → v2 did for
 * sweeps).
 *
 * Steps work on plain JSON (`Record<string, unknown>`), never on the typed Document, because
 * their input is by definition not a current document. They copy; they never mutate their input.
 * Unknown fields pass through untouched.
 */
import { CURRENT_SCHEMA_VERSION } from './document';

export type JsonObject = Record<string, unknown>;

export interface Migration {
  /** The version this step reads; it writes `from + 1`. */
  from: number;
  /** What changed, for people reading the code and the file-format doc. */
  description: string;
  migrate(doc: JsonObject): JsonObject;
}

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * v0 → v1. Version 0 is the pre-release draft format of the first prototypes: a node kept its
 * canvas position as `position: {x, y}` beside its params, and a wire was `{id, from, to}` between
 * node ids with no port names. v1 moves the position into `ui` (the part the engine ignores) and
 * names both ends of a wire: `{source, sourcePort: "out", target, targetPort: "in"}`.
 */
const v0ToV1: Migration = {
  from: 0,
  description: 'Move node `position` into `ui`; rename edge `from`/`to` to `source`/`target` and add ports "out"/"in".',
  migrate(doc) {
    const graph = isObject(doc.graph) ? doc.graph : {};
    const nodes = Array.isArray(graph.nodes) ? graph.nodes : [];
    const edges = Array.isArray(graph.edges) ? graph.edges : [];
    return {
      ...doc,
      schemaVersion: 1,
      graph: {
        ...graph,
        nodes: nodes.map((n) => {
          if (!isObject(n) || !('position' in n)) return n;
          const { position, ...rest } = n;
          const ui = isObject(rest.ui) ? rest.ui : {};
          return isObject(position) ? { ...rest, ui: { ...ui, x: position.x, y: position.y } } : rest;
        }),
        edges: edges.map((e) => {
          if (!isObject(e)) return e;
          const { from, to, ...rest } = e;
          return {
            ...rest,
            source: rest.source ?? from,
            sourcePort: rest.sourcePort ?? 'out',
            target: rest.target ?? to,
            targetPort: rest.targetPort ?? 'in',
          };
        }),
      },
    };
  },
};

/**
 * v1 → v2. Version 2 adds the optional top-level `sweep` (a hyperparameter search: params with
 * a range and a scale, the method, the trial budget, the seed, successive halving). v1 had no
 * sweeps, so a v1 document is unchanged but for its version. A `sweep` field in a v1 file was
 * not v1's (its loose objects kept it as an unknown field); it moves to `sweepFromV1`, so it is
 * still kept and can never be taken for a v2 sweep or make the file fail to open.
 */
const v1ToV2: Migration = {
  from: 1,
  description: 'Add the optional `sweep` section; a `sweep` field a v1 file carried (unknown to v1) is kept as `sweepFromV1`.',
  migrate(doc) {
    if (!('sweep' in doc)) return { ...doc, schemaVersion: 2 };
    const { sweep, ...rest } = doc;
    return { ...rest, sweepFromV1: sweep, schemaVersion: 2 };
  },
};

/**
 * v2 → v3. Version 3 adds the optional `graph.groups` (reusable groups of blocks, placed as
 * `Group` nodes). v2 had no groups, so a v2 document is unchanged but for its version. A
 * `groups` field a v2 graph carried (unknown to v2) moves to `graph.groupsFromV2`, so it is kept
 * and can never be taken for v3 groups or make the file fail to open.
 */
const v2ToV3: Migration = {
  from: 2,
  description: 'Add the optional `graph.groups` (reusable groups); a `groups` field a v2 graph carried (unknown to v2) is kept as `graph.groupsFromV2`.',
  migrate(doc) {
    const graph = doc.graph;
    if (!isObject(graph) || !('groups' in graph)) return { ...doc, schemaVersion: 3 };
    const { groups, ...rest } = graph;
    return { ...doc, graph: { ...rest, groupsFromV2: groups }, schemaVersion: 3 };
  },
};

/** Every step, in order; `MIGRATIONS[i].from === i`. */
export const MIGRATIONS: readonly Migration[] = [v0ToV1, v1ToV2, v2ToV3];

/** The oldest version this build can still read. */
export const OLDEST_SCHEMA_VERSION = MIGRATIONS.length ? MIGRATIONS[0]!.from : CURRENT_SCHEMA_VERSION;

/** Lifts a document of version `from` to the current version, step by step. */
export function migrate(doc: JsonObject, from: number): JsonObject {
  let current = doc;
  for (let v = from; v < CURRENT_SCHEMA_VERSION; v++) {
    const step = MIGRATIONS.find((m) => m.from === v);
    if (!step) throw new Error(`No migration from schema version ${v}`);
    current = step.migrate(current);
    current = { ...current, schemaVersion: v + 1 };
  }
  return current;
}
