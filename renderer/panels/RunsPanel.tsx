import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { locale, sayError } from '../i18n';
import type { RunEnding, RunSummary } from '../../engine/api';
import { useHost } from '../HostContext';
import { useAppStore } from '../state/appStore';
import { isActive, useTrainingStore } from '../state/trainingStore';
import { openRunDocument } from '../state/openRunDocument';
import { deleteRun, loadCurves, refreshRuns, renameRun, runLabel, useRunsStore } from '../state/runsStore';
import { percent } from '../ui/format';
import { RunsOverlay, runColor } from './RunsOverlay';

/** The two glyphs this list needs that the app's icon set has not: rename and delete. */
const GLYPHS = {
  edit: 'M10.5 2.5l3 3-8 8H2.5v-3zM9 4l3 3',
  trash: 'M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.7 9h5.6l.7-9M7 7v4.5M9 7v4.5',
} as const;

function Glyph({ name }: { name: keyof typeof GLYPHS }) {
  return (
    <svg className="icon" width="14" height="14" viewBox="0 0 16 16" aria-hidden focusable="false">
      <path d={GLYPHS[name]} fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** Every ending a run can have (checked by the compiler); each one's word is `runs.ended.<ending>`. */
const ENDINGS: Record<RunEnding, true> = {
  running: true,
  completed: true,
  stopped: true,
  'early-stopped': true,
  nan: true,
  error: true,
  crashed: true,
  unknown: true,
};
export const RUN_ENDINGS = Object.keys(ENDINGS) as RunEnding[];

function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const today = new Date();
  const sameDay = d.toDateString() === today.toDateString();
  return sameDay
    ? d.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : d.toLocaleString(locale(), { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** A run's name, renamed in place (Enter or leaving the field saves; Escape keeps the old one). */
function RunName({ run }: { run: RunSummary }) {
  const { t } = useTranslation();
  const { host } = useHost();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(run.name ?? '');
  useEffect(() => setDraft(run.name ?? ''), [run.name]);
  const commit = async () => {
    setEditing(false);
    if (draft.trim() === (run.name ?? '')) return;
    const error = await renameRun(host.engine, run.runId, draft);
    if (error) useAppStore.getState().notify('error', t('runs.renameFailed', { error }));
  };
  if (editing) {
    return (
      <input
        className="run-name-input"
        value={draft}
        autoFocus
        maxLength={120}
        placeholder={runLabel({ ...run, name: null })}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => void commit()}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.currentTarget.blur();
          if (e.key === 'Escape') {
            setDraft(run.name ?? '');
            setEditing(false);
          }
        }}
        aria-label={t('runs.nameLabel')}
        data-testid="run-name-input"
      />
    );
  }
  return (
    <span className="run-name">
      <span className={run.name ? '' : 'muted'} title={run.runId}>
        {run.name ?? t('runs.unnamed')}
      </span>
      <button
        type="button"
        className="icon-button"
        onClick={() => setEditing(true)}
        title={t('runs.rename')}
        aria-label={t('runs.renameLabel', { name: runLabel(run) })}
        data-testid="run-rename"
      >
        <Glyph name="edit" />
      </button>
    </span>
  );
}

/**
 * Every run in the host's runs folder, of this document and others, newest first: its name,
 * when, how it ended, best dev accuracy and epochs. Rename, delete (asks first), open the exact
 * model it trained, pick it for prediction and the test view, tick two or more to overlay their
 * curves.
 */

/** The endings a run can be resumed from (the host refuses one without a checkpoint, with a reason). */
const RESUMABLE: ReadonlySet<RunEnding> = new Set(['stopped', 'crashed', 'error', 'unknown']);
export function RunsPanel() {
  const { t } = useTranslation();
  const { host } = useHost();
  const runs = useRunsStore((s) => s.runs);
  const listError = useRunsStore((s) => s.listError);
  const ticked = useRunsStore((s) => s.ticked);
  const picked = useRunsStore((s) => s.picked);

  useEffect(() => {
    void refreshRuns(host.engine);
    // A run that starts or ends while the list is open shows at once.
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = host.engine.onTrainEvent((e) => {
      if (e.type !== 'start' && e.type !== 'done' && e.type !== 'error') return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        void refreshRuns(host.engine);
        // A ticked run that was training has new curves now.
        if (e.type !== 'start' && useRunsStore.getState().ticked.includes(e.runId)) void loadCurves(host.engine, e.runId, true);
      }, 300);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [host]);

  useEffect(() => {
    for (const id of ticked) void loadCurves(host.engine, id);
  }, [host, ticked]);

  const remove = async (run: RunSummary) => {
    const ok = await useAppStore.getState().confirm({
      title: t('runs.delete.title'),
      text: t('runs.delete.text', { name: runLabel(run), id: run.runId }),
      confirmLabel: t('runs.delete.confirm'),
    });
    if (!ok) return;
    const error = await deleteRun(host.engine, run.runId);
    if (error) useAppStore.getState().notify('error', t('runs.delete.failed', { error }));
  };
  const use = (run: RunSummary, view: 'test' | 'predict') => useRunsStore.getState().set({ picked: run.runId, view });
  const resume = async (run: RunSummary) => {
    const training = useTrainingStore.getState();
    if (isActive(training.run.status)) {
      useAppStore.getState().notify('error', t('runs.resume.busy'));
      return;
    }
    training.begin();
    try {
      const answer = await host.engine.resumeRun(run.runId);
      if (!answer.ok) {
        useTrainingStore.getState().failed(t('runs.resume.failed', { name: runLabel(run), error: sayError(answer.error) }));
        return;
      }
      useTrainingStore.getState().started(answer.value.runId);
      void refreshRuns(host.engine);
    } catch (error) {
      useTrainingStore.getState().failed(t('runs.resume.failed', { name: runLabel(run), error: error instanceof Error ? error.message : String(error) }));
    }
  };

  return (
    <div className="view runs-view" data-testid="runs-panel" data-loaded={runs !== null}>
      <div className="runs-list">
        {listError && (
          <div className="issue block-error" role="alert">
            {listError}
          </div>
        )}
        {runs === null ? (
          <div className="view-empty">{t('runs.reading')}</div>
        ) : runs.length === 0 ? (
          <div className="view-empty">{t('runs.none')}</div>
        ) : (
          <table className="runs-table">
            <thead>
              <tr>
                <th scope="col" title={t('runs.col.compareTitle')}>
                  <span className="sr-only">{t('runs.col.compare')}</span>
                </th>
                <th scope="col">{t('runs.col.run')}</th>
                <th scope="col">{t('runs.col.started')}</th>
                <th scope="col">{t('runs.col.ended')}</th>
                <th scope="col" className="num">
                  {t('runs.col.bestDev')}
                </th>
                <th scope="col" className="num">
                  {t('runs.col.epochs')}
                </th>
                <th scope="col">{t('runs.col.model')}</th>
                <th scope="col">
                  <span className="sr-only">{t('runs.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => {
                const tickIndex = ticked.indexOf(run.runId);
                const usable = run.hasModel && run.ended !== 'running';
                return (
                  <tr key={run.runId} className={run.runId === picked ? 'picked' : ''} data-testid="run-row" data-run-id={run.runId} data-ended={run.ended}>
                    <td>
                      <input
                        type="checkbox"
                        checked={tickIndex >= 0}
                        onChange={() => useRunsStore.getState().toggleTick(run.runId)}
                        aria-label={t('runs.compareLabel', { name: runLabel(run) })}
                        data-testid="run-tick"
                        className="run-tick"
                      />
                      {tickIndex >= 0 && <span className="run-swatch" style={{ background: runColor(tickIndex) }} aria-hidden />}
                    </td>
                    <td className="run-name-cell">
                      <RunName run={run} />
                    </td>
                    <td className="muted">{when(run.createdAt)}</td>
                    <td>
                      <span className={`ended ${run.ended}`}>{t(`runs.ended.${run.ended}`)}</span>
                    </td>
                    <td className="num" data-testid="run-best-dev">
                      {percent(run.bestDevAcc)}
                    </td>
                    <td className="num">
                      {run.plannedEpochs !== null && run.plannedEpochs !== run.epochs ? `${run.epochs}/${run.plannedEpochs}` : run.epochs}
                    </td>
                    <td className="muted run-model" title={run.documentName ?? ''}>
                      {run.documentName ?? '—'}
                    </td>
                    <td className="run-actions">
                      <button type="button" onClick={() => use(run, 'test')} disabled={!usable} title={t('runs.action.testTitle')} data-testid="run-test">
                        {t('runs.action.test')}
                      </button>
                      <button
                        type="button"
                        onClick={() => use(run, 'predict')}
                        disabled={!usable}
                        title={t('runs.action.predictTitle')}
                        data-testid="run-predict"
                      >
                        {t('runs.action.predict')}
                      </button>
                      {RESUMABLE.has(run.ended) && (
                        <button type="button" onClick={() => void resume(run)} title={t('runs.action.resumeTitle')} data-testid="run-resume">
                          {t('runs.action.resume')}
                        </button>
                      )}
                      <button
                        type="button"
                        onClick={() => void openRunDocument(host.engine, run.runId)}
                        disabled={run.documentName === null}
                        title={t('runs.action.openTitle')}
                        data-testid="run-open"
                      >
                        {t('runs.action.open')}
                      </button>
                      <button
                        type="button"
                        className="icon-button danger-icon"
                        onClick={() => void remove(run)}
                        disabled={run.ended === 'running'}
                        title={t('runs.action.deleteTitle')}
                        aria-label={t('runs.action.deleteLabel', { name: runLabel(run) })}
                        data-testid="run-delete"
                      >
                        <Glyph name="trash" />
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
      <RunsOverlay />
    </div>
  );
}
