/**
 * Opens the exact Document a stored run trained, as opening a file does: through the document
 * store, after asking before unsaved changes are replaced. It opens as a new, unsaved document
 * (saving asks where), named after the run.
 */
import type { EngineApi } from '../../engine/api';
import { parseDocument } from '../../engine/graph/load';
import { useAppStore } from './appStore';
import { useDocumentStore } from './documentStore';
import { isActive, useTrainingStore } from './trainingStore';
import { sayError, t } from '../i18n';
import { sayWords } from '../i18n/engineErrors';

/** "Surname CNN · wider" → "surname-cnn-wider.modelwright". */
export function runFileName(name: string): string {
  const base =
    name
      .trim()
      .replace(/[^\p{L}\p{N} ._-]+/gu, '')
      .replace(/\s+/g, '-')
      .toLowerCase() || 'run';
  return `${base}.modelwright`;
}

/** True when the run's Document was opened; false when the user kept their work or it failed (said in a notice). */
export async function openRunDocument(engine: EngineApi, runId: string): Promise<boolean> {
  const app = useAppStore.getState();
  let answer;
  try {
    answer = await engine.runDocument(runId);
  } catch (error) {
    app.notify('error', t('state.runModel.readFailed', { error: error instanceof Error ? error.message : String(error) }));
    return false;
  }
  if (!answer.ok) {
    app.notify('error', sayError(answer.error));
    return false;
  }
  const parsed = parseDocument(answer.value.documentText, { keepGroups: true });
  if (!parsed.ok) {
    app.notify('error', t('state.runModel.doesNotOpen', { error: sayWords(t, parsed.words) }));
    return false;
  }
  const { history, saved, file } = useDocumentStore.getState();
  if (history && history.present !== saved) {
    const ok = await app.confirm({
      title: t('state.runModel.discardTitle'),
      text: t('state.runModel.discardText', { file: file.name }),
      confirmLabel: t('state.runModel.discardConfirm'),
    });
    if (!ok) return false;
  }
  useDocumentStore.getState().load(parsed.doc, { name: runFileName(answer.value.name) });
  // The charts of a finished run belong to the model that ran; a run still going stays in view.
  if (!isActive(useTrainingStore.getState().run.status)) useTrainingStore.getState().reset();
  app.notify('info', t('state.runModel.opened', { name: answer.value.name }));
  return true;
}
