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
import { dataAllowed, fileAccess, grantAllowed, useConsentStore } from './consentStore';
import { useDocumentStore } from './documentStore';

const SETTLE_MS = 250;
/** How often a long read asks how far it has got, for the progress bar. */
const PROGRESS_MS = 300;

export function useDataSummary(host: Host): void {
  const data = useDocumentStore((s) => s.history?.present.data);
  const file = useDocumentStore((s) => s.file);
  // Only what this answer depends on: a pretrained path being typed must not ask again.
  const allowed = useConsentStore(useShallow(dataAllowed));
  // The same data read from another folder, or newly allowed, is another answer.
  // The Embedding's vectors, once allowed: their coverage of the vocabulary is part of the summary.
  const vectors = useConsentStore(useShallow((s) => s.files.filter((f) => f.role === 'pretrained' && f.allowed).map((f) => f.resolvedPath)));
  const key =
    data === undefined ? null : 'builtin' in data.source ? JSON.stringify([data, vectors]) : JSON.stringify([data, fileAccess(host, file), allowed, vectors]);
  const connection = useAppStore((s) => s.connection);

  useEffect(() => {
    const app = useAppStore.getState();
    if (key === null) {
      // No data section: no summary, and the graph validates on its own (explicit shapes only).
      if (app.data.status !== 'none') app.set({ data: { status: 'none' }, facts: {} });
      return;
    }
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
      const access = fileAccess(host, current);
      const text = serializeDocument(history.present);
      grantAllowed(host, text, dataAllowed(useConsentStore.getState()), access)
        .then(() => {
          const answer = host.engine.describeData(text, access);
          followProgress(host, key, answer);
          return answer;
        })
        .then(
          (answer) => {
            if (cancelled) return;
            if (answer.ok) {
              useAppStore.getState().set({ data: { status: 'ok', key, summary: answer.value }, facts: factsFromSummary(answer.value) });
            } else if (answer.error.code === 'files-not-allowed') {
              useAppStore.getState().set({ data: { status: 'needs-consent', key, message: answer.error.message }, facts: {} });
              useConsentStore.getState().reopen();
            } else
              useAppStore.getState().set({
                data: { status: 'error', key, message: answer.error.message, ...(answer.error.words ? { words: answer.error.words } : {}) },
                facts: {},
              });
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

/** Asks how far the read has got every PROGRESS_MS until `answer` settles, into the loading state of `key`. */
function followProgress(host: Host, key: string, answer: Promise<unknown>): void {
  let done = false;
  const settle = () => (done = true);
  answer.then(settle, settle);
  const ask = () => {
    if (done) return;
    host.engine.dataProgress().then(
      (progress) => {
        const { data } = useAppStore.getState();
        if (done || !progress || data.status !== 'loading' || data.key !== key) return;
        useAppStore.getState().set({ data: { ...data, progress } });
      },
      () => undefined, // The link dropped: the summary's own answer says so.
    );
    setTimeout(ask, PROGRESS_MS);
  };
  setTimeout(ask, PROGRESS_MS);
}
