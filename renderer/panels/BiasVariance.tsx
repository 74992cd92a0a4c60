import { useId } from 'react';
import { parsePercent, readBiasVariance } from '../state/biasVariance';
import { useRunsStore } from '../state/runsStore';
import { percent } from '../ui/format';

const points = (v: number) => `${(v * 100).toFixed(1)} pts`;

/**
 * Train error, dev error and the best possible (human) error the user types, and in words which
 * gap dominates and what to try, from the latest epoch (biasVariance.ts has the logic).
 */
export function BiasVariance({ trainAcc, devAcc, epoch }: { trainAcc: number | undefined; devAcc: number | undefined; epoch: number | undefined }) {
  const humanText = useRunsStore((s) => s.humanError);
  const id = useId();
  const human = parsePercent(humanText);
  const reading = readBiasVariance({ trainAcc, devAcc, humanError: human });
  const invalid = humanText.trim() !== '' && human === null;
  return (
    <section className="bias-variance" data-testid="bias-variance" data-diagnosis={reading?.diagnosis ?? 'none'} aria-label="Bias and variance">
      <h3>Bias / variance{epoch !== undefined ? <span className="muted"> · epoch {epoch}</span> : null}</h3>
      <dl className="bv-numbers">
        <dt>Train error</dt>
        <dd data-testid="bv-train-error">{reading ? percent(reading.trainError) : '—'}</dd>
        <dt>Dev error</dt>
        <dd data-testid="bv-dev-error">{reading ? percent(reading.devError) : '—'}</dd>
        <dt>
          <label htmlFor={id}>Best possible</label>
        </dt>
        <dd>
          <input
            id={id}
            className={`bv-human${invalid ? ' invalid' : ''}`}
            type="text"
            inputMode="decimal"
            value={humanText}
            placeholder="human %"
            title="The best error you think possible, e.g. how often people get it wrong (in %). Empty: 0%."
            onChange={(e) => useRunsStore.getState().set({ humanError: e.target.value })}
            data-testid="bv-human-error"
          />
        </dd>
      </dl>
      {reading ? (
        <div className={`bv-verdict ${reading.diagnosis}`}>
          <p className="bv-headline" title={reading.headline}>
            {reading.title}
            {reading.note && (
              <span className="bv-why" title={reading.note} data-testid="bv-note">
                note
              </span>
            )}
          </p>
          <p className="bv-gaps" data-testid="bv-gaps">
            bias gap {points(reading.avoidableBias)} · variance gap {points(reading.variance)}
            {reading.humanError === null ? <span className="muted"> (best taken as 0%)</span> : null}
          </p>
          <p className="bv-advice">
            <span className="muted">Try: </span>
            {reading.advice.join('; ')}.
          </p>
        </div>
      ) : (
        <p className="muted small">After the first epoch, this says whether bias or variance holds the model back.</p>
      )}
    </section>
  );
}
