import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useHost } from '../HostContext';
import { refreshRuns, useRunsStore, type TrainingView } from '../state/runsStore';
import { useTrainingStore } from '../state/trainingStore';

/** The views; each one's words are `training.views.<id>.label` and `.title`. */
export const TRAINING_VIEWS: readonly TrainingView[] = ['curves', 'test', 'predict', 'runs'];

/** The training panel's views: the live curves, the test evaluation, prediction, the runs. */
export function TrainingTabs() {
  const { t } = useTranslation();
  const { host } = useHost();
  const view = useRunsStore((s) => s.view);
  // The runs count stays true while another view is open (the runs view refreshes itself).
  useEffect(
    () =>
      host.engine.onTrainEvent((e) => {
        const s = useRunsStore.getState();
        if ((e.type === 'done' || e.type === 'error') && s.runs !== null && s.view !== 'runs') void refreshRuns(host.engine);
      }),
    [host],
  );
  const runs = useRunsStore((s) => s.runs?.length ?? null);
  const hasTest = useTrainingStore((s) => s.run.done?.test !== undefined);
  return (
    <nav className="training-tabs" role="tablist" aria-label={t('training.views.label')}>
      {TRAINING_VIEWS.map((id) => (
        <button
          key={id}
          type="button"
          role="tab"
          aria-selected={view === id}
          className={view === id ? 'active' : ''}
          title={t(`training.views.${id}.title`)}
          onClick={() => useRunsStore.getState().set({ view: id })}
          data-testid={`view-${id}`}
        >
          {t(`training.views.${id}.label`)}
          {id === 'test' && hasTest && view !== 'test' && <span className="dot-new" aria-label={t('training.views.new')} />}
          {id === 'runs' && runs !== null && <span className="badge">{runs}</span>}
        </button>
      ))}
    </nav>
  );
}
