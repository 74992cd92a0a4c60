/**
 * The desktop-app behaviour of the page, in every host: autosave while there are unsaved
 * changes, the offer to restore what a crash left, the title and unsaved mark, the close guard,
 * documents dropped on the window, and, in the desktop shell, the native menus (from the command
 * table), close requests and documents the OS hands over.
 */
import { useEffect, useMemo } from 'react';
import { useReactFlow } from '@xyflow/react';
import { serializeDocument } from '../engine/graph/load';
import type { Actions } from './actions';
import { menuModel, runCommand, type CommandContext } from './commands';
import type { Host } from './host/Host';
import { i18n, sayError, t } from './i18n';
import { useDocumentStore } from './state/documentStore';
import { useShellStore } from './state/shellStore';
import { useTrainingStore } from './state/trainingStore';
import { useAppStore } from './state/appStore';

/** How often, at most, unsaved changes are written to the autosave. */
export const AUTOSAVE_INTERVAL_MS = 3_000;

/** This page's autosave slot: new for every page, so a reloaded or crashed page's slot is offered back. */
const SLOT = `s${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

const isDirty = (): boolean => {
  const { history, saved } = useDocumentStore.getState();
  return history !== null && history.present !== saved;
};

function useAutosave(host: Host): void {
  useEffect(() => {
    let written: unknown = null;
    let hasSlot = false;
    let failing = false;
    const tick = async (): Promise<void> => {
      const { history, file } = useDocumentStore.getState();
      if (!history) return;
      if (!isDirty()) {
        // Saved, reverted or discarded: the autosave has nothing to keep.
        if (hasSlot) {
          hasSlot = false;
          written = null;
          await host.engine.discardAutosave(SLOT).catch(() => undefined);
        }
        return;
      }
      if (written === history.present) return;
      const doc = history.present;
      try {
        const answer = await host.engine.autosaveDocument({
          slot: SLOT,
          text: serializeDocument(doc),
          name: file.name,
          ...(file.path && !file.path.startsWith('browser-file:') && !file.path.startsWith('download:') ? { documentPath: file.path } : {}),
        });
        if (answer.ok) {
          written = doc;
          hasSlot = true;
          failing = false;
        } else if (!failing) {
          failing = true; // say it once, not every few seconds
          useAppStore.getState().notify('error', t('shell.autosave.failed', { error: sayError(answer.error) }));
        }
      } catch {
        // The link to the host is down; the next tick tries again.
      }
    };
    const timer = setInterval(() => void tick(), AUTOSAVE_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [host]);
}

function useRecovery(host: Host): void {
  useEffect(() => {
    let cancelled = false;
    host.engine.recoverableDocuments().then(
      (recovery) => !cancelled && useShellStore.getState().set({ recovery }),
      () => undefined,
    );
    host.recentDocuments().then(
      (recent) => !cancelled && useShellStore.getState().set({ recent }),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [host]);
}

/** "• surname-cnn.modelwright — Modelwright": the dot says there are unsaved changes. */
function useTitle(host: Host): void {
  const name = useDocumentStore((s) => s.file.name);
  const path = useDocumentStore((s) => s.file.path);
  const dirty = useDocumentStore((s) => s.history !== null && s.history.present !== s.saved);
  useEffect(() => {
    const title = `${dirty ? '• ' : ''}${name} — Modelwright`;
    document.title = title;
    host.shell?.setDocumentState({ title, dirty, ...(path && !path.startsWith('browser-file:') && !path.startsWith('download:') ? { path } : {}) });
  }, [host, name, path, dirty]);
}

/** A browser tab can only ask with the browser's own words; it does when work or a run would be lost. */
function useBeforeUnload(host: Host): void {
  useEffect(() => {
    if (host.shell) return; // the desktop asks with Save / Don't save / Cancel (useCloseRequest)
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!isDirty()) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [host]);
}

const DOCUMENT_FILE = /\.(modelwright|json)$/i;

/** A `.modelwright` (or `.json`) file dropped anywhere on the window opens, asking first about unsaved changes. */
function useDropToOpen(host: Host, actions: Actions): void {
  useEffect(() => {
    const documentItem = (e: DragEvent) => [...(e.dataTransfer?.items ?? [])].find((i) => i.kind === 'file');
    const onDragOver = (e: DragEvent) => {
      if (e.defaultPrevented || !e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault(); // else the browser would open the file in place of the app
      e.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (e: DragEvent) => {
      if (e.defaultPrevented || !e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      const file = e.dataTransfer.files[0];
      if (!file) return;
      if (!DOCUMENT_FILE.test(file.name)) {
        useAppStore.getState().notify('error', t('shell.drop.notDocument', { name: file.name }));
        return;
      }
      void actions.openOpened(host.openDropped(file, documentItem(e)));
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [host, actions]);
}

/** The native menus follow the table, the language, what is enabled now, and the recent files. */
function useNativeMenu(ctx: CommandContext): void {
  const { host } = ctx;
  useEffect(() => {
    const shell = host.shell;
    if (!shell) return;
    let last = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const send = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const model = menuModel(ctx, useShellStore.getState().recent);
        const text = JSON.stringify(model);
        if (text === last) return;
        last = text;
        shell.setMenu(model);
      }, 50);
    };
    send();
    const unsubscribe = [
      useDocumentStore.subscribe(send),
      useTrainingStore.subscribe(send),
      useShellStore.subscribe(send),
      shell.onCommand((id) => runCommand(id, ctx)),
    ];
    i18n.on('languageChanged', send);
    return () => {
      clearTimeout(timer);
      for (const u of unsubscribe) u();
      i18n.off('languageChanged', send);
    };
  }, [ctx, host]);
}

function useDesktopWindow(host: Host, actions: Actions): void {
  useEffect(() => {
    const shell = host.shell;
    if (!shell) return;
    let asking = false;
    const offClose = shell.onCloseRequest(() => {
      if (asking) return;
      asking = true;
      void actions
        .confirmClose()
        .then(async ({ close, stopRuns }) => {
          if (!close) return;
          // Nothing unsaved is left to recover: the autosave goes with the window.
          if (!isDirty()) await host.engine.discardAutosave(SLOT).catch(() => undefined);
          shell.closeWindow({ stopRuns });
        })
        .finally(() => {
          asking = false;
        });
    });
    const offOpen = shell.onOpenDocument((opened) => void actions.openOpened(opened));
    return () => {
      offClose();
      offOpen();
    };
  }, [host, actions]);
}

/** Everything above; mounted once inside the React Flow provider (the View commands fit the view). */
export function Shell({ host, actions }: { host: Host; actions: Actions }) {
  const flow = useReactFlow();
  const ctx = useCommandContext(host, actions, flow);
  useAutosave(host);
  useRecovery(host);
  useTitle(host);
  useBeforeUnload(host);
  useDropToOpen(host, actions);
  useNativeMenu(ctx);
  useDesktopWindow(host, actions);
  return null;
}

function useCommandContext(host: Host, actions: Actions, flow: CommandContext['flow']): CommandContext {
  return useMemo(() => ({ host, actions, flow }), [host, actions, flow]);
}
