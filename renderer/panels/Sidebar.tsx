import { useAppStore, type SidebarTab } from '../state/appStore';
import { useAnalysis } from '../state/analysis';
import { BlockInspector } from './BlockInspector';
import { DataPanel } from './DataPanel';
import { ModelSummary } from './ModelSummary';
import { TrainingSettings } from './TrainingSettings';
import { TunePanel } from './TunePanel';

const TABS: readonly { id: SidebarTab; label: string }[] = [
  { id: 'block', label: 'Block' },
  { id: 'model', label: 'Model' },
  { id: 'training', label: 'Training' },
  { id: 'data', label: 'Data' },
];

/** The inspector: the selected block, the model summary, the training settings, the data. */
export function Sidebar() {
  const tab = useAppStore((s) => s.sidebarTab);
  const analysis = useAnalysis();
  const problems = analysis?.raw.issues.length ?? 0;
  return (
    <aside className="sidebar" data-testid="inspector" aria-label="Inspector">
      <nav className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={tab === t.id ? 'active' : ''}
            onClick={() => useAppStore.getState().set({ sidebarTab: t.id })}
            data-testid={`tab-${t.id}`}
          >
            {t.label}
            {t.id === 'model' && problems > 0 && <span className="badge bad">{problems}</span>}
          </button>
        ))}
      </nav>
      <div className="tab-body" role="tabpanel">
        {tab === 'block' && <BlockInspector />}
        {tab === 'model' && <ModelSummary />}
        {tab === 'training' && (
          <>
            <TrainingSettings />
            <TunePanel />
          </>
        )}
        {tab === 'data' && <DataPanel />}
      </div>
    </aside>
  );
}
