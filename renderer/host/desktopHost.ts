/** The Host inside Electron: everything goes through the preload's `window.modelwright`. */
import type { DesktopApi } from '../../engine/api';
import type { Host } from './Host';

declare global {
  interface Window {
    /** Exposed by electron/preload.ts through contextBridge; absent in a browser. */
    modelwright?: DesktopApi;
  }
}

export function createDesktopHost(api: DesktopApi): Host {
  return {
    kind: 'desktop',
    engine: api,
    openDocument: () => api.openDocument(),
    saveDocument: (req) => api.saveDocument(req),
    pickFile: (req) => api.pickFile(req),
    readDocument: (path) => api.readDocument(path),
    recentDocuments: () => api.recentDocuments(),
    openRecent: (path) => api.openRecent(path),
    clearRecent: () => api.clearRecent(),
    openDropped: async (file) => (await api.openDropped(file)) ?? { name: file.name, text: await file.text() },
    openExternal: (url) => api.openExternal(url),
    shell: api,
    // IPC to the main process is up for as long as the window exists.
    onConnectionChange: (listener) => {
      listener('open');
      return () => {};
    },
  };
}
