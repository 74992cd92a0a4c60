import { useEffect } from 'react';
import { useHost } from '../HostContext';
import { refreshRuns, useRunsStore, type TrainingView } from '../state/runsStore';
import { useTrainingStore } from '../state/trainingStore';

const VIEWS: readonly { id: TrainingView; label: string; title: string }[] = [
  { id: 'curves', label: 'Curves', title: 'Loss, accuracy and learning rate as the run goes, and the bias/variance readout' },
  { id: 'test', label: 'Test evaluation', title: 'Per-class precision, recall and F1, and the confusion matrix' },
  { id: 'predict', label: 'Predict', title: 'Try a model on a text of your own' },
  { id: 'runs', label: 'Runs', title: 'Every run: rename, delete, open its model, compare curves' },
];

/** The training panel's views: the live curves, the test evaluation, prediction, the runs. */
export function TrainingTabs() {
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
    <nav className="training-tabs" role="tablist" aria-label="Training views">
      {VIEWS.map((v) => (
        <button
          key={v.id}
          type="button"
          role="tab"
          aria-selected={view === v.id}
          className={view === v.id ? 'active' : ''}
          title={v.title}
          onClick={() => useRunsStore.getState().set({ view: v.id })}
          data-testid={`view-${v.id}`}
        >
          {v.label}
          {v.id === 'test' && hasTest && view !== 'test' && <span className="dot-new" aria-label="new" />}
          {v.id === 'runs' && runs !== null && <span className="badge">{runs}</span>}
        </button>
      ))}
    </nav>
  );
}
