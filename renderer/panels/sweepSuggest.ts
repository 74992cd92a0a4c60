/**
 * What the sweep editor offers: every target a sweep can vary in this document (the training
 * settings its optimizer uses, and each block's number and choice params), and a first range
 * for a newly added one, on the scale the course would pick: the learning rate log-uniform over
 * 1e-4…1e-1, β and momentum as 1 − β, units and filters log-scaled whole numbers, a rate linear.
 * Pure, so it is tested without a browser.
 */
import { getBlock } from '../../engine/blocks/registry';
import { SWEEP_TRAINING_SETTINGS, type Document, type SweepParam, type SweepTarget } from '../../engine/graph/document';
import { isTrainingTarget, readTarget, sweepTargetSchema, targetPath } from '../../engine/graph/sweep';
import { describeField, describeParams, labelOf } from '../inspector/paramFields';
import { t } from '../i18n';

export interface TargetOption {
  target: SweepTarget;
  path: string;
  /** "Learning rate", "hidden · Units". */
  label: string;
  group: 'Training' | 'Blocks';
}

const TRAINING_LABELS: Record<(typeof SWEEP_TRAINING_SETTINGS)[number], string> = {
  'optimizer.type': 'Optimizer',
  'optimizer.lr': 'Learning rate',
  'optimizer.beta1': 'β1 (Adam)',
  'optimizer.beta2': 'β2 (Adam)',
  'optimizer.momentum': 'Momentum',
  'optimizer.rho': 'Rho (RMSprop)',
  batchSize: 'Batch size',
  weightDecay: 'Weight decay (L2)',
  clipNorm: 'Clip gradient norm',
  'schedule.type': 'LR schedule',
  'schedule.gamma': 'Schedule gamma',
  'schedule.warmupEpochs': 'Warm-up epochs',
};

/** Every target of `doc`: the training settings, then each node's number and choice params. */
export function targetOptions(doc: Document): TargetOption[] {
  const out: TargetOption[] = SWEEP_TRAINING_SETTINGS.map((training) => ({
    target: { training },
    path: `training.${training}`,
    label: t(`sweep.training.${training}`, { defaultValue: TRAINING_LABELS[training] }),
    group: 'Training' as const,
  }));
  for (const node of doc.graph.nodes) {
    const block = getBlock(node.type);
    if (!block) continue;
    for (const field of describeParams(block.params)) {
      if (field.edit.kind !== 'number' && field.edit.kind !== 'choice' && field.edit.kind !== 'boolean') continue;
      const target: SweepTarget = { node: node.id, param: field.key };
      out.push({ target, path: targetPath(target), label: `${node.id} · ${t(`blocks.label.${field.key}`, { defaultValue: field.label })}`, group: 'Blocks' });
    }
  }
  return out;
}

const round = (v: number) => Number(v.toPrecision(3));

/** A first range for `target` on its natural scale, within what it accepts. */
export function suggestParam(doc: Document, target: SweepTarget): SweepParam {
  const schema = sweepTargetSchema(doc, target);
  const key = isTrainingTarget(target) ? target.training : target.param;
  const field = schema ? describeField(key, schema) : null;
  const edit = field?.edit;
  if (edit?.kind === 'choice') return { target, scale: 'choice', choices: [...edit.options].slice(0, 8) };
  if (edit?.kind === 'boolean') return { target, scale: 'choice', choices: [false, true] };
  const current = Number(readTarget(doc, target));
  const cur = Number.isFinite(current) && current > 0 ? current : 1;
  const lo = edit?.kind === 'number' ? edit.min : undefined;
  const hi = edit?.kind === 'number' ? edit.max : undefined;
  const within = (v: number) => Math.min(hi ?? v, Math.max(lo ?? v, v));
  if (key === 'optimizer.lr' || key === 'lr') return { target, scale: 'log', min: 1e-4, max: 1e-1 };
  if (/beta|momentum|rho/i.test(key)) return { target, scale: 'oneMinusLog', min: 0.8, max: 0.999 };
  if (/weightDecay|l2/i.test(key)) return { target, scale: 'log', min: 1e-6, max: 1e-2 };
  if (key === 'batchSize') return { target, scale: 'choice', choices: [32, 64, 128, 256] };
  if (edit?.kind === 'number' && edit.int) {
    if (cur >= 8) return { target, scale: 'intLog', min: Math.max(lo ?? 1, Math.round(cur / 4)), max: Math.round(within(cur * 4)) };
    return { target, scale: 'int', min: Math.max(lo ?? 1, 1), max: Math.round(within(Math.max(cur * 2, (lo ?? 1) + 4))) };
  }
  if (hi !== undefined && hi <= 1) return { target, scale: 'linear', min: Math.max(lo ?? 0, 0), max: round(Math.min(hi, 0.6)) };
  return { target, scale: 'linear', min: round(within(cur / 2)), max: round(within(cur * 2)) };
}

/** A readable name for a target (its option's label, else its path). */
export function targetName(doc: Document, target: SweepTarget): string {
  const path = targetPath(target);
  return targetOptions(doc).find((o) => o.path === path)?.label ?? labelOf(path);
}
