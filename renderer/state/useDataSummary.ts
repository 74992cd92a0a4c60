/**
 * Keeps the data summary (and the facts `"auto"` params read) in step with the document's `data`
 * section: asks the engine again, a moment after the section last changed.
 */
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { factsFromSummary } from '../../engine/graph/facts';
import { serializeDocument } from '../../engine/graph/load';
import type { Host } from '../host/Host';
import { useAppStore } from './appStore';
import { dataAllowed, fileAccess, isFilesNotAllowed, useConsentStore } from './consentStore';
import { useDocumentStore } from './documentStore';

const SETTLE_MS = 250;

export function useDataSummary(host: Host): void {
  const data = useDocumentStore((s) => s.history?.present.data);
  const file = useDocumentStore((s) => s.file);
  // Only what this answer depends on: a pretrained path being typed must not ask again.
  const allowed = useConsentStore(useShallow(dataAllowed));
  // The same data read from another folder, or newly allowed, is another answer.
  const key = data === undefined ? null : 'builtin' in data.source ? JSON.stringify([data]) : JSON.stringify([data, fileAccess(host, file, allowed)]);
  const connection = useAppStore((s) => s.connection);

  useEffect(() => {
    if (key === null) return;
    const app = useAppStore.getState();
    const current = app.data;
    // An answer we already have is kept; anything else (a failure, a request cut off by a
    // reconnect) is asked again.
    if (current.status === 'ok' && current.key === key) return;
    if (connection !== 'open') return;
    let cancelled = false;
    const timer = setTimeout(() => {
      const { history, file: current } = useDocumentStore.getState();
      if (!history) return;
      app.set({ data: { status: 'loading', key } });
      const access = fileAccess(host, current, dataAllowed(useConsentStore.getState()));
      host.engine.describeData(serializeDocument(history.present), access).then(
        (summary) => {
          if (cancelled) return;
          useAppStore.getState().set({ data: { status: 'ok', key, summary }, facts: factsFromSummary(summary) });
        },
        (error: unknown) => {
          if (cancelled) return;
          const message = error instanceof Error ? error.message : String(error);
          if (isFilesNotAllowed(message)) {
            useAppStore.getState().set({ data: { status: 'needs-consent', key, message }, facts: {} });
            useConsentStore.getState().reopen();
          } else useAppStore.getState().set({ data: { status: 'error', key, message }, facts: {} });
        },
      );
    }, SETTLE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [key, host, connection]);
}
