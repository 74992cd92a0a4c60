import { useEffect, useRef, useState } from 'react';
import type { TextPrediction } from '../../engine/api';
import { useHost } from '../HostContext';
import { refreshRuns, useRunsStore } from '../state/runsStore';
import { useFocusRun } from '../state/useFocusRun';

/** How long typing must pause before the model is asked. */
const PAUSE_MS = 180;
const TOP = 5;

/**
 * Type a text (a surname, a headline), see the model's top classes with their probabilities:
 * the last finished run's model, or the run picked in the runs list. The model runs in the
 * host's helper worker, with the run's own vocabulary (unseen characters are read as unknown).
 */
export function PredictBox() {
  const { host } = useHost();
  const focus = useFocusRun();
  const listed = useRunsStore((s) => s.runs !== null);
  const [text, setText] = useState('');
  const [answer, setAnswer] = useState<{ runId: string; text: string; prediction: TextPrediction | null; error: string | null } | null>(null);
  const asked = useRef(0);
  const runId = focus?.runId ?? null;

  useEffect(() => {
    if (!listed) void refreshRuns(host.engine);
  }, [host, listed]);

  useEffect(() => {
    const query = text.trim();
    if (!runId || !query) return;
    const n = ++asked.current;
    const timer = setTimeout(() => {
      host.engine.predict(runId, [query], TOP).then(
        (r) => n === asked.current && setAnswer({ runId, text: query, prediction: r.ok ? r.value[0]! : null, error: r.ok ? null : r.error.message }),
        (error: unknown) =>
          n === asked.current && setAnswer({ runId, text: query, prediction: null, error: error instanceof Error ? error.message : String(error) }),
      );
    }, PAUSE_MS);
    return () => clearTimeout(timer);
  }, [host, runId, text]);

  const shown = answer && answer.runId === runId && text.trim() ? answer : null;
  return (
    <div className="view predict-view" data-testid="predict-view">
      <div className="view-head">
        <span>
          {focus ? (
            <>
              Try <strong>{focus.label}</strong> on a text of your own
            </>
          ) : (
            'No finished run to predict with yet.'
          )}
        </span>
        <span className="muted small">{focus?.picked ? 'picked in Runs' : 'pick another run in Runs'}</span>
      </div>
      <div className="predict-body">
        <div className="predict-ask">
          <input
            className="predict-input"
            type="text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={focus ? 'Type a name, e.g. Nakamura' : 'Train a model first'}
            disabled={!focus}
            spellCheck={false}
            aria-label="Text to classify"
            data-testid="predict-input"
          />
          {focus && <p className="muted small">Encoded with the run’s own vocabulary: characters it never saw are read as unknown.</p>}
        </div>
        <div className="predict-result" data-testid="predict-result" aria-live="polite" data-text={shown?.text ?? ''}>
          {shown?.error && <div className="issue block-error">{shown.error}</div>}
          {shown?.prediction && (
            <ol className="predict-bars">
              {shown.prediction.top.map((t, i) => (
                <li key={t.label} className={i === 0 ? 'first' : ''} data-testid="predict-class">
                  <span className="class-name">{t.label}</span>
                  <span className="bar">
                    <span className="fill" style={{ width: `${Math.max(0.5, t.p * 100)}%` }} />
                  </span>
                  <span className="num">{(t.p * 100).toFixed(1)}%</span>
                </li>
              ))}
            </ol>
          )}
          {!shown && focus && <p className="muted small">The {TOP} likeliest classes show here as you type.</p>}
        </div>
      </div>
    </div>
  );
}
