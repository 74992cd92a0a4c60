import { useTranslation } from 'react-i18next';
import { useAppStore, type SidebarTab } from '../state/appStore';
import { useAnalysis } from '../state/analysis';
import { BlockInspector } from './BlockInspector';
import { DataPanel } from './DataPanel';
import { ModelSummary } from './ModelSummary';
import { TrainingSettings } from './TrainingSettings';
import { TunePanel } from './TunePanel';

/** The tabs; each one's label is `app.sidebar.<id>`. */
export const SIDEBAR_TABS: readonly SidebarTab[] = ['block', 'model', 'training', 'data'];

/** The inspector: the selected block, the model summary, the training settings, the data. */
export function Sidebar() {
  const { t } = useTranslation();
  const tab = useAppStore((s) => s.sidebarTab);
  const analysis = useAnalysis();
  const problems = analysis?.raw.issues.length ?? 0;
  return (
    <aside className="sidebar" data-testid="inspector" aria-label={t('app.sidebar.label')}>
      <nav className="tabs" role="tablist">
        {SIDEBAR_TABS.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={tab === id ? 'active' : ''}
            onClick={() => useAppStore.getState().set({ sidebarTab: id })}
            data-testid={`tab-${id}`}
          >
            {t(`app.sidebar.${id}`)}
            {id === 'model' && problems > 0 && <span className="badge bad">{problems}</span>}
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
