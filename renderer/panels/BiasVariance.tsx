import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { gap, parsePercent, readBiasVariance } from '../state/biasVariance';
import { useRunsStore } from '../state/runsStore';
import { percent } from '../ui/format';

/**
 * Train error, dev error and the best possible (human) error the user types, and in words which
 * gap dominates and what to try, from the latest epoch (biasVariance.ts has the logic).
 */
export function BiasVariance({ trainAcc, devAcc, epoch }: { trainAcc: number | undefined; devAcc: number | undefined; epoch: number | undefined }) {
  const { t } = useTranslation();
  const humanText = useRunsStore((s) => s.humanError);
  const id = useId();
  const human = parsePercent(humanText);
  const reading = readBiasVariance({ trainAcc, devAcc, humanError: human });
  const invalid = humanText.trim() !== '' && human === null;
  return (
    <section className="bias-variance" data-testid="bias-variance" data-diagnosis={reading?.diagnosis ?? 'none'} aria-label={t('training.bv.label')}>
      <h3>
        {t('training.bv.heading')}
        {epoch !== undefined ? <span className="muted"> · {t('training.bv.epoch', { epoch })}</span> : null}
      </h3>
      <dl className="bv-numbers">
        <dt>{t('training.bv.trainError')}</dt>
        <dd data-testid="bv-train-error">{reading ? percent(reading.trainError) : '—'}</dd>
        <dt>{t('training.bv.devError')}</dt>
        <dd data-testid="bv-dev-error">{reading ? percent(reading.devError) : '—'}</dd>
        <dt>
          <label htmlFor={id}>{t('training.bv.best')}</label>
        </dt>
        <dd>
          <input
            id={id}
            className={`bv-human${invalid ? ' invalid' : ''}`}
            type="text"
            inputMode="decimal"
            value={humanText}
            placeholder={t('training.bv.bestPlaceholder')}
            title={t('training.bv.bestTitle')}
            onChange={(e) => useRunsStore.getState().set({ humanError: e.target.value })}
            data-testid="bv-human-error"
          />
        </dd>
      </dl>
      {reading ? (
        <div className={`bv-verdict ${reading.diagnosis}`}>
          <p
            className="bv-headline"
            title={t(`training.bv.headline.${reading.diagnosis}`, {
              bias: gap(reading.avoidableBias),
              variance: gap(reading.variance),
              best: reading.humanError === null ? t('training.bv.takenAsZero') : '',
            })}
          >
            {t(`training.bv.title.${reading.diagnosis}`)}
            {reading.notes.length > 0 && (
              <span className="bv-why" title={reading.notes.map((n) => t(`training.bv.note.${n.key}`, n.params)).join(' ')} data-testid="bv-note">
                {t('training.bv.noteLabel')}
              </span>
            )}
          </p>
          <p className="bv-gaps" data-testid="bv-gaps">
            {t('training.bv.gaps', { bias: gap(reading.avoidableBias), variance: gap(reading.variance) })}
            {reading.humanError === null ? <span className="muted"> {t('training.bv.bestZero')}</span> : null}
          </p>
          <p className="bv-advice">
            <span className="muted">{t('training.bv.try')} </span>
            {t(`training.bv.advice.${reading.diagnosis}`)}
          </p>
        </div>
      ) : (
        <p className="muted small">{t('training.bv.empty')}</p>
      )}
    </section>
  );
}
