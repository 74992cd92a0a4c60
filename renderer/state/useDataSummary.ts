/**
 * Keeps the data summary (and the facts `"auto"` params read) in step with the document's `data`
 * section: asks the engine again, a moment after the section last changed.
 */
import { useEffect } from 'react';
import { factsFromSummary } from '../../engine/graph/facts';
import { serializeDocument } from '../../engine/graph/load';
import type { Host } from '../host/Host';
import { useAppStore } from './appStore';
import { useDocumentStore } from './documentStore';

const SETTLE_MS = 250;

export function useDataSummary(host: Host): void {
  const data = useDocumentStore((s) => s.history?.present.data);
  const key = data === undefined ? null : JSON.stringify(data);
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
      const doc = useDocumentStore.getState().history?.present;
      if (!doc) return;
      app.set({ data: { status: 'loading', key } });
      host.engine.describeData(serializeDocument(doc)).then(
        (summary) => {
          if (cancelled) return;
          useAppStore.getState().set({ data: { status: 'ok', key, summary }, facts: factsFromSummary(summary) });
        },
        (error: unknown) => {
          if (cancelled) return;
          useAppStore.getState().set({ data: { status: 'error', key, message: error instanceof Error ? error.message : String(error) }, facts: {} });
        },
      );
    }, SETTLE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [key, host, connection]);
}
