import { useEffect } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { useHost } from '../HostContext';
import { allowRunFiles, loadEvaluation, refreshRuns, useRunsStore } from '../state/runsStore';
import { useFocusRun } from '../state/useFocusRun';
import { engineErrorText, messageText } from '../i18n/engineErrors';
import { TestEvaluation } from './TestEvaluation';

/** The test evaluation of the last finished run, or of the run picked in the runs list. */
export function TestView() {
  const { t, i18n } = useTranslation();
  const { host } = useHost();
  const focus = useFocusRun();
  const listed = useRunsStore((s) => s.runs !== null);
  const fetched = useRunsStore((s) => (focus && !focus.test ? s.evaluations[focus.runId] : undefined));
  useEffect(() => {
    if (!listed) void refreshRuns(host.engine);
  }, [host, listed]);
  useEffect(() => {
    if (focus && !focus.test) void loadEvaluation(host.engine, focus.runId);
  }, [host, focus?.runId, focus?.test]);

  if (!focus) return <div className="view-empty">{t('training.test.empty')}</div>;
  const evaluation = focus.test ?? (fetched?.status === 'ok' ? fetched.value : null);
  return (
    <div className="view test-view" data-testid="test-view">
      <div className="view-head">
        <span>
          <Trans i18nKey="training.test.of" values={{ name: focus.label }} components={{ strong: <strong /> }} />
        </span>
        <span className="muted small">{focus.picked ? t('training.test.picked') : t('training.test.pickAnother')}</span>
      </div>
      {evaluation ? (
        <TestEvaluation evaluation={evaluation} />
      ) : fetched?.status === 'error' ? (
        <div className="run-error" role="alert">
          <div className="run-error-title">
            {fetched.code
              ? engineErrorText(t, i18n.language, { code: fetched.code, message: fetched.message, ...(fetched.words ? { words: fetched.words } : {}) })
              : messageText(t, fetched)}
          </div>
          {fetched.code === 'files-not-allowed' && fetched.files && (
            <button type="button" onClick={() => void allowRunFiles(host.engine, focus.runId, fetched.files!)} data-testid="allow-run-files">
              {t('training.test.allowAndEvaluate', { count: fetched.files.length })}
            </button>
          )}
        </div>
      ) : (
        <div className="view-empty">{t('training.test.evaluating')}</div>
      )}
    </div>
  );
}
