/**
 * What the toolbar, the shortcuts and the menus do. Each action goes through the Host, so it
 * works the same in Electron and in a browser.
 */
import { parseDocument, serializeDocument } from '../engine/graph/load';
import { CURRENT_SCHEMA_VERSION, DocumentSchema, type Document } from '../engine/graph/document';
import type { GraphIssue } from '../engine/graph/types';
import type { ExportRunRequest, OpenedFile, RecoverableDocument } from '../engine/api';
import { sayError, t } from './i18n';
import { useShellStore } from './state/shellStore';
import type { Host } from './host/Host';
import { useAppStore } from './state/appStore';
import { useDocumentStore, type FileRef } from './state/documentStore';
import { isActive, useTrainingStore } from './state/trainingStore';
import { analysisOf } from './state/analysis';
import { fileAccess, grantAllowed, refusedFiles, useConsentStore } from './state/consentStore';
import { moveNodes } from './state/edits';
import { DEFAULT_LAYOUT_VIEWPORT, needsLayout, tidyLayout } from './canvas/layout';
import { sayWords } from './i18n/engineErrors';

export interface Actions {
  /** A blank model, unsaved. */
  newDocument(): Promise<void>;
  openExample(file: string): Promise<void>;
  openFile(): Promise<void>;
  /** Saves; true when the document is saved now (false: cancelled or failed). */
  save(saveAs?: boolean): Promise<boolean>;
  /** Throws away unsaved changes: reads the file again where the host can, else the copy last saved. */
  revert(): Promise<void>;
  /** Writes the document as JSON somewhere new, leaving the open document as it is. */
  exportJson(): Promise<void>;
  /** Opens a document the host handed over (the OS, a drop, a recent file), asking first about unsaved changes. */
  openOpened(opened: OpenedFile | Promise<OpenedFile>): Promise<void>;
  openRecent(path: string): Promise<void>;
  /** Restores an autosave as the open document, unsaved. */
  restore(entry: RecoverableDocument): Promise<void>;
  /**
   * Before the window closes: asks about a run in progress and unsaved changes. Resolves what
   * the user chose: close (stopping runs or not), or stay.
   */
  confirmClose(): Promise<{ close: boolean; stopRuns: boolean }>;
  train(): Promise<void>;
  stop(): Promise<void>;
  /** Exports the last finished run's model; the host decides where (the desktop asks). */
  exportRun(format: ExportRunRequest['format']): Promise<void>;
}

/** What each export format is called in the menu and in notices. */
export const exportFormatName = (format: ExportRunRequest['format']): string => t(`shell.exportFormat.${format}`);

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A file name for a document: its name, made safe, with the `.modelwright` extension. */
function suggestedFileName(doc: Document, file: FileRef): string {
  if (file.path && /\.(modelwright|json)$/i.test(file.name)) return file.name;
  const base =
    doc.name
      .trim()
      .replace(/[^\p{L}\p{N} ._-]+/gu, '')
      .replace(/\s+/g, '-')
      .toLowerCase() || 'untitled';
  return `${base}.modelwright`;
}

/** The canvas's size on screen, or a 1280×800 window's canvas before it is laid out. */
function canvasSize(): { width: number; height: number } {
  const rect = typeof document !== 'undefined' ? document.querySelector('.canvas')?.getBoundingClientRect() : undefined;
  return rect && rect.width > 100 && rect.height > 100 ? { width: rect.width, height: rect.height } : { width: 750, height: 460 };
}

/** The document with its blocks in a tidy layout that fits the canvas (or `viewport`). */
export function tidied(doc: Document, viewport?: { width: number; height: number }): Document {
  const size = canvasSize();
  // Leave room for the fit-view padding and the minimap.
  return moveNodes(doc, tidyLayout(doc.graph, { viewport: viewport ?? { width: size.width * 0.85, height: size.height * 0.8 } }));
}

/** An empty model on the built-in data (the data section's defaults: the surnames), with the default training settings. */
function blankDocument(): Document {
  return DocumentSchema.parse({ format: 'modelwright', schemaVersion: CURRENT_SCHEMA_VERSION, name: 'Untitled', graph: { nodes: [], edges: [] }, data: {} });
}

export function createActions(host: Host): Actions {
  const app = useAppStore.getState;
  const docs = useDocumentStore.getState;

  /** Asks before throwing away unsaved changes (Save / Don't save / Cancel); true means go ahead. */
  async function mayDiscard(): Promise<boolean> {
    const { history, saved, file } = docs();
    if (!history || history.present === saved) return true;
    const answer = await useShellStore.getState().choose({
      title: t('shell.unsaved.title', { name: file.name }),
      text: t('shell.unsaved.text'),
      testId: 'unsaved',
      options: [
        { id: 'discard', label: t('shell.unsaved.discard'), kind: 'danger' },
        { id: 'cancel', label: t('shell.unsaved.cancel') },
        { id: 'save', label: t('shell.unsaved.save'), kind: 'primary' },
      ],
    });
    if (answer === 'save') return save(false);
    return answer === 'discard';
  }

  async function save(saveAs: boolean): Promise<boolean> {
    const { history, file } = docs();
    if (!history) return false;
    const doc = history.present;
    try {
      const req = { suggestedName: suggestedFileName(doc, file), text: serializeDocument(doc) };
      const saved = await host.saveDocument(!saveAs && file.path ? { ...req, path: file.path } : req);
      if (!saved) return false;
      docs().markSaved(doc, { name: saved.name, path: saved.path });
      app().notify('info', t('shell.notice.saved', { name: saved.name }));
      void refreshRecent();
      return true;
    } catch (error) {
      // The work stays open and in the autosave; the message names what went wrong.
      app().notify('error', t('shell.notice.saveFailed', { error: errorText(error) }));
      return false;
    }
  }

  async function refreshRecent(): Promise<void> {
    const recent = await host.recentDocuments().catch(() => []);
    useShellStore.getState().set({ recent });
  }

  function loadText(text: string, file: FileRef): boolean {
    const parsed = parseDocument(text, { keepGroups: true });
    if (!parsed.ok) {
      app().notify('error', t('shell.actions.openBad', { name: file.name, error: sayWords(t, parsed.words) }));
      return false;
    }
    // A file whose blocks have no usable layout (all in one row, or no positions, as tools that
    // generate files write them) is laid out to fit; any other keeps the layout it was saved with.
    docs().load(needsLayout(parsed.doc.graph) ? tidied(parsed.doc, DEFAULT_LAYOUT_VIEWPORT) : parsed.doc, file);
    // The charts of a finished run belong to the model that ran; a run still going stays in view.
    if (!isActive(useTrainingStore.getState().run.status)) useTrainingStore.getState().reset();
    if (parsed.migratedFrom !== undefined) {
      app().notify('info', t('shell.actions.migrated', { name: file.name, version: parsed.migratedFrom }));
    }
    return true;
  }

  return {
    async newDocument() {
      if (!(await mayDiscard())) return;
      docs().load(blankDocument(), { name: 'untitled.modelwright' });
      if (!isActive(useTrainingStore.getState().run.status)) useTrainingStore.getState().reset();
    },

    async openExample(file) {
      if (!(await mayDiscard())) return;
      try {
        const text = await host.engine.loadExample(file);
        // An example opens as a new, unsaved document: saving asks where, never over the example.
        loadText(text, { name: file.replace(/\.json$/, '.modelwright') });
      } catch (error) {
        app().notify('error', t('shell.actions.exampleFailed', { file, error: errorText(error) }));
      }
    },

    async openFile() {
      if (!(await mayDiscard())) return;
      try {
        const opened = await host.openDocument();
        if (!opened) return;
        loadText(opened.text, opened.path !== undefined ? { name: opened.name, path: opened.path } : { name: opened.name });
        void refreshRecent();
      } catch (error) {
        app().notify('error', t('shell.notice.openFailed', { error: errorText(error) }));
      }
    },

    save: (saveAs = false) => save(saveAs),

    async revert() {
      const { history, saved, file } = docs();
      if (!history || history.present === saved) return;
      const ok = await app().confirm({
        title: t('shell.revert.title', { name: file.name }),
        text: t('shell.revert.text'),
        confirmLabel: t('shell.revert.confirm'),
      });
      if (!ok) return;
      if (file.path && host.readDocument) {
        try {
          const opened = await host.readDocument(file.path);
          if (opened) {
            loadText(opened.text, file);
            return;
          }
        } catch (error) {
          // Deleted or unreadable since: say so, and keep the work (it is still in the autosave).
          app().notify('error', t('shell.revert.failed', { name: file.name, error: errorText(error) }));
          return;
        }
      }
      // Where the host cannot read the file again (a browser download), the copy last saved here.
      if (saved) docs().load(saved, file);
    },

    async exportJson() {
      const doc = docs().history?.present;
      if (!doc) return;
      try {
        const name = suggestedFileName(doc, { name: '' }).replace(/\.modelwright$/, '.json');
        const written = await host.saveDocument({ suggestedName: name, text: serializeDocument(doc) });
        if (written) app().notify('info', t('shell.notice.exported', { name: written.name }));
      } catch (error) {
        app().notify('error', t('shell.notice.exportFailed', { error: errorText(error) }));
      }
    },

    async openOpened(pending) {
      try {
        const opened = await pending;
        if (!(await mayDiscard())) return;
        loadText(opened.text, opened.path !== undefined ? { name: opened.name, path: opened.path } : { name: opened.name });
        void refreshRecent();
      } catch (error) {
        app().notify('error', t('shell.notice.openFailed', { error: errorText(error) }));
      }
    },

    async openRecent(path) {
      if (!(await mayDiscard())) return;
      try {
        const opened = await host.openRecent(path);
        loadText(opened.text, { name: opened.name, path: opened.path ?? path });
      } catch (error) {
        app().notify('error', t('shell.notice.openFailed', { error: errorText(error) }));
      }
      void refreshRecent();
    },

    async restore(entry) {
      if (!(await mayDiscard())) return;
      // Back with the file it belonged to, when the host kept it: saving writes there (the host
      // kept only a path it knew); without one, saving asks where.
      if (loadText(entry.text, { name: entry.name, ...(entry.documentPath !== undefined ? { path: entry.documentPath } : {}) })) {
        docs().markUnsaved();
        useShellStore.getState().set({ recovery: useShellStore.getState().recovery.filter((r) => r.slot !== entry.slot) });
        await host.engine.discardAutosave(entry.slot).catch(() => undefined);
        app().notify('info', t('shell.recovery.restored', { name: entry.name }));
      }
    },

    async confirmClose() {
      const runs = await host.engine.activeRuns().catch(() => []);
      let stopRuns = false;
      if (runs.length > 0 || isActive(useTrainingStore.getState().run.status)) {
        const answer = await useShellStore.getState().choose({
          title: t('shell.closeTraining.title'),
          text: t('shell.closeTraining.text'),
          testId: 'close-training',
          options: [
            { id: 'stop', label: t('shell.closeTraining.stop'), kind: 'danger' },
            { id: 'keep', label: t('shell.closeTraining.keep'), kind: 'primary' },
          ],
        });
        if (answer !== 'stop') return { close: false, stopRuns: false };
        stopRuns = true;
      }
      return { close: await mayDiscard(), stopRuns };
    },

    async train() {
      const training = useTrainingStore.getState();
      if (isActive(training.run.status)) return;
      const doc = docs().history?.present;
      if (!doc) return;
      if (!doc.data) {
        // Nothing to train on yet: say so, and show where to choose it.
        training.begin(doc);
        useTrainingStore.getState().failed(t('shell.actions.noData'));
        app().set({ sidebarTab: 'data' });
        return;
      }
      const { facts, data } = app();
      if (data.status === 'ok') {
        const issues: GraphIssue[] = analysisOf(doc.graph, facts).raw.issues;
        if (issues.length > 0) {
          training.begin(doc);
          useTrainingStore.getState().failed(t('shell.actions.problems', { count: issues.length }), issues);
          return;
        }
      }
      training.begin(doc);
      const documentText = serializeDocument(doc);
      const consent = useConsentStore.getState;
      const access = fileAccess(host, docs().file);
      try {
        // Ask first, so a file the user has not accepted is explained here instead of failing the run.
        const answer = await grantAllowed(host, documentText, consent().allowed, access);
        if (!answer.ok) {
          useTrainingStore.getState().failed(t('shell.actions.trainFailed', { error: sayError(answer.error) }));
          return;
        }
        const files = answer.value.files;
        const refused = refusedFiles(files);
        if (refused.length > 0) {
          consent().described(files);
          consent().reopen();
          useTrainingStore.getState().failed(t('shell.actions.notAllowed', { count: refused.length, files: refused.map((f) => f.resolvedPath).join(', ') }));
          return;
        }
        const started = await host.engine.startTraining({ documentText, ...access });
        if (!started.ok) {
          if (started.error.code === 'files-not-allowed') useConsentStore.getState().reopen();
          useTrainingStore
            .getState()
            .failed(
              t('shell.actions.trainFailed', { error: sayError(started.error) }),
              started.error.code === 'invalid-graph' ? started.error.issues : undefined,
            );
          return;
        }
        const { runId } = started.value;
        // Stop may have been pressed before the engine said which run it started.
        const stopAsked = useTrainingStore.getState().run.status === 'stopping';
        useTrainingStore.getState().started(runId);
        if (stopAsked) await host.engine.stopTraining(runId);
      } catch (error) {
        useTrainingStore.getState().failed(t('shell.actions.trainFailed', { error: errorText(error) }));
      }
    },

    async exportRun(format) {
      const { run } = useTrainingStore.getState();
      if (run.status !== 'done' || !run.runId) {
        app().notify('info', t('shell.actions.exportFirst'));
        return;
      }
      try {
        const answer = await host.engine.exportRun({ runId: run.runId, format });
        if (!answer.ok) app().notify('error', t('shell.actions.exportFailed', { error: sayError(answer.error) }));
        else if (answer.value) app().notify('info', t('shell.actions.exported', { what: exportFormatName(format), path: answer.value.path }));
      } catch (error) {
        app().notify('error', t('shell.actions.exportFailed', { error: errorText(error) }));
      }
    },

    async stop() {
      const { run } = useTrainingStore.getState();
      if (!isActive(run.status)) return;
      useTrainingStore.getState().stopping();
      if (!run.runId) return; // train() stops it as soon as the engine names the run
      try {
        await host.engine.stopTraining(run.runId);
      } catch (error) {
        app().notify('error', t('shell.actions.stopFailed', { error: errorText(error) }));
      }
    },
  };
}
