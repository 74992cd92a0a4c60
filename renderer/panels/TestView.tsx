import { useEffect } from 'react';
import { useHost } from '../HostContext';
import { allowRunFiles, loadEvaluation, refreshRuns, useRunsStore } from '../state/runsStore';
import { useFocusRun } from '../state/useFocusRun';
import { TestEvaluation } from './TestEvaluation';

/** The test evaluation of the last finished run, or of the run picked in the runs list. */
export function TestView() {
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

  if (!focus) return <div className="view-empty">Train a model, or pick a run in Runs, to see how it does on the test split.</div>;
  const evaluation = focus.test ?? (fetched?.status === 'ok' ? fetched.value : null);
  return (
    <div className="view test-view" data-testid="test-view">
      <div className="view-head">
        <span>
          Test evaluation of <strong>{focus.label}</strong>
        </span>
        <span className="muted small">{focus.picked ? 'picked in Runs' : 'pick another run in Runs'}</span>
      </div>
      {evaluation ? (
        <TestEvaluation evaluation={evaluation} />
      ) : fetched?.status === 'error' ? (
        <div className="run-error" role="alert">
          <div className="run-error-title">{fetched.message}</div>
          {fetched.code === 'files-not-allowed' && fetched.files && (
            <button type="button" onClick={() => void allowRunFiles(host.engine, focus.runId, fetched.files!)} data-testid="allow-run-files">
              Allow reading {fetched.files.length === 1 ? 'it' : 'them'} and evaluate
            </button>
          )}
        </div>
      ) : (
        <div className="view-empty">Evaluating the run on its test split…</div>
      )}
    </div>
  );
}
