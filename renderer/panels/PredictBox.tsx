import { useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { RunSummary, TextPrediction } from '../../engine/api';
import { useHost } from '../HostContext';
import { DrawDigit } from './DrawDigit';
import { refreshRuns, useRunsStore } from '../state/runsStore';
import { useFocusRun } from '../state/useFocusRun';
import { sayError } from '../i18n';

/** How long typing must pause before the model is asked. */
const PAUSE_MS = 180;
const TOP = 5;

/**
 * Type a text (a surname, a headline), see the model's top classes with their probabilities:
 * the last finished run's model, or the run picked in the runs list. The model runs in the
 * host's helper worker, with the run's own vocabulary (unseen characters are read as unknown).
 */
export function PredictBox() {
  const focus = useFocusRun();
  const { host } = useHost();
  const listed = useRunsStore((s) => s.runs !== null);
  const run = useRunsStore((s) => (focus ? s.runs?.find((r) => r.runId === focus.runId) : undefined));
  // A run that just finished may not be in the list yet: what it reads (texts or pictures) is there.
  const missing = focus !== null && listed && !run;
  useEffect(() => {
    if (missing) void refreshRuns(host.engine);
  }, [host, missing]);
  if (focus && run?.image) return <ImagePredictBox runId={focus.runId} label={focus.label} picked={focus.picked} image={run.image} />;
  return <TextPredictBox />;
}

/** The top classes, as bars. */
function PredictionBars({ prediction }: { prediction: TextPrediction }) {
  return (
    <ol className="predict-bars">
      {prediction.top.map((t, i) => (
        <li key={t.label} className={i === 0 ? 'first' : ''} data-testid="predict-class">
          <span className="class-name">{t.label}</span>
          <span className="bar">
            <span className="fill" style={{ width: `${Math.max(0.5, t.p * 100)}%` }} />
          </span>
          <span className="num">{(t.p * 100).toFixed(1)}%</span>
        </li>
      ))}
    </ol>
  );
}

/**
 * An image model's prediction: draw on the canvas, or drop (or choose) a PNG or JPEG picture, and
 * see the top classes. The picture goes to the host's helper worker, which decodes, resizes and
 * scales it as the run's training pictures were.
 */
function ImagePredictBox({ runId, label, picked, image }: { runId: string; label: string; picked: boolean; image: NonNullable<RunSummary['image']> }) {
  const { host } = useHost();
  const { t } = useTranslation();
  const [answer, setAnswer] = useState<{ name: string; prediction: TextPrediction | null; error: string | null; preview?: string } | null>(null);
  const [over, setOver] = useState(false);
  const asked = useRef(0);
  useEffect(() => setAnswer(null), [runId]);
  const ask = (name: string, base64: string, preview?: string) => {
    const n = ++asked.current;
    host.engine.predictImages(runId, [{ name, base64 }], TOP).then(
      (r) =>
        n === asked.current &&
        setAnswer({ name, prediction: r.ok ? r.value[0]! : null, error: r.ok ? null : sayError(r.error), ...(preview ? { preview } : {}) }),
      (error: unknown) => n === asked.current && setAnswer({ name, prediction: null, error: error instanceof Error ? error.message : String(error) }),
    );
  };
  const readFile = (file: File) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      ask(file.name, url.slice(url.indexOf(',') + 1), url);
    };
    reader.onerror = () => setAnswer({ name: file.name, prediction: null, error: t('images.predict.unreadable', { name: file.name }) });
    reader.readAsDataURL(file);
  };
  return (
    <div className="view predict-view" data-testid="predict-view">
      <div className="view-head">
        <span>{t('images.predict.title', { run: label })}</span>
        <span className="muted small">{picked ? t('training.test.picked') : t('training.test.pickAnother')}</span>
      </div>
      <div className="predict-body">
        <div
          className={over ? 'predict-ask image-drop over' : 'predict-ask image-drop'}
          data-testid="image-drop"
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            const file = e.dataTransfer.files[0];
            if (file) readFile(file);
          }}
        >
          <DrawDigit onDrawn={(png) => ask(t('images.predict.drawing'), png)} onCleared={() => setAnswer(null)} />
          <p className="muted small">{t('images.predict.help', { height: image.height, width: image.width })}</p>
          <label className="small">
            {t('images.predict.choose')}{' '}
            <input
              type="file"
              accept="image/png,image/jpeg"
              data-testid="predict-image-file"
              onChange={(e) => e.target.files?.[0] && readFile(e.target.files[0])}
            />
          </label>
        </div>
        <div className="predict-result" data-testid="predict-result" aria-live="polite" data-text={answer?.name ?? ''}>
          {answer?.preview && <img className="predict-picture" src={answer.preview} alt={answer.name} />}
          {answer?.error && <div className="issue block-error">{answer.error}</div>}
          {answer?.prediction && <PredictionBars prediction={answer.prediction} />}
          {!answer && <p className="muted small">{t('images.predict.empty', { top: TOP })}</p>}
        </div>
      </div>
    </div>
  );
}

/** The text model's prediction box: type, pause, see the top classes. */
function TextPredictBox() {
  const { host } = useHost();
  const { t } = useTranslation();
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
        (r) => n === asked.current && setAnswer({ runId, text: query, prediction: r.ok ? r.value[0]! : null, error: r.ok ? null : sayError(r.error) }),
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
        <span>{focus ? <Trans i18nKey="data.predict.try" values={{ name: focus.label }} components={{ strong: <strong /> }} /> : t('data.predict.none')}</span>
        <span className="muted small">{focus?.picked ? t('training.test.picked') : t('training.test.pickAnother')}</span>
      </div>
      <div className="predict-body">
        <div className="predict-ask">
          <input
            className="predict-input"
            type="text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={focus ? t('data.predict.placeholder') : t('data.predict.trainFirst')}
            disabled={!focus}
            spellCheck={false}
            aria-label={t('data.predict.input')}
            data-testid="predict-input"
          />
          {focus && <p className="muted small">{t('data.predict.vocab')}</p>}
        </div>
        <div className="predict-result" data-testid="predict-result" aria-live="polite" data-text={shown?.text ?? ''}>
          {shown?.error && <div className="issue block-error">{shown.error}</div>}
          {shown?.prediction && <PredictionBars prediction={shown.prediction} />}
          {!shown && focus && <p className="muted small">{t('data.predict.empty', { top: TOP })}</p>}
        </div>
      </div>
    </div>
  );
}
