/**
 * The desktop host. Thin on purpose: windows, native dialogs, menus and IPC. Everything else is
 * engine/host's shared engine, the same code the web host and the CLI run. Training runs in an
 * Electron utilityProcess so a crash or an out-of-memory in a run never takes the window down.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, utilityProcess, type FileFilter, type IpcMainInvokeEvent } from 'electron';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ENGINE_ARGS,
  ENGINE_METHODS,
  PickFileRequestSchema,
  SaveDocumentRequestSchema,
  type DocumentFile,
  type OpenedFile,
  type PickedFile,
  type PickFileRequest,
  type TrainEvent,
} from '../engine/api';
import { parseDocument } from '../engine/graph/load';
import { atomicWrite } from '../engine/host/atomicWrite';
import { FileGrants } from '../engine/host/consent';
import { readDocumentFile } from '../engine/host/userFiles';
import { createEngine, type EngineSession } from '../engine/host/engine';
import type { ExportDestinationRequest } from '../engine/host/exportCalls';
import { defaultRunsDir } from '../engine/host/paths';
import { electronSpawner } from './spawner';

const RENDERER_INDEX = join(__dirname, '..', 'renderer', 'index.html');
const RENDERER_URL = pathToFileURL(RENDERER_INDEX).href;

/** `--runs-dir DIR` on the command line overrides where runs are stored. */
function runsDirFromArgs(): string {
  const i = process.argv.indexOf('--runs-dir');
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  // The same folder the CLI and the web host use, so every host sees every run.
  return value ?? defaultRunsDir();
}

const engine = createEngine({
  runsDir: runsDirFromArgs(),
  spawn: electronSpawner(utilityProcess, join(__dirname, '..', 'worker.cjs')),
});

/**
 * The document files main itself opened or saved through its own dialogs: the only paths the
 * renderer may name as a document's home (for relative paths in it) or save to again.
 */
const knownDocuments = new Set<string>();

/** Main's own confirmation before a document may read files it names; the renderer cannot grant. */
async function confirmFiles(contents: Electron.WebContents, files: DocumentFile[]): Promise<boolean> {
  const win = BrowserWindow.fromWebContents(contents);
  const options = {
    type: 'question' as const,
    buttons: ['Allow', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    title: 'Allow this document to read files?',
    message: `This document reads ${files.length === 1 ? 'a file' : `${files.length} files`} from your disk:`,
    detail: files.map((f) => `${f.role === 'data' ? 'Data' : `Pretrained vectors of "${f.nodeId}"`}: ${f.resolvedPath}`).join('\n'),
  };
  const answer = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
  return answer.response === 0;
}

/**
 * Main's own dialog for where a run's export goes (the page never names the place): a new
 * folder for a PyTorch project or tfjs files, a .onnx file for ONNX. What the user picks there
 * (the dialog asks before replacing) is replaced. Null when cancelled.
 */
async function exportDestination(contents: Electron.WebContents, req: ExportDestinationRequest): Promise<string | null> {
  const win = BrowserWindow.fromWebContents(contents);
  const titles = { pytorch: 'Export as a PyTorch project', onnx: 'Export as ONNX', tfjs: 'Export as tfjs files' } as const;
  const options = {
    title: titles[req.format],
    buttonLabel: 'Export',
    defaultPath: join(app.getPath('documents'), req.suggestedName),
    properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const],
    ...(req.format === 'onnx' ? { filters: [{ name: 'ONNX model', extensions: ['onnx'] }] } : {}),
  };
  const picked = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  return picked.canceled || !picked.filePath ? null : picked.filePath;
}

/** One engine session (its own file grants) per window's contents. */
const sessions = new Map<number, EngineSession>();
function sessionOf(contents: Electron.WebContents): EngineSession {
  let s = sessions.get(contents.id);
  if (!s) {
    s = engine.session({
      grants: new FileGrants(),
      confirmFiles: (files) => confirmFiles(contents, files),
      exportDestination: (req) => exportDestination(contents, req),
      // Relative paths resolve against a document's folder only when main knows the document.
      baseDir: (documentPath) => (documentPath && knownDocuments.has(resolve(documentPath)) ? dirname(resolve(documentPath)) : app.getPath('documents')),
    });
    sessions.set(contents.id, s);
    contents.once('destroyed', () => sessions.delete(contents.id));
  }
  return s;
}

/** Only our own page, loaded from our own file, may call the engine. */
function assertTrustedSender(event: IpcMainInvokeEvent): void {
  const url = event.senderFrame?.url ?? '';
  if (!url.startsWith(RENDERER_URL.replace(/index\.html$/, ''))) {
    throw new Error(`refused an IPC call from an untrusted frame: ${url || '(unknown)'}`);
  }
}

function registerIpc(): void {
  for (const method of ENGINE_METHODS) {
    ipcMain.handle(`mw:${method}`, async (event, ...args: unknown[]) => {
      assertTrustedSender(event);
      const parsed = ENGINE_ARGS[method].safeParse(args);
      if (!parsed.success) throw new Error(`bad arguments for ${method}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const session = sessionOf(event.sender);
      const call = session[method] as (...a: unknown[]) => Promise<unknown>;
      return call.apply(session, parsed.data as unknown[]);
    });
  }

  ipcMain.handle('mw:openDocument', async (event): Promise<OpenedFile | null> => {
    assertTrustedSender(event);
    const win = BrowserWindow.fromWebContents(event.sender);
    const options = { properties: ['openFile' as const], filters: [{ name: 'Modelwright documents', extensions: ['modelwright', 'json'] }] };
    const picked = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    const path = picked.filePaths[0];
    if (picked.canceled || !path) return null;
    // Stat first: a device, a folder or a file over the document limit is refused unread.
    const text = await readDocumentFile(path);
    knownDocuments.add(resolve(path));
    app.addRecentDocument(path);
    return { path, name: basename(path), text };
  });

  ipcMain.handle('mw:saveDocument', async (event, raw: unknown) => {
    assertTrustedSender(event);
    const req = SaveDocumentRequestSchema.parse(raw);
    // A document that does not parse is never written: a bad save must not replace a good file.
    const parsed = parseDocument(req.text);
    if (!parsed.ok) throw new Error(`not saved: ${parsed.error}`);
    // Saves go only where main's own dialogs put this document; any other path asks again.
    let path = req.path && knownDocuments.has(resolve(req.path)) ? req.path : undefined;
    if (!path) {
      const win = BrowserWindow.fromWebContents(event.sender);
      const options = {
        defaultPath: req.suggestedName,
        filters: [
          { name: 'Modelwright document', extensions: ['modelwright'] },
          { name: 'JSON', extensions: ['json'] },
        ],
      };
      const picked = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      if (picked.canceled || !picked.filePath) return null;
      path = picked.filePath;
    }
    await atomicWrite(path, req.text);
    knownDocuments.add(resolve(path));
    app.addRecentDocument(path);
    return { path, name: basename(path) };
  });
}

/** The native dialog for each kind of file a document reads. */
const PICK_OPTIONS: Record<PickFileRequest['purpose'], { title: string; filters: FileFilter[] }> = {
  data: { title: 'Choose a data file', filters: [{ name: 'Data (CSV, TSV, text)', extensions: ['csv', 'tsv', 'txt'] }] },
  pretrained: { title: 'Choose GloVe vectors', filters: [{ name: 'GloVe vectors (text)', extensions: ['txt'] }] },
};

function registerPickFile(): void {
  ipcMain.handle('mw:pickFile', async (event, raw: unknown): Promise<PickedFile | null> => {
    assertTrustedSender(event);
    const req = PickFileRequestSchema.parse(raw);
    const win = BrowserWindow.fromWebContents(event.sender);
    const { title, filters } = PICK_OPTIONS[req.purpose];
    const options = { title, properties: ['openFile' as const], filters };
    const picked = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    const path = picked.filePaths[0];
    // Picked in main's own dialog: granted to this window. The engine reads it later.
    if (picked.canceled || !path) return null;
    sessionOf(event.sender).grants.grant(path);
    return { path, name: basename(path) };
  });
}

function hardenContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (url !== contents.getURL()) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to documentation open in the user's browser, never inside the app.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Modelwright',
    show: false,
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // Closing the window during training asks first; stopping saves what the run has.
  let closing = false;
  win.on('close', (event) => {
    if (closing || engine.runs.snapshots().length === 0) return;
    event.preventDefault();
    const answer = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['Stop training and close', 'Keep training'],
      defaultId: 1,
      cancelId: 1,
      title: 'Training is running',
      message: 'A model is training. Closing the window stops it after the current batch; its run keeps what it saved and can be resumed later.',
    });
    if (answer !== 0) return;
    closing = true;
    void engine.runs.stopAll().finally(() => win.close());
  });
  void win.loadFile(RENDERER_INDEX);
  return win;
}

function buildMenu(): void {
  const isMac = process.platform === 'darwin';
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(isMac ? [{ role: 'appMenu' as const }] : []),
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
}

const EVENT_CHANNEL = 'mw:trainEvent';
const TUNE_CHANNEL = 'mw:tuneEvent';
function forwardTrainEvents(): void {
  engine.runs.onEvent((trainEvent: TrainEvent) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, trainEvent);
    }
  });
  // Sweeps and learning-rate finders: a snapshot each time one changes.
  engine.tune.onEvent((tuneEvent) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed()) win.webContents.send(TUNE_CHANNEL, tuneEvent);
    }
  });
}

app.enableSandbox();
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    hardenContents();
    registerIpc();
    registerPickFile();
    forwardTrainEvents();
    buildMenu();
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => {
    void engine.dispose();
  });
}
