import { useMemo } from 'react';
import { z } from 'zod';
import { OptimizerSchema, SCHEDULE_DEFAULTS, ScheduleSchema, TrainingSchema, type Document } from '../../engine/graph/document';
import { FieldInput } from '../inspector/FieldInput';
import { describeField, type ParamField } from '../inspector/paramFields';
import { useAppStore } from '../state/appStore';
import { useDocumentStore } from '../state/documentStore';
import { patchOptimizer, patchTraining } from '../state/edits';

type Training = Document['training'];
type Optimizer = Training['optimizer'];
type Schedule = Training['schedule'];
type ClassWeights = Training['classWeights'];

/** Which optimizer settings apply to which optimizer. */
const OPTIMIZER_FIELDS: Record<Optimizer['type'], (keyof Optimizer)[]> = {
  sgd: ['lr'],
  momentum: ['lr', 'momentum', 'nesterov'],
  adam: ['lr', 'beta1', 'beta2', 'epsilon'],
  rmsprop: ['lr', 'rho', 'momentum', 'epsilon'],
  adagrad: ['lr'],
};

/** Which schedule settings apply to which schedule; warm-up applies to every one. */
const SCHEDULE_FIELDS: Record<Schedule['type'], ('gamma' | 'stepSize' | 'minLr' | 'decayRate')[]> = {
  constant: [],
  exponential: ['gamma'],
  step: ['gamma', 'stepSize'],
  cosine: ['minLr'],
  inverseTime: ['decayRate'],
};

const HELP: Record<string, string> = {
  type: 'How the weights follow the gradient. Adam is a good first choice.',
  lr: 'Learning rate: the size of each step. Too high and the loss jumps about; too low and it barely moves.',
  beta1: 'How much of the gradient’s running mean each step keeps.',
  beta2: 'How much of the squared gradient’s running mean each step keeps.',
  epsilon: 'A small number that keeps the update finite.',
  momentum: 'How much of the previous step carries into the next (0: none).',
  nesterov: 'Nesterov momentum: take the gradient where the momentum is about to carry the weights.',
  rho: 'How much of the squared gradient’s running mean each step keeps (PyTorch calls it alpha).',
  batchSize: 'Examples per step. Larger batches give smoother but fewer steps per epoch.',
  epochs: 'Passes over the training split.',
  seed: 'Fixes the initial weights and the order of examples, so runs repeat exactly.',
  schedule: 'How the learning rate changes from epoch to epoch.',
  gamma: 'The factor the learning rate is multiplied by (each epoch, or each step of epochs).',
  stepSize: 'Epochs between two drops of the learning rate.',
  minLr: 'The learning rate the last epoch reaches.',
  decayRate: 'k in lr / (1 + k · epoch): how fast the learning rate falls.',
  warmupEpochs: 'Epochs that climb linearly to the learning rate before the schedule starts (0: none).',
  weightDecay: 'L2 penalty: adds decay × weight to every gradient, pulling weights towards 0 (against overfitting).',
  clipNorm: 'Scales the gradients down when their overall size is above this (against exploding gradients). Empty: off.',
  classWeights:
    'How much each class counts in the loss. inverse: rare classes count more (total / (classes × count)); inverseLog: 1 / ln(count), as the course weights the surnames; per class: your own weights.',
};

const WEIGHT_CHOICES = ['none', 'inverse', 'inverseLog', 'per class'] as const;

function field(key: string, schema: unknown, label?: string): ParamField {
  const f = describeField(key, schema as z.ZodType);
  return { ...f, help: f.help ?? HELP[key], ...(label ? { label } : {}) };
}

/** The document's training settings, generated from the Document schema. */
export function TrainingSettings() {
  const training = useDocumentStore((s) => s.history?.present.training ?? null);
  const edit = useDocumentStore((s) => s.edit);
  const data = useAppStore((s) => s.data);
  const fields = useMemo(() => {
    const o = OptimizerSchema.shape;
    const t = TrainingSchema.shape;
    const s = ScheduleSchema.shape;
    return {
      type: field('type', o.type, 'Optimizer'),
      optimizer: {
        lr: field('lr', o.lr, 'Learning rate'),
        beta1: field('beta1', o.beta1),
        beta2: field('beta2', o.beta2),
        epsilon: field('epsilon', o.epsilon),
        momentum: field('momentum', o.momentum),
        nesterov: field('nesterov', o.nesterov),
        rho: field('rho', o.rho, 'Rho (decay)'),
      } as Record<string, ParamField>,
      batchSize: field('batchSize', t.batchSize),
      epochs: field('epochs', t.epochs),
      schedule: field('schedule', s.type, 'LR schedule'),
      scheduleSettings: {
        gamma: field('gamma', s.gamma, 'Decay factor (gamma)'),
        stepSize: field('stepSize', s.stepSize, 'Step size (epochs)'),
        minLr: field('minLr', s.minLr, 'Final learning rate'),
        decayRate: field('decayRate', s.decayRate),
        warmupEpochs: field('warmupEpochs', s.warmupEpochs, 'Warm-up epochs'),
      },
      weightDecay: field('weightDecay', t.weightDecay),
      clipNorm: field('clipNorm', t.clipNorm, 'Clip gradient norm'),
      // The form's choice: the three rules, or "per class", which edits the record below it.
      classWeights: field('classWeights', z.enum(WEIGHT_CHOICES).default('none'), 'Class weights'),
      classWeight: field('weight', t.classWeights.unwrap().options[1].valueType.optional()),
      seed: field('seed', t.seed),
      patience: field('patience', TrainingSchema.shape.earlyStopping.unwrap().shape.patience),
    };
  }, []);
  if (!training) return null;

  const opt = training.optimizer;
  const setOpt = (key: keyof Optimizer, value: unknown) => edit((doc) => patchOptimizer(doc, { [key]: value }), `optimizer:${key}`);
  const setTraining = (key: keyof Training, value: unknown) => edit((doc) => patchTraining(doc, { [key]: value }), `training:${key}`);
  const setSchedule = (key: keyof Schedule, value: unknown) => setTraining('schedule', { ...training.schedule, [key]: value });
  const early = training.earlyStopping;
  const schedule = training.schedule;
  const scheduleDefaults = (SCHEDULE_DEFAULTS as Record<string, Record<string, number>>)[schedule.type] ?? {};
  const weights = training.classWeights;
  const summary = data.status === 'ok' ? data.summary : null;

  return (
    <div className="inspector-body" data-testid="training-settings">
      <h4 className="section">Optimizer</h4>
      <FieldInput field={fields.type} value={opt.type} onCommit={(v) => setOpt('type', v)} testId="training-optimizer" />
      {OPTIMIZER_FIELDS[opt.type].map((key) => {
        const f = fields.optimizer[key];
        return f ? <FieldInput key={key} field={f} value={opt[key]} onCommit={(v) => setOpt(key, v)} testId={`training-${key}`} /> : null;
      })}
      <h4 className="section">Run</h4>
      <FieldInput field={fields.epochs} value={training.epochs} onCommit={(v) => setTraining('epochs', v)} testId="training-epochs" />
      <FieldInput field={fields.batchSize} value={training.batchSize} onCommit={(v) => setTraining('batchSize', v)} testId="training-batchSize" />
      <FieldInput field={fields.schedule} value={schedule.type} onCommit={(v) => setSchedule('type', v)} testId="training-schedule" />
      {[...SCHEDULE_FIELDS[schedule.type], 'warmupEpochs' as const].map((key) => (
        <FieldInput
          key={`${schedule.type}:${key}`}
          // A setting left out takes its schedule's default; show that default.
          field={{ ...fields.scheduleSettings[key], defaultValue: key === 'warmupEpochs' ? 0 : scheduleDefaults[key] }}
          value={schedule[key]}
          onCommit={(v) => setSchedule(key, v)}
          testId={`training-schedule-${key}`}
        />
      ))}
      <FieldInput field={fields.seed} value={training.seed} onCommit={(v) => setTraining('seed', v)} testId="training-seed" />
      <h4 className="section">Loss and gradients</h4>
      <FieldInput
        field={fields.classWeights}
        value={typeof weights === 'string' ? weights : 'per class'}
        onCommit={(v) => setTraining('classWeights', v === 'per class' ? (typeof weights === 'object' ? weights : {}) : v)}
        testId="training-classWeights"
      />
      {typeof weights === 'object' && (
        <ClassWeightFields
          weights={weights}
          classes={summary?.classes ?? Object.keys(weights)}
          counts={summary?.trainClassCounts ?? summary?.classCounts}
          field={fields.classWeight}
          onChange={(next) => setTraining('classWeights', next)}
        />
      )}
      <FieldInput field={fields.weightDecay} value={training.weightDecay} onCommit={(v) => setTraining('weightDecay', v)} testId="training-weightDecay" />
      <FieldInput field={fields.clipNorm} value={training.clipNorm} onCommit={(v) => setTraining('clipNorm', v)} testId="training-clipNorm" />
      <h4 className="section">Early stopping</h4>
      <div className="field">
        <div className="field-row">
          <label htmlFor="early-stopping">Stop when dev loss stalls</label>
          <div className="field-control">
            <input
              id="early-stopping"
              type="checkbox"
              className="switch"
              checked={early !== undefined}
              onChange={(e) => setTraining('earlyStopping', e.target.checked ? { patience: 3, restoreBest: true } : undefined)}
              data-testid="training-early-stopping"
            />
          </div>
        </div>
        <div className="field-help">Ends the run once the dev loss has not improved for a few epochs, and keeps the best weights.</div>
      </div>
      {early && (
        <FieldInput
          field={{ ...fields.patience, help: 'Epochs without a better dev loss before the run stops.' }}
          value={early.patience}
          onCommit={(v) => setTraining('earlyStopping', { ...early, patience: v })}
          testId="training-patience"
        />
      )}
    </div>
  );
}

/** One weight per class (from the data summary), with its train count; empty = 1. */
function ClassWeightFields(props: {
  weights: Exclude<ClassWeights, string>;
  classes: readonly string[];
  counts: readonly number[] | undefined;
  field: ParamField;
  onChange(next: Exclude<ClassWeights, string>): void;
}) {
  const { weights, classes, counts, field: f } = props;
  return (
    <div className="fields" data-testid="training-class-weights">
      {classes.map((name, c) => (
        <FieldInput
          key={name}
          field={{ ...f, key: name, label: counts ? `${name} (${counts[c] ?? 0})` : name, optional: true, defaultValue: 1, help: undefined }}
          value={weights[name]}
          onCommit={(v) => {
            const next = { ...weights };
            if (v === undefined || v === 1) delete next[name];
            else next[name] = v as number;
            props.onChange(next);
          }}
          testId={`training-class-weight-${c}`}
        />
      ))}
    </div>
  );
}
