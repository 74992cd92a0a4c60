import { useHost } from '../HostContext';
import { useAppStore } from '../state/appStore';
import { useAnalysis } from '../state/analysis';
import { useDoc } from '../state/documentStore';
import { useTrainingStore } from '../state/trainingStore';

const CONNECTION_TEXT = { connecting: 'connecting…', open: 'connected', reconnecting: 'reconnecting…', closed: 'disconnected' } as const;

/** The engine link, the backend it trains on, the size of the model and its problems. */
export function StatusBar() {
  const { host } = useHost();
  const connection = useAppStore((s) => s.connection);
  const backend = useAppStore((s) => s.backend);
  const backendError = useAppStore((s) => s.backendError);
  const doc = useDoc();
  const analysis = useAnalysis();
  const runBackend = useTrainingStore((s) => s.run.start?.backend ?? null);
  const shown = runBackend ?? backend;
  const problems = analysis?.raw.issues.length ?? 0;

  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className={`dot ${connection}`} aria-hidden />
      <span title={host.kind === 'web' ? 'The engine runs in the web host behind this page' : 'The engine runs in the desktop app'}>
        {host.kind === 'web' ? 'Web' : 'Desktop'} · {CONNECTION_TEXT[connection]}
      </span>
      <span className="sep" />
      <span data-testid="backend" title={shown ? shown.reason : (backendError ?? '')}>
        {shown
          ? `Backend: ${shown.name} (${shown.package})${shown.threads ? ` · ${shown.threads} thread${shown.threads === 1 ? '' : 's'}` : ''}`
          : backendError
            ? `Backend unknown: ${backendError}`
            : 'Backend: asking…'}
      </span>
      <span className="spacer" />
      {doc && (
        <span>
          {doc.graph.nodes.length} blocks · {doc.graph.edges.length} wires
        </span>
      )}
      <span className="sep" />
      <button
        type="button"
        className={`status-problems ${problems ? 'bad' : 'good'}`}
        onClick={() => useAppStore.getState().set({ sidebarTab: 'model' })}
        data-testid="status-problems"
      >
        {problems === 0 ? '✓ valid' : `⚠ ${problems} problem${problems === 1 ? '' : 's'}`}
      </button>
    </footer>
  );
}
