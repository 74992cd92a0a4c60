import { useTranslation } from 'react-i18next';
import { messageText } from '../i18n/engineErrors';
import { useHost } from '../HostContext';
import { useAppStore } from '../state/appStore';
import { useAnalysis } from '../state/analysis';
import { useDocumentStore } from '../state/documentStore';
import { runningJob, type RunningJob } from '../state/runningJob';
import { runLabel, useRunsStore } from '../state/runsStore';
import { useSettingsStore } from '../state/settingsStore';
import { useTrainingStore } from '../state/trainingStore';
import { useShownSweep, useTuneStore } from '../state/tuneStore';
import { Icon } from '../ui/Icon';
import { SettingsDialog } from './SettingsDialog';

type TFn = ReturnType<typeof useTranslation>['t'];

function jobText(job: RunningJob, t: TFn): string {
  switch (job.kind) {
    case 'run':
      if (job.status === 'starting') return t('status.job.starting', { name: job.name });
      if (job.status === 'queued') return t('status.job.queued', { name: job.name, ahead: job.ahead });
      if (job.status === 'stopping') return t('status.job.stopping', { name: job.name });
      return t('status.job.run', { name: job.name, epoch: job.epoch, epochs: job.epochs, step: job.step, steps: job.steps });
    case 'sweep':
      return t('status.job.sweep', { name: job.name, done: job.done, trials: job.trials, running: job.running });
    case 'lr-find':
      return t('status.job.lrFind', { name: job.name, step: job.step, steps: job.steps });
  }
}

/** The engine link, the backend, the job running now, the size of the model and its problems, and Settings. */
export function StatusBar() {
  const { t } = useTranslation();
  const { host } = useHost();
  const connection = useAppStore((s) => s.connection);
  const backend = useAppStore((s) => s.backend);
  const backendError = useAppStore((s) => s.backendError);
  // Only what the bar shows of the document, so a drag (a new document every frame) leaves it alone.
  const docName = useDocumentStore((s) => s.history?.present.name);
  const blocks = useDocumentStore((s) => s.history?.present.graph.nodes.length);
  const wires = useDocumentStore((s) => s.history?.present.graph.edges.length);
  const analysis = useAnalysis();
  const run = useTrainingStore((s) => s.run);
  const runs = useRunsStore((s) => s.runs);
  const sweep = useShownSweep();
  const find = useTuneStore((s) => s.find);
  const shown = run.start?.backend ?? backend;
  const problems = analysis?.raw.issues.length ?? 0;
  const listed = run.runId ? runs?.find((r) => r.runId === run.runId) : undefined;
  const runName = listed ? runLabel(listed) : (docName ?? run.runId ?? '');
  const job = runningJob(run, runName, sweep, find);

  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className={`dot ${connection}`} aria-hidden />
      <span title={host.kind === 'web' ? t('status.host.webTitle') : t('status.host.desktopTitle')}>
        {host.kind === 'web' ? t('status.host.web') : t('status.host.desktop')} · {t(`status.connection.${connection}`)}
      </span>
      <span className="sep" />
      <span data-testid="backend" title={shown ? messageText(t, { message: shown.reason, words: shown.reasonWords }) : (backendError ?? '')}>
        {shown
          ? `${t('status.backend.named', { name: shown.name, package: shown.package })}${shown.threads ? ` · ${t('status.backend.threads', { count: shown.threads })}` : ''}`
          : backendError
            ? t('status.backend.unknown', { error: backendError })
            : t('status.backend.asking')}
      </span>
      {job && (
        <>
          <span className="sep" />
          <span className="status-job" data-testid="status-job" title={t('status.job.title')}>
            {jobText(job, t)}
          </span>
        </>
      )}
      <span className="spacer" />
      {blocks !== undefined && (
        <span>
          {t('status.size.blocks', { count: blocks })} · {t('status.size.wires', { count: wires })}
        </span>
      )}
      <span className="sep" />
      <button
        type="button"
        className={`status-problems ${problems ? 'bad' : 'good'}`}
        onClick={() => useAppStore.getState().set({ sidebarTab: 'model' })}
        data-testid="status-problems"
      >
        {problems === 0 ? t('status.valid') : t('status.problems', { count: problems })}
      </button>
      <span className="sep" />
      <button
        type="button"
        className="tool"
        onClick={() => useSettingsStore.getState().setOpen(true)}
        title={t('settings.open')}
        aria-label={t('settings.open')}
        data-testid="open-settings"
      >
        <Icon name="settings" />
      </button>
      <SettingsDialog />
    </footer>
  );
}
