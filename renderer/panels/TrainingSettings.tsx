import { useMemo } from 'react';
import type { z } from 'zod';
import { OptimizerSchema, TrainingSchema, type Document } from '../../engine/graph/document';
import { FieldInput } from '../inspector/FieldInput';
import { describeField, type ParamField } from '../inspector/paramFields';
import { useDocumentStore } from '../state/documentStore';
import { patchOptimizer, patchTraining } from '../state/edits';

type Optimizer = Document['training']['optimizer'];

/** Which optimizer settings apply to which optimizer. */
const OPTIMIZER_FIELDS: Record<Optimizer['type'], (keyof Optimizer)[]> = {
  sgd: ['lr'],
  momentum: ['lr', 'momentum'],
  adam: ['lr', 'beta1', 'beta2', 'epsilon'],
  rmsprop: ['lr', 'momentum', 'epsilon'],
  adagrad: ['lr'],
};

const HELP: Record<string, string> = {
  type: 'How the weights follow the gradient. Adam is a good first choice.',
  lr: 'Learning rate: the size of each step. Too high and the loss jumps about; too low and it barely moves.',
  beta1: 'How much of the gradient’s running mean each step keeps.',
  beta2: 'How much of the squared gradient’s running mean each step keeps.',
  epsilon: 'A small number that keeps the update finite.',
  momentum: 'How much of the previous step carries into the next.',
  batchSize: 'Examples per step. Larger batches give smoother but fewer steps per epoch.',
  epochs: 'Passes over the training split.',
  seed: 'Fixes the initial weights and the order of examples, so runs repeat exactly.',
  schedule: 'How the learning rate changes over the run.',
};

function field(key: string, schema: unknown, label?: string): ParamField {
  const f = describeField(key, schema as z.ZodType);
  return { ...f, help: f.help ?? HELP[key], ...(label ? { label } : {}) };
}

/** The document's training settings, generated from the Document schema. */
export function TrainingSettings() {
  const training = useDocumentStore((s) => s.history?.present.training ?? null);
  const edit = useDocumentStore((s) => s.edit);
  const fields = useMemo(() => {
    const o = OptimizerSchema.shape;
    const t = TrainingSchema.shape;
    return {
      type: field('type', o.type, 'Optimizer'),
      optimizer: { lr: field('lr', o.lr, 'Learning rate'), beta1: field('beta1', o.beta1), beta2: field('beta2', o.beta2), epsilon: field('epsilon', o.epsilon), momentum: field('momentum', o.momentum) } as Record<string, ParamField>,
      batchSize: field('batchSize', t.batchSize),
      epochs: field('epochs', t.epochs),
      schedule: field('schedule', t.schedule.unwrap().shape.type, 'LR schedule'),
      seed: field('seed', t.seed),
      patience: field('patience', TrainingSchema.shape.earlyStopping.unwrap().shape.patience),
    };
  }, []);
  if (!training) return null;

  const opt = training.optimizer;
  const setOpt = (key: keyof Optimizer, value: unknown) => edit((doc) => patchOptimizer(doc, { [key]: value }), `optimizer:${key}`);
  const setTraining = (key: keyof Document['training'], value: unknown) => edit((doc) => patchTraining(doc, { [key]: value }), `training:${key}`);
  const early = training.earlyStopping;

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
      <FieldInput
        field={fields.schedule}
        value={training.schedule.type}
        onCommit={(v) => setTraining('schedule', { ...training.schedule, type: v })}
        testId="training-schedule"
      />
      <FieldInput field={fields.seed} value={training.seed} onCommit={(v) => setTraining('seed', v)} testId="training-seed" />
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
