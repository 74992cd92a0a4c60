import { useEffect, useMemo } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { createActions } from './actions';
import { HostContext } from './HostContext';
import type { Host } from './host/Host';
import { useAppStore } from './state/appStore';
import { useDocumentStore } from './state/documentStore';
import { useTrainingStore } from './state/trainingStore';
import { useDataSummary } from './state/useDataSummary';
import { useFileConsent } from './state/useFileConsent';
import { Shortcuts } from './useShortcuts';
import { Toolbar } from './panels/Toolbar';
import { Palette } from './panels/Palette';
import { Canvas } from './canvas/Canvas';
import { Sidebar } from './panels/Sidebar';
import { TrainingPanel } from './panels/TrainingPanel';
import { StatusBar } from './panels/StatusBar';
import { Notices } from './panels/Notices';
import { ConfirmDialog } from './panels/ConfirmDialog';
import { ShortcutsHelp } from './panels/ShortcutsHelp';
import { FileConsent } from './panels/FileConsent';
import { ChoiceDialog } from './panels/ChoiceDialog';
import { Shell } from './useShell';
import { t } from './i18n';

/** The example a new user sees first. */
const FIRST_EXAMPLE = 'surname-cnn.json';

export function App({ host }: { host: Host }) {
  const actions = useMemo(() => createActions(host), [host]);
  const context = useMemo(() => ({ host, actions }), [host, actions]);

  useEffect(() => host.engine.onTrainEvent((event) => useTrainingStore.getState().receive(event)), [host]);
  useEffect(
    () =>
      host.onConnectionChange((connection) => {
        useAppStore.getState().set({ connection });
        // Runs outlive the page: on every (re)connect, show the one in progress whole, from step 1.
        if (connection === 'open') {
          host.engine.activeRuns().then(
            (runs) => useTrainingStore.getState().adopt(runs),
            () => undefined, // The link dropped again; the next open asks again.
          );
        }
      }),
    [host],
  );

  useEffect(() => {
    let cancelled = false;
    const app = useAppStore.getState();
    host.engine.backendInfo().then(
      (backend) => !cancelled && app.set({ backend, backendError: null }),
      (error: unknown) => !cancelled && app.set({ backendError: error instanceof Error ? error.message : String(error) }),
    );
    host.engine.listExamples().then(
      (examples) => {
        if (cancelled) return;
        app.set({ examples });
        // Open the first example once, when nothing is open yet (StrictMode runs effects twice).
        if (useDocumentStore.getState().history === null) {
          const first = examples.find((e) => e.file === FIRST_EXAMPLE) ?? examples[0];
          // Whatever happens, the user gets a model to work on.
          const fallback = () => useDocumentStore.getState().history === null && void actions.newDocument();
          if (first) void actions.openExample(first.file).finally(fallback);
          else fallback();
        }
      },
      (error: unknown) => {
        if (cancelled) return;
        app.notify('error', t('shell.notice.examplesFailed', { error: error instanceof Error ? error.message : String(error) }));
        if (useDocumentStore.getState().history === null) void actions.newDocument();
      },
    );
    return () => {
      cancelled = true;
    };
  }, [host, actions]);

  useFileConsent(host);
  useDataSummary(host);

  return (
    <HostContext.Provider value={context}>
      <ReactFlowProvider>
        <Shortcuts actions={actions} />
        <Shell host={host} actions={actions} />
        <div className="app">
          <Toolbar />
          <Palette />
          <main className="workspace">
            <FileConsent />
            <Canvas />
            <TrainingPanel />
          </main>
          <Sidebar />
          <StatusBar />
        </div>
        <Notices />
        <ConfirmDialog />
        <ChoiceDialog />
        <ShortcutsHelp />
      </ReactFlowProvider>
    </HostContext.Provider>
  );
}
