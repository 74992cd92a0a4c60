import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
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

const WEIGHT_CHOICES = ['none', 'inverse', 'inverseLog', 'per class'] as const;

/** A settings field with its label and help in the user's language (`training.settings.label.<key>`, `.help.<key>`). */
function field(t: TFunction, key: string, schema: unknown): ParamField {
  const f = describeField(key, schema as z.ZodType);
  return { ...f, label: t(`training.settings.label.${key}`), help: t(`training.settings.help.${key}`) };
}

/** Every settings field the form words, for the test that each has a label and help in every language. */
export const SETTINGS_FIELDS = [
  'type',
  'lr',
  'beta1',
  'beta2',
  'epsilon',
  'momentum',
  'nesterov',
  'rho',
  'batchSize',
  'epochs',
  'schedule',
  'gamma',
  'stepSize',
  'minLr',
  'decayRate',
  'warmupEpochs',
  'weightDecay',
  'clipNorm',
  'classWeights',
  'weight',
  'seed',
  'patience',
] as const;

/** The document's training settings, generated from the Document schema. */
export function TrainingSettings() {
  const { t, i18n } = useTranslation();
  const training = useDocumentStore((s) => s.history?.present.training ?? null);
  const edit = useDocumentStore((s) => s.edit);
  const data = useAppStore((s) => s.data);
  const fields = useMemo(() => {
    const o = OptimizerSchema.shape;
    const ts = TrainingSchema.shape;
    const s = ScheduleSchema.shape;
    const f = (key: string, schema: unknown) => field(t, key, schema);
    return {
      type: f('type', o.type),
      optimizer: {
        lr: f('lr', o.lr),
        beta1: f('beta1', o.beta1),
        beta2: f('beta2', o.beta2),
        epsilon: f('epsilon', o.epsilon),
        momentum: f('momentum', o.momentum),
        nesterov: f('nesterov', o.nesterov),
        rho: f('rho', o.rho),
      } as Record<string, ParamField>,
      batchSize: f('batchSize', ts.batchSize),
      epochs: f('epochs', ts.epochs),
      schedule: f('schedule', s.type),
      scheduleSettings: {
        gamma: f('gamma', s.gamma),
        stepSize: f('stepSize', s.stepSize),
        minLr: f('minLr', s.minLr),
        decayRate: f('decayRate', s.decayRate),
        warmupEpochs: f('warmupEpochs', s.warmupEpochs),
      },
      weightDecay: f('weightDecay', ts.weightDecay),
      clipNorm: f('clipNorm', ts.clipNorm),
      // The form's choice: the three rules, or "per class", which edits the record below it.
      classWeights: f('classWeights', z.enum(WEIGHT_CHOICES).default('none')),
      classWeight: f('weight', ts.classWeights.unwrap().options[1].valueType.optional()),
      seed: f('seed', ts.seed),
      patience: f('patience', TrainingSchema.shape.earlyStopping.unwrap().shape.patience),
    };
  }, [t, i18n.language]);
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
      <h4 className="section">{t('training.settings.section.optimizer')}</h4>
      <FieldInput field={fields.type} value={opt.type} onCommit={(v) => setOpt('type', v)} testId="training-optimizer" />
      {OPTIMIZER_FIELDS[opt.type].map((key) => {
        const f = fields.optimizer[key];
        return f ? <FieldInput key={key} field={f} value={opt[key]} onCommit={(v) => setOpt(key, v)} testId={`training-${key}`} /> : null;
      })}
      <h4 className="section">{t('training.settings.section.run')}</h4>
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
      <h4 className="section">{t('training.settings.section.loss')}</h4>
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
      <h4 className="section">{t('training.settings.section.early')}</h4>
      <div className="field">
        <div className="field-row">
          <label htmlFor="early-stopping">{t('training.settings.early.label')}</label>
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
        <div className="field-help">{t('training.settings.early.help')}</div>
      </div>
      {early && (
        <FieldInput
          field={fields.patience}
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
