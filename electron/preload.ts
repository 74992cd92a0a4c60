/**
 * The sandboxed preload: exposes named functions only (never ipcRenderer itself) as
 * `window.modelwright`, implementing DesktopApi from engine/api.ts. Main validates every payload
 * again; this side only forwards.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { DesktopApi, OpenedFile, TrainEvent, TuneEvent } from '../engine/api';

/** Subscribes to a main → page channel; returns the unsubscribe function. */
function listen<T extends unknown[]>(channel: string, listener: (...args: T) => void): () => void {
  const forward = (_event: IpcRendererEvent, ...args: unknown[]): void => listener(...(args as T));
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
}

const api: DesktopApi = {
  backendInfo: () => ipcRenderer.invoke('mw:backendInfo'),
  listExamples: () => ipcRenderer.invoke('mw:listExamples'),
  loadExample: (file) => ipcRenderer.invoke('mw:loadExample', file),
  describeFiles: (documentText, access) => ipcRenderer.invoke('mw:describeFiles', documentText, access),
  allowFiles: (documentText, paths, access) => ipcRenderer.invoke('mw:allowFiles', documentText, paths, access),
  describeData: (documentText, access) => ipcRenderer.invoke('mw:describeData', documentText, access),
  dataProgress: () => ipcRenderer.invoke('mw:dataProgress'),
  startTraining: (req) => ipcRenderer.invoke('mw:startTraining', req),
  resumeRun: (runId) => ipcRenderer.invoke('mw:resumeRun', runId),
  stopTraining: (runId) => ipcRenderer.invoke('mw:stopTraining', runId),
  exportRun: (req) => ipcRenderer.invoke('mw:exportRun', req),
  activeRuns: () => ipcRenderer.invoke('mw:activeRuns'),
  listRuns: () => ipcRenderer.invoke('mw:listRuns'),
  renameRun: (runId, name) => ipcRenderer.invoke('mw:renameRun', runId, name),
  deleteRun: (runId) => ipcRenderer.invoke('mw:deleteRun', runId),
  runDocument: (runId) => ipcRenderer.invoke('mw:runDocument', runId),
  runCurves: (runId) => ipcRenderer.invoke('mw:runCurves', runId),
  predict: (runId, texts, top) => ipcRenderer.invoke('mw:predict', runId, texts, top),
  evaluateRun: (runId) => ipcRenderer.invoke('mw:evaluateRun', runId),
  onTrainEvent: (listener) => {
    const forward = (_event: IpcRendererEvent, trainEvent: TrainEvent): void => listener(trainEvent);
    ipcRenderer.on('mw:trainEvent', forward);
    return () => {
      ipcRenderer.removeListener('mw:trainEvent', forward);
    };
  },
  startSweep: (req) => ipcRenderer.invoke('mw:startSweep', req),
  stopSweep: (sweepId) => ipcRenderer.invoke('mw:stopSweep', sweepId),
  startLrFind: (req) => ipcRenderer.invoke('mw:startLrFind', req),
  stopLrFind: (findId) => ipcRenderer.invoke('mw:stopLrFind', findId),
  tuneJobs: () => ipcRenderer.invoke('mw:tuneJobs'),
  onTuneEvent: (listener) => {
    const forward = (_event: IpcRendererEvent, tuneEvent: TuneEvent): void => listener(tuneEvent);
    ipcRenderer.on('mw:tuneEvent', forward);
    return () => {
      ipcRenderer.removeListener('mw:tuneEvent', forward);
    };
  },
  openDocument: () => ipcRenderer.invoke('mw:openDocument'),
  saveDocument: (req) => ipcRenderer.invoke('mw:saveDocument', req),
  pickFile: (req) => ipcRenderer.invoke('mw:pickFile', req),
  autosaveDocument: (req) => ipcRenderer.invoke('mw:autosaveDocument', req),
  recoverableDocuments: () => ipcRenderer.invoke('mw:recoverableDocuments'),
  discardAutosave: (slot) => ipcRenderer.invoke('mw:discardAutosave', slot),
  readDocument: (path) => ipcRenderer.invoke('mw:readDocument', path),
  recentDocuments: () => ipcRenderer.invoke('mw:recentDocuments'),
  openRecent: (path) => ipcRenderer.invoke('mw:openRecent', path),
  clearRecent: () => ipcRenderer.invoke('mw:clearRecent'),
  // The path comes from the File object the page holds, found here, never from a string the page names.
  openDropped: (file) => {
    const path = file instanceof File ? webUtils.getPathForFile(file) : '';
    return path ? ipcRenderer.invoke('mw:openDropped', path) : Promise.resolve(null);
  },
  setMenu: (model) => ipcRenderer.send('mw:setMenu', model),
  onCommand: (listener) => listen<[string]>('mw:command', listener),
  setDocumentState: (state) => ipcRenderer.send('mw:setDocumentState', state),
  onCloseRequest: (listener) => listen<[]>('mw:closeRequest', listener),
  closeWindow: (req) => ipcRenderer.send('mw:closeWindow', req),
  onOpenDocument: (listener) => listen<[OpenedFile]>('mw:openDocumentEvent', listener),
  openExternal: (url) => ipcRenderer.send('mw:openExternal', url),
};

contextBridge.exposeInMainWorld('modelwright', api);
