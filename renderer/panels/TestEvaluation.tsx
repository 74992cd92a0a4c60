import { useTranslation } from 'react-i18next';
import type { ClassMetrics, SplitEvaluation } from '../../engine/api';
import { locale } from '../i18n';
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
      <td>{m.support.toLocaleString(locale())}</td>
    </tr>
  );
}

/**
 * One split's evaluation as the course reads it: loss and accuracy, precision, recall, F1 and
 * support of every class with the macro and weighted averages, and the confusion matrix.
 */
export function TestEvaluation({ evaluation }: { evaluation: SplitEvaluation }) {
  const { t } = useTranslation();
  const labels = evaluation.confusion.labels;
  return (
    <div className="test-evaluation" data-testid="test-evaluation">
      <div className="test-metrics">
        <dl className="test-totals">
          <div>
            <dt>{t('training.eval.accuracy')}</dt>
            <dd data-testid="test-accuracy">{percent(evaluation.accuracy)}</dd>
          </div>
          <div>
            <dt>{t('training.eval.loss')}</dt>
            <dd>{metric(evaluation.loss)}</dd>
          </div>
          <div>
            <dt>{t('training.eval.macroF1')}</dt>
            <dd>{f3(evaluation.macro.f1)}</dd>
          </div>
          <div>
            <dt>{t('training.eval.examples')}</dt>
            <dd>{evaluation.macro.support.toLocaleString(locale())}</dd>
          </div>
        </dl>
        <div className="class-table-wrap">
          <table className="class-table" data-testid="class-metrics">
            <thead>
              <tr>
                <th scope="col">{t('training.eval.class')}</th>
                <th scope="col">{t('training.eval.precision')}</th>
                <th scope="col">{t('training.eval.recall')}</th>
                <th scope="col">F1</th>
                <th scope="col">{t('training.eval.support')}</th>
              </tr>
            </thead>
            <tbody>
              {labels.map((label) => {
                const m = evaluation.perClass[label];
                return m ? <Row key={label} name={label} m={m} /> : null;
              })}
            </tbody>
            <tfoot>
              <Row name={t('training.eval.macroAvg')} m={evaluation.macro} className="avg" />
              <Row name={t('training.eval.weightedAvg')} m={evaluation.weighted} className="avg" />
            </tfoot>
          </table>
        </div>
      </div>
      <figure className="confusion" data-testid="confusion-matrix" data-classes={labels.length}>
        <figcaption>
          {t('training.eval.confusion')} <span className="muted">· {t('training.eval.confusionNote')}</span>
        </figcaption>
        <div className="confusion-area">
          <ConfusionMatrix labels={labels} matrix={evaluation.confusion.matrix} />
        </div>
      </figure>
    </div>
  );
}
