/**
 * What the tuning panel does: start and stop a sweep or the learning-rate finder through the
 * Host (files the document reads are asked for first, as Train does), and the edits that write a
 * result back into the Document, each one undoable step: the finder's suggested rate, the best
 * trial's settings, the zoomed-in sweep.
 */
import type { SweepSnapshot } from '../../engine/api';
import { serializeDocument } from '../../engine/graph/load';
import { applyConfig, withSweep } from '../../engine/graph/sweep';
import type { Host } from '../host/Host';
import { fileAccess, grantAllowed, refusedFiles, useConsentStore } from './consentStore';
import { useDocumentStore } from './documentStore';
import { useTuneStore } from './tuneStore';
import { sayError, t } from '../i18n';

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Asks the host for the document's files; a sentence when some are not allowed yet. */
async function filesReady(host: Host, documentText: string): Promise<string | null> {
  const access = fileAccess(host, useDocumentStore.getState().file);
  const answer = await grantAllowed(host, documentText, useConsentStore.getState().allowed, access);
  if (!answer.ok) return sayError(answer.error);
  const refused = refusedFiles(answer.value.files);
  if (refused.length === 0) return null;
  useConsentStore.getState().described(answer.value.files);
  useConsentStore.getState().reopen();
  return t('state.tune.notAllowed', { count: refused.length, files: refused.map((f) => f.resolvedPath).join(', ') });
}

export async function startSweep(host: Host): Promise<void> {
  const tune = useTuneStore.getState();
  const doc = useDocumentStore.getState().history?.present;
  if (!doc || tune.starting) return;
  tune.set({ starting: 'sweep', error: null });
  try {
    const documentText = serializeDocument(doc);
    const refused = await filesReady(host, documentText);
    if (refused) return tune.set({ error: refused });
    const access = fileAccess(host, useDocumentStore.getState().file);
    const started = await host.engine.startSweep({ documentText, ...access });
    if (!started.ok) {
      if (started.error.code === 'files-not-allowed') useConsentStore.getState().reopen();
      return tune.set({ error: sayError(started.error) });
    }
    tune.set({ sweepId: started.value.sweepId, resultsOpen: true });
  } catch (error) {
    tune.set({ error: t('state.tune.sweepFailed', { error: errorText(error) }) });
  } finally {
    useTuneStore.getState().set({ starting: null });
  }
}

export async function startLrFind(host: Host): Promise<void> {
  const tune = useTuneStore.getState();
  const doc = useDocumentStore.getState().history?.present;
  if (!doc || tune.starting) return;
  tune.set({ starting: 'lr-find', error: null });
  try {
    const documentText = serializeDocument(doc);
    const refused = await filesReady(host, documentText);
    if (refused) return tune.set({ error: refused });
    const access = fileAccess(host, useDocumentStore.getState().file);
    const started = await host.engine.startLrFind({ documentText, ...access });
    if (!started.ok) return tune.set({ error: sayError(started.error) });
  } catch (error) {
    tune.set({ error: t('state.tune.lrFindFailed', { error: errorText(error) }) });
  } finally {
    useTuneStore.getState().set({ starting: null });
  }
}

/** Writes a learning rate into the document: one undo step. */
export function applyLearningRate(lr: number): void {
  useDocumentStore.getState().edit((doc) => applyConfig(doc, { 'training.optimizer.lr': lr }), null);
}

/** Writes the best trial's settings into the document: one undo step. */
export function applyBest(sweep: SweepSnapshot): void {
  const best = sweep.trials.find((t) => t.trial === sweep.best);
  if (best) useDocumentStore.getState().edit((doc) => applyConfig(doc, best.config), null);
}

/** Replaces the document's sweep with the zoomed-in one the host proposed: one undo step. */
export function applyZoom(sweep: SweepSnapshot): void {
  if (sweep.zoom) useDocumentStore.getState().edit((doc) => withSweep(doc, sweep.zoom!), null);
}
