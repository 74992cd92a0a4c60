/**
 * A sweep as part of the Document: what each target names (a training setting, or one block
 * param of one node by its id), its path for people and the CLI, the checks a sweep must pass
 * against the document it belongs to, and the typed edit that writes one configuration into a
 * Document (a trial's, or the best one that "apply" keeps). Pure; the search itself is
 * engine/tune's.
 */
import type { z } from 'zod';
import { getBlock } from '../blocks/registry';
import { english, otherWords, type Words } from '../words';
import {
  OptimizerSchema,
  ScheduleSchema,
  SWEEP_TRAINING_SETTINGS,
  TrainingSchema,
  nodeId,
  type Document,
  type NodeId,
  type SweepRangeParam,
  type SweepSpec,
  type SweepTarget,
  type SweepTrainingSetting,
  type TrainingSpec,
  type TrainingTarget,
} from './document';

/** A value a sweep gives one param. */
export type SweepValue = number | string | boolean;
/** One configuration: each param's value, by its target's path (`targetPath`). */
export type SweepConfig = Record<string, SweepValue>;

interface TrainingSetting {
  schema: z.ZodType;
  get(t: TrainingSpec): unknown;
  set(t: TrainingSpec, value: SweepValue): TrainingSpec;
}

const optimizer = (key: keyof TrainingSpec['optimizer']): TrainingSetting => ({
  schema: OptimizerSchema.shape[key as keyof typeof OptimizerSchema.shape],
  get: (t) => t.optimizer[key],
  set: (t, value) => ({ ...t, optimizer: { ...t.optimizer, [key]: value } }),
});
const schedule = (key: 'type' | 'gamma' | 'warmupEpochs'): TrainingSetting => ({
  schema: ScheduleSchema.shape[key],
  get: (t) => t.schedule[key],
  set: (t, value) => ({ ...t, schedule: { ...t.schedule, [key]: value } }),
});
const training = (key: 'batchSize' | 'weightDecay' | 'clipNorm'): TrainingSetting => ({
  schema: TrainingSchema.shape[key],
  get: (t) => t[key],
  set: (t, value) => ({ ...t, [key]: value }),
});

/** How each training setting a sweep may vary is checked, read and written. */
const TRAINING_SETTINGS: Record<SweepTrainingSetting, TrainingSetting> = {
  'optimizer.type': optimizer('type'),
  'optimizer.lr': optimizer('lr'),
  'optimizer.beta1': optimizer('beta1'),
  'optimizer.beta2': optimizer('beta2'),
  'optimizer.momentum': optimizer('momentum'),
  'optimizer.rho': optimizer('rho'),
  batchSize: training('batchSize'),
  weightDecay: training('weightDecay'),
  clipNorm: training('clipNorm'),
  'schedule.type': schedule('type'),
  'schedule.gamma': schedule('gamma'),
  'schedule.warmupEpochs': schedule('warmupEpochs'),
};

/** Whether a target is a training setting (else it is a block param of a node). */
export function isTrainingTarget(target: SweepTarget): target is TrainingTarget {
  return typeof (target as { training?: unknown }).training === 'string';
}

/** `training.optimizer.lr`, or `graph.nodes.<id>.params.<name>`: a target as people read it. */
export function targetPath(target: SweepTarget): string {
  return isTrainingTarget(target) ? `training.${target.training}` : `graph.nodes.${target.node}.params.${target.param}`;
}

/** A short label for charts and table heads: `lr`, `dropout.rate`. */
export function targetLabel(target: SweepTarget): string {
  if (!isTrainingTarget(target)) return `${target.node}.${target.param}`;
  const [head, tail] = target.training.split('.');
  return head === 'optimizer' ? tail! : target.training;
}

export type TargetParse = { ok: true; target: SweepTarget } | { ok: false; message: string };

/**
 * Reads a path written by `targetPath` (or typed on a command line). A node id may hold dots,
 * a param name does not, so the node's id is everything up to the last `.params.`.
 */
export function parseTargetPath(path: string): TargetParse {
  if (path.startsWith('training.')) {
    const setting = path.slice('training.'.length);
    if ((SWEEP_TRAINING_SETTINGS as readonly string[]).includes(setting)) return { ok: true, target: { training: setting as SweepTrainingSetting } };
    return {
      ok: false,
      message: `"${path}" is not a training setting a sweep can vary (those are: ${SWEEP_TRAINING_SETTINGS.map((s) => `training.${s}`).join(', ')})`,
    };
  }
  const at = path.lastIndexOf('.params.');
  if (path.startsWith('graph.nodes.') && at > 'graph.nodes.'.length - 1) {
    const id = path.slice('graph.nodes.'.length, at);
    const param = path.slice(at + '.params.'.length);
    if (id.length > 0 && id.length <= 200 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(param)) return { ok: true, target: { node: nodeId(id), param } };
  }
  return {
    ok: false,
    message: `"${path}" is not a sweep target: write training.<setting> (e.g. training.optimizer.lr) or graph.nodes.<node id>.params.<param> (e.g. graph.nodes.dropout.params.rate)`,
  };
}

/** What is wrong with a sweep, as a value (the UI lists it; the CLI prints it and exits 1). */
export interface SweepIssue {
  code: 'no-params' | 'unknown-node' | 'unknown-param' | 'duplicate-target' | 'bad-range' | 'bad-value';
  /** The param's index in `sweep.params`; null for the sweep as a whole. */
  index: number | null;
  /** The param's target path, when the issue is one param's. */
  path: string | null;
  /** The node a block-param target names. */
  nodeId?: NodeId;
  message: string;
  /** The message by key and values, for the renderer to say in the user's language. */
  words: Words;
}

/** An issue's message and words from its words. */
const says = (words: Words): { message: string; words: Words } => ({ message: english(words), words });

type Resolved = { ok: true; schema: z.ZodType } | { ok: false; issue: Omit<SweepIssue, 'index' | 'path'> };

/** The schema of the value a target takes in `doc`, or why the target names nothing there. */
function resolveTarget(doc: Pick<Document, 'graph'>, target: SweepTarget): Resolved {
  if (isTrainingTarget(target)) return { ok: true, schema: TRAINING_SETTINGS[target.training].schema };
  const node = doc.graph.nodes.find((n) => n.id === target.node);
  if (!node) {
    return {
      ok: false,
      issue: {
        code: 'unknown-node',
        nodeId: target.node,
        ...says({ key: 'sweep.unknownNode', params: { node: target.node } }),
      },
    };
  }
  const block = getBlock(node.type);
  if (!block)
    return {
      ok: false,
      issue: {
        code: 'unknown-param',
        nodeId: node.id,
        ...says({ key: 'sweep.unknownBlock', params: { node: node.id, type: node.type } }),
      },
    };
  const schema = (block.params.shape as Record<string, z.ZodType | undefined>)[target.param];
  if (!schema) {
    const has = Object.keys(block.params.shape);
    return {
      ok: false,
      issue: {
        code: 'unknown-param',
        nodeId: node.id,
        ...says(
          has.length
            ? { key: 'sweep.unknownParam', params: { node: node.id, type: node.type, param: target.param, has: has.join(', ') } }
            : { key: 'sweep.unknownParamNone', params: { node: node.id, type: node.type, param: target.param } },
        ),
      },
    };
  }
  return { ok: true, schema };
}

/** The schema of the value `target` takes in `doc` (for forms and suggestions), or null when it names nothing there. */
export function sweepTargetSchema(doc: Pick<Document, 'graph'>, target: SweepTarget): z.ZodType | null {
  const r = resolveTarget(doc, target);
  return r.ok ? r.schema : null;
}

function zodWords(schema: z.ZodType, value: unknown): Words | null {
  const r = schema.safeParse(value);
  if (r.success) return null;
  const issue = r.error.issues[0];
  if (!issue) return { key: 'value.invalid' };
  switch (issue.code) {
    case 'too_small':
      return { key: issue.inclusive ? 'value.atLeast' : 'value.moreThan', params: { min: String(issue.minimum) } };
    case 'too_big':
      return { key: issue.inclusive ? 'value.atMost' : 'value.lessThan', params: { max: String(issue.maximum) } };
    case 'invalid_type':
      return issue.expected === 'int' ? { key: 'value.whole' } : otherWords(issue.message);
    case 'invalid_value':
      return { key: 'value.oneOf', params: { values: issue.values.map((v) => JSON.stringify(v)).join(', ') } };
    default:
      // zod's own words for the rarer checks, as they came.
      return otherWords(issue.message);
  }
}

const formatBound = (v: number): string => String(Number(v.toPrecision(6)));

/** Whether a range param's bounds make sense for its scale; a sentence when not. */
function rangeProblem(p: SweepRangeParam): Words | null {
  if (!(p.min < p.max)) return { key: 'sweep.range.order', params: { min: formatBound(p.min), max: formatBound(p.max) } };
  if ((p.scale === 'log' || p.scale === 'intLog') && p.min <= 0) return { key: 'sweep.range.logMin', params: { scale: p.scale, min: formatBound(p.min) } };
  if (p.scale === 'oneMinusLog' && p.max >= 1) return { key: 'sweep.range.oneMinusLogMax', params: { max: formatBound(p.max) } };
  if ((p.scale === 'int' || p.scale === 'intLog') && (!Number.isInteger(p.min) || !Number.isInteger(p.max)))
    return { key: 'sweep.range.whole', params: { scale: p.scale } };
  return null;
}

/**
 * Every problem of `sweep` against `doc`: no params, a target naming a node the graph lacks or a
 * param its block lacks, one target twice, a range its scale cannot sample, or a bound or
 * choice the setting or param does not take (checked with its own schema).
 */
export function validateSweep(doc: Pick<Document, 'graph'>, sweep: SweepSpec): SweepIssue[] {
  const issues: SweepIssue[] = [];
  if (sweep.params.length === 0) issues.push({ code: 'no-params', index: null, path: null, ...says({ key: 'sweep.noParams' }) });
  const seen = new Set<string>();
  sweep.params.forEach((p, index) => {
    const path = targetPath(p.target);
    const at = (issue: Omit<SweepIssue, 'index' | 'path'>) => issues.push({ ...issue, index, path });
    if (seen.has(path)) at({ code: 'duplicate-target', ...says({ key: 'sweep.twice', params: { path } }) });
    seen.add(path);
    const resolved = resolveTarget(doc, p.target);
    if (!resolved.ok) return at(resolved.issue);
    const nodeOf = isTrainingTarget(p.target) ? {} : { nodeId: p.target.node };
    if (p.scale === 'choice') {
      for (const c of p.choices) {
        const why = zodWords(resolved.schema, c);
        if (why) at({ code: 'bad-value', ...nodeOf, ...says({ key: 'sweep.badChoice', params: { path, value: JSON.stringify(c), why } }) });
      }
      return;
    }
    const problem = rangeProblem(p);
    if (problem) return at({ code: 'bad-range', ...nodeOf, ...says({ key: 'sweep.badRange', params: { path, problem } }) });
    for (const bound of [p.min, p.max]) {
      const why = zodWords(resolved.schema, bound);
      if (why) at({ code: 'bad-value', ...nodeOf, ...says({ key: 'sweep.badBound', params: { path, value: formatBound(bound), why } }) });
    }
  });
  return issues;
}

/** The value `target` has in `doc` now (a block param left out reads as its block's default). */
export function readTarget(doc: Document, target: SweepTarget): unknown {
  if (isTrainingTarget(target)) return TRAINING_SETTINGS[target.training].get(doc.training);
  const node = doc.graph.nodes.find((n) => n.id === target.node);
  if (!node) return undefined;
  if (target.param in node.params) return node.params[target.param];
  const schema = (getBlock(node.type)?.params.shape as Record<string, z.ZodType | undefined> | undefined)?.[target.param];
  const parsed = schema?.safeParse(undefined);
  return parsed?.success ? parsed.data : undefined;
}

/**
 * `doc` with one configuration written in: each path's training setting or block param set to
 * its value; everything else (unknown fields included) kept. Returns `doc` itself when nothing
 * changes, so an edit that applies the values already there records no undo step. Throws on a
 * path that is not a target (a bug: configurations come from targetPath).
 */
export function applyConfig(doc: Document, config: SweepConfig): Document {
  let trainingSpec = doc.training;
  const params = new Map<string, Record<string, unknown>>();
  for (const [path, value] of Object.entries(config)) {
    const parsed = parseTargetPath(path);
    if (!parsed.ok) throw new Error(parsed.message);
    const t = parsed.target;
    if (isTrainingTarget(t)) {
      const setting = TRAINING_SETTINGS[t.training];
      if (!Object.is(setting.get(trainingSpec), value)) trainingSpec = setting.set(trainingSpec, value);
      continue;
    }
    const node = doc.graph.nodes.find((n) => n.id === t.node);
    if (!node) continue;
    const current = params.get(node.id) ?? node.params;
    if (!Object.is(current[t.param], value)) params.set(node.id, { ...current, [t.param]: value });
  }
  if (trainingSpec === doc.training && params.size === 0) return doc;
  const nodes = params.size === 0 ? doc.graph.nodes : doc.graph.nodes.map((n) => (params.has(n.id) ? { ...n, params: params.get(n.id)! } : n));
  return { ...doc, training: trainingSpec, graph: params.size === 0 ? doc.graph : { ...doc.graph, nodes } };
}

/** The search a document without a sweep gets: the learning rate, log-uniform over 1e-4…1e-1. */
export function defaultSweep(overrides: Partial<Pick<SweepSpec, 'trials' | 'seed'>> = {}): SweepSpec {
  return {
    params: [{ target: { training: 'optimizer.lr' }, scale: 'log', min: 1e-4, max: 1e-1 }],
    method: 'random',
    trials: overrides.trials ?? 12,
    seed: overrides.seed ?? 1,
    gridSteps: 3,
    halving: { enabled: true, minEpochs: 1, reduction: 3 },
  };
}

/** `doc` with `sweep` as its sweep (undefined removes it). */
export function withSweep(doc: Document, sweep: SweepSpec | undefined): Document {
  if (sweep === doc.sweep) return doc;
  if (sweep === undefined) {
    const { sweep: _dropped, ...rest } = doc;
    return rest as Document;
  }
  return { ...doc, sweep };
}
