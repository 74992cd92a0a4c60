/**
 * Asks the host which files the open document reads, a moment after the files it names change
 * (its data source, an Embedding's `pretrained` path), the accepted list changes, or it is
 * opened. The answer feeds the consent dialog; the host reads none of them to answer.
 */
import { useEffect } from 'react';
import { serializeDocument } from '../../engine/graph/load';
import type { Document } from '../../engine/graph/document';
import { pretrainedRequests } from '../../engine/graph/files';
import type { Host } from '../host/Host';
import { useAppStore } from './appStore';
import { fileAccess, grantAllowed, useConsentStore } from './consentStore';
import { useDocumentStore } from './documentStore';
import { sayError } from '../i18n';

const SETTLE_MS = 250;

/** What decides the answer: the data source and each Embedding's `pretrained` path. */
function namedFiles(doc: Document): string {
  const source = !doc.data || 'builtin' in doc.data.source ? null : doc.data.source.path;
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
  // After a reconnect the host has forgotten this page's grants: asking again grants them again.
  const key = refs === null ? null : JSON.stringify([loadCount, refs, fileAccess(host, file), allowed]);

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
      grantAllowed(host, serializeDocument(history.present), useConsentStore.getState().allowed, fileAccess(host, current)).then(
        (answer) => {
          if (cancelled) return;
          if (answer.ok) useConsentStore.getState().described(answer.value.files);
          else useAppStore.getState().notify('error', sayError(answer.error));
        },
        (error: unknown) => !cancelled && console.error('Modelwright: could not list the files of the document', error),
      );
    }, SETTLE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [key, refs, host, connection]);
}
