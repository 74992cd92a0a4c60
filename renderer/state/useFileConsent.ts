/**
 * Asks the host which files the open document reads, a moment after the files it names change
 * (its data source, an Embedding's `pretrained` path), the accepted list changes, or it is
 * opened. The answer feeds the consent dialog; the host reads none of them to answer.
 */
import { useEffect } from 'react';
import { serializeDocument } from '../../engine/graph/load';
import type { Document } from '../../engine/graph/document';
import { pretrainedRequests } from '../../engine/graph/pretrained';
import type { Host } from '../host/Host';
import { useAppStore } from './appStore';
import { fileAccess, useConsentStore } from './consentStore';
import { useDocumentStore } from './documentStore';

const SETTLE_MS = 250;

/** What decides the answer: the data source and each Embedding's `pretrained` path. */
function namedFiles(doc: Document): string {
  const source = 'builtin' in doc.data.source ? null : doc.data.source.path;
  const vectors = pretrainedRequests(doc.graph).map((r) => [r.nodeId, r.path]);
  return source === null && vectors.length === 0 ? '' : JSON.stringify([source, vectors]);
}

// Whatever was accepted for one document is forgotten when another is loaded.
useDocumentStore.subscribe((s) => useConsentStore.getState().reset(s.loadCount));

export function useFileConsent(host: Host): void {
  const refs = useDocumentStore((s) => (s.history ? namedFiles(s.history.present) : null));
  const file = useDocumentStore((s) => s.file);
  const loadCount = useDocumentStore((s) => s.loadCount);
  const allowed = useConsentStore((s) => s.allowed);
  const connection = useAppStore((s) => s.connection);
  const access = fileAccess(host, file, allowed);
  const key = refs === null ? null : JSON.stringify([loadCount, refs, access]);

  useEffect(() => {
    if (key === null || refs === null) return;
    if (refs === '') {
      useConsentStore.getState().described([]);
      return;
    }
    if (connection !== 'open') return;
    let cancelled = false;
    const timer = setTimeout(() => {
      const { history, file: current } = useDocumentStore.getState();
      if (!history) return;
      const now = fileAccess(host, current, useConsentStore.getState().allowed);
      host.engine.describeFiles(serializeDocument(history.present), now).then(
        (answer) => !cancelled && useConsentStore.getState().described(answer.files),
        (error: unknown) => !cancelled && console.error('Modelwright: could not list the files of the document', error),
      );
    }, SETTLE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [key, refs, host, connection]);
}
