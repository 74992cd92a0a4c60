import type { ClassMetrics, SplitEvaluation } from '../../engine/api';
import { metric, percent } from '../ui/format';
import { ConfusionMatrix } from './ConfusionMatrix';

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '—');

function Row({ name, m, className }: { name: string; m: ClassMetrics; className?: string }) {
  return (
    <tr className={className}>
      <th scope="row">{name}</th>
      <td>{f3(m.precision)}</td>
      <td>{f3(m.recall)}</td>
      <td>
        <span className="f1-cell">
          <span className="f1-bar">
            <span className="fill" style={{ width: `${Math.max(0, Math.min(1, m.f1)) * 100}%` }} />
          </span>
          {f3(m.f1)}
        </span>
      </td>
      <td>{m.support.toLocaleString('en-US')}</td>
    </tr>
  );
}

/**
 * One split's evaluation as the course reads it: loss and accuracy, precision, recall, F1 and
 * support of every class with the macro and weighted averages, and the confusion matrix.
 */
export function TestEvaluation({ evaluation }: { evaluation: SplitEvaluation }) {
  const labels = evaluation.confusion.labels;
  return (
    <div className="test-evaluation" data-testid="test-evaluation">
      <div className="test-metrics">
        <dl className="test-totals">
          <div>
            <dt>Test accuracy</dt>
            <dd data-testid="test-accuracy">{percent(evaluation.accuracy)}</dd>
          </div>
          <div>
            <dt>Test loss</dt>
            <dd>{metric(evaluation.loss)}</dd>
          </div>
          <div>
            <dt>Macro F1</dt>
            <dd>{f3(evaluation.macro.f1)}</dd>
          </div>
          <div>
            <dt>Examples</dt>
            <dd>{evaluation.macro.support.toLocaleString('en-US')}</dd>
          </div>
        </dl>
        <div className="class-table-wrap">
          <table className="class-table" data-testid="class-metrics">
            <thead>
              <tr>
                <th scope="col">class</th>
                <th scope="col">precision</th>
                <th scope="col">recall</th>
                <th scope="col">F1</th>
                <th scope="col">support</th>
              </tr>
            </thead>
            <tbody>
              {labels.map((label) => {
                const m = evaluation.perClass[label];
                return m ? <Row key={label} name={label} m={m} /> : null;
              })}
            </tbody>
            <tfoot>
              <Row name="macro avg" m={evaluation.macro} className="avg" />
              <Row name="weighted avg" m={evaluation.weighted} className="avg" />
            </tfoot>
          </table>
        </div>
      </div>
      <figure className="confusion" data-testid="confusion-matrix" data-classes={labels.length}>
        <figcaption>
          Confusion matrix <span className="muted">· rows: true class, shade: its share predicted so</span>
        </figcaption>
        <div className="confusion-area">
          <ConfusionMatrix labels={labels} matrix={evaluation.confusion.matrix} />
        </div>
      </figure>
    </div>
  );
}
