/**
 * The sandboxed preload: exposes named functions only (never ipcRenderer itself) as
 * `window.modelwright`, implementing DesktopApi from engine/api.ts. Main validates every payload
 * again; this side only forwards.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DesktopApi, TrainEvent, TuneEvent } from '../engine/api';

const api: DesktopApi = {
  backendInfo: () => ipcRenderer.invoke('mw:backendInfo'),
  listExamples: () => ipcRenderer.invoke('mw:listExamples'),
  loadExample: (file) => ipcRenderer.invoke('mw:loadExample', file),
  describeFiles: (documentText, access) => ipcRenderer.invoke('mw:describeFiles', documentText, access),
  allowFiles: (documentText, paths, access) => ipcRenderer.invoke('mw:allowFiles', documentText, paths, access),
  describeData: (documentText, access) => ipcRenderer.invoke('mw:describeData', documentText, access),
  estimateEpoch: (req) => ipcRenderer.invoke('mw:estimateEpoch', req),
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
};

contextBridge.exposeInMainWorld('modelwright', api);
