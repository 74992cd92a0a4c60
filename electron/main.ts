/**
 * The desktop host. Thin on purpose: windows, native dialogs, menus and IPC. Everything else is
 * engine/host's shared engine, the same code the web host and the CLI run. Training runs in an
 * Electron utilityProcess so a crash or an out-of-memory in a run never takes the window down.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  net,
  protocol,
  screen,
  session,
  shell,
  utilityProcess,
  type FileFilter,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
} from 'electron';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import {
  CloseWindowRequestSchema,
  DocumentStateSchema,
  ENGINE_ARGS,
  ENGINE_METHODS,
  MenuModelSchema,
  PickFileRequestSchema,
  SaveDocumentRequestSchema,
  type DocumentFile,
  type MenuModel,
  type OpenedFile,
  type PickedFile,
  type PickFileRequest,
  type TrainEvent,
} from '../engine/api';
import { AutosaveStore } from '../engine/host/autosave';
import { RecentFiles } from '../engine/host/recentFiles';
import { describeFsError } from '../engine/host/userFiles';
import { APP_INDEX_URL, APP_ORIGIN, APP_SCHEME, mimeOf, rendererFileFor } from './appProtocol';
import { documentPathsFromArgv } from './argv';
import { isAllowedExternal } from './links';
import { menuTemplate } from './menu';
import { readWindowState, writeWindowState, type WindowState } from './windowState';
import { parseDocument } from '../engine/graph/load';
import { atomicWrite } from '../engine/host/atomicWrite';
import { FileGrants } from '../engine/host/consent';
import { readDocumentFile } from '../engine/host/userFiles';
import { createEngine, type EngineSession } from '../engine/host/engine';
import type { ExportDestinationRequest } from '../engine/host/exportCalls';
import { defaultRunsDir } from '../engine/host/paths';
import { electronSpawner } from './spawner';

const RENDERER_DIR = join(__dirname, '..', 'renderer');

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// `--data-dir DIR` puts the app's own data (autosaves, recent files, window state) elsewhere:
// the Electron spec starts each test on a fresh one.
const dataDirArg = argValue('--data-dir');
if (dataDirArg) app.setPath('userData', resolve(dataDirArg));
const dataDir = (): string => app.getPath('userData');

// The app's own scheme, privileged before the app is ready (Electron requires it then).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } }]);

const engine = createEngine({
  // `--runs-dir DIR` overrides where runs are stored; the default is the folder the CLI and the
  // web host use, so every host sees every run.
  runsDir: argValue('--runs-dir') ?? defaultRunsDir(),
  spawn: electronSpawner(utilityProcess, join(__dirname, '..', 'worker.cjs')),
  autosave: new AutosaveStore({ dir: join(dataDir(), 'autosave') }),
});
const recent = new RecentFiles(join(dataDir(), 'recent.json'));

/**
 * The document files main itself opened or saved through its own dialogs: the only paths the
 * renderer may name as a document's home (for relative paths in it) or save to again.
 */
const knownDocuments = new Set<string>();

/** Main's own confirmation before a document may read files it names; the renderer cannot grant. */
async function confirmFiles(contents: Electron.WebContents, files: DocumentFile[]): Promise<boolean> {
  const win = BrowserWindow.fromWebContents(contents);
  // In the page's language once it has sent its menu model; English before.
  const L = menuModel?.labels;
  const options = {
    type: 'question' as const,
    buttons: [L?.allow ?? 'Allow', L?.cancel ?? 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    title: L?.allowFilesTitle ?? 'Allow this document to read files?',
    message:
      files.length === 1
        ? (L?.allowFilesOne ?? 'This document reads a file from your disk:')
        : (L?.allowFilesMany ?? 'This document reads {count} files from your disk:').replace('{count}', String(files.length)),
    detail: files
      .map(
        (f) =>
          `${f.role === 'data' ? (L?.allowFilesData ?? 'Data') : (L?.allowFilesPretrained ?? 'Pretrained vectors of "{node}"').replace('{node}', f.nodeId ?? '')}: ${f.resolvedPath}`,
      )
      .join('\n'),
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
      // An autosave remembers the document's file only when main knows it; restored, it is known again.
      autosavePath: (documentPath) => knownDocuments.has(resolve(documentPath)),
      recoveredPath: (documentPath) => knownDocuments.add(resolve(documentPath)),
    });
    sessions.set(contents.id, s);
    const opened = s;
    contents.once('destroyed', () => {
      opened.close();
      sessions.delete(contents.id);
    });
  }
  return s;
}

/** Only our own page, served by our own protocol, in a window's main frame, may call main. */
function isTrustedSender(event: IpcMainInvokeEvent | IpcMainEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  try {
    return new URL(frame.url).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}
function assertTrustedSender(event: IpcMainInvokeEvent | IpcMainEvent): void {
  if (!isTrustedSender(event)) throw new Error(`refused an IPC call from an untrusted frame: ${event.senderFrame?.url || '(unknown)'}`);
}

/** Reads a document main may name (its own dialog, its recent list, the OS, a drop), and remembers it. */
async function openKnown(path: string): Promise<OpenedFile> {
  // Stat first: a device, a folder or a file over the document limit is refused unread.
  const text = await readDocumentFile(path);
  knownDocuments.add(resolve(path));
  await rememberRecent(path);
  return { path, name: basename(path), text };
}

async function rememberRecent(path: string): Promise<void> {
  app.addRecentDocument(path);
  await recent.add(path);
  rebuildMenu();
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
    return openKnown(path);
  });

  const PathSchema = z.string().min(1).max(4096);
  ipcMain.handle('mw:readDocument', async (event, raw: unknown): Promise<OpenedFile> => {
    assertTrustedSender(event);
    const path = PathSchema.parse(raw);
    if (!knownDocuments.has(resolve(path))) throw new Error(`${path} was not opened or saved in this window; open it again.`);
    return { path, name: basename(path), text: await readDocumentFile(path) };
  });
  ipcMain.handle('mw:recentDocuments', async (event) => {
    assertTrustedSender(event);
    return recent.list();
  });
  ipcMain.handle('mw:openRecent', async (event, raw: unknown): Promise<OpenedFile> => {
    assertTrustedSender(event);
    const path = PathSchema.parse(raw);
    // Only a path of main's own list: the page cannot name a file to read this way.
    if (!(await recent.has(path))) throw new Error(`${path} is not a recent document.`);
    try {
      return await openKnown(path);
    } catch (err) {
      await recent.remove(path);
      rebuildMenu();
      throw err;
    }
  });
  ipcMain.handle('mw:clearRecent', async (event) => {
    assertTrustedSender(event);
    app.clearRecentDocuments();
    await recent.clear();
    rebuildMenu();
  });
  ipcMain.handle('mw:openDropped', async (event, raw: unknown): Promise<OpenedFile | null> => {
    assertTrustedSender(event);
    // The preload found this path from a File the user dropped (webUtils.getPathForFile).
    return openKnown(PathSchema.parse(raw));
  });

  ipcMain.on('mw:setMenu', (event, raw: unknown) => {
    if (!isTrustedSender(event)) return;
    const parsed = MenuModelSchema.safeParse(raw);
    if (!parsed.success) return;
    menuModel = parsed.data;
    rebuildMenu();
  });
  ipcMain.on('mw:setDocumentState', (event, raw: unknown) => {
    if (!isTrustedSender(event)) return;
    const parsed = DocumentStateSchema.safeParse(raw);
    const win = BrowserWindow.fromWebContents(event.sender);
    if (!parsed.success || !win) return;
    win.setTitle(parsed.data.title);
    win.setDocumentEdited(parsed.data.dirty);
    const path = parsed.data.path;
    win.setRepresentedFilename(path && knownDocuments.has(resolve(path)) ? path : '');
  });
  ipcMain.on('mw:closeWindow', (event, raw: unknown) => {
    if (!isTrustedSender(event)) return;
    const parsed = CloseWindowRequestSchema.safeParse(raw);
    const win = BrowserWindow.fromWebContents(event.sender);
    if (!parsed.success || !win) return;
    closeAllowed.add(win);
    // Quit asked this window first: once it closes, the quit goes on (and asks the next window).
    const thenQuit = quitAfterClose.has(win);
    const close = (): void => {
      if (!win.isDestroyed()) win.close();
      if (thenQuit) app.quit();
    };
    if (parsed.data.stopRuns) void engine.runs.stopAll().finally(close);
    else close();
  });
  ipcMain.on('mw:openDocumentReady', (event) => {
    if (!isTrustedSender(event)) return;
    const win = BrowserWindow.fromWebContents(event.sender);
    if (!win) return;
    listening.add(win);
    flushPendingDocuments();
  });
  ipcMain.on('mw:openExternal', (event, raw: unknown) => {
    if (!isTrustedSender(event)) return;
    if (typeof raw === 'string' && isAllowedExternal(raw)) void shell.openExternal(raw);
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
    try {
      await atomicWrite(path, req.text);
    } catch (err) {
      // A read-only file, a full disk, a folder deleted meanwhile: say where, keep the work in the page.
      throw new Error(`could not write ${path}: ${describeFsError(err)}`, { cause: err });
    }
    knownDocuments.add(resolve(path));
    await rememberRecent(path);
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
    // The page never navigates: a dropped file or a link would replace the app (and its work).
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Our own documentation opens in the user's browser, never inside the app; nothing else opens.
      if (isAllowedExternal(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

/** Windows whose page said they may close (it asked about unsaved work and training). */
const closeAllowed = new WeakSet<BrowserWindow>();
/** When each window last asked its page whether it may close. */
const closeAsked = new WeakMap<BrowserWindow, number>();
/** Windows asked to close by Quit (not by their own close button): the quit resumes once they agree. */
const quitAfterClose = new WeakSet<BrowserWindow>();
/** Set by before-quit, until the windows have been asked; a Cancel in any of them ends the quit. */
let quitting = false;
/** A page that has not answered a close request in this long is asked about natively. */
const CLOSE_ANSWER_MS = 5_000;

const windowStateFile = (): string => join(dataDir(), 'window-state.json');

function createWindow(): BrowserWindow {
  const state = readWindowState(
    windowStateFile(),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
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
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // A middle-click on a link would open it in a new window of the app (Electronegativity AUXCLICK).
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  const saveState = (): void => {
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
    const next: WindowState = { ...win.getNormalBounds(), maximized: win.isMaximized() };
    void writeWindowState(windowStateFile(), next);
  };
  let stateTimer: NodeJS.Timeout | undefined;
  const saveSoon = (): void => {
    clearTimeout(stateTimer);
    stateTimer = setTimeout(saveState, 500);
  };
  win.on('resize', saveSoon);
  win.on('move', saveSoon);
  // Closing asks the page first: it asks about unsaved changes (Save / Don't save / Cancel) and
  // a run in progress, then calls closeWindow. A page that does not answer is asked about here.
  win.on('close', (event) => {
    saveState();
    if (closeAllowed.has(win) || win.webContents.isCrashed()) return;
    event.preventDefault();
    const asked = closeAsked.get(win);
    if (asked !== undefined && Date.now() - asked > CLOSE_ANSWER_MS) {
      const L = menuModel?.labels;
      const answer = dialog.showMessageBoxSync(win, {
        type: 'warning',
        buttons: [L?.closeAnyway ?? 'Close anyway', L?.wait ?? 'Wait'],
        defaultId: 1,
        cancelId: 1,
        message: L?.notAnswering ?? 'The window is not answering. Close it anyway? Unsaved changes are in the autosave and are offered back at the next start.',
      });
      if (answer === 0) {
        closeAllowed.add(win);
        void engine.runs.stopAll().finally(() => !win.isDestroyed() && win.close());
      }
      return;
    }
    closeAsked.set(win, Date.now());
    if (quitting) quitAfterClose.add(win);
    else quitAfterClose.delete(win);
    quitting = false;
    win.webContents.send('mw:closeRequest');
  });
  win.webContents.on('did-start-loading', () => {
    listening.delete(win);
    closeAsked.delete(win);
  });
  void win.loadURL(APP_INDEX_URL);
  return win;
}

/** The renderer's menu model; the menus are Electron's defaults until the page sends one. */
let menuModel: MenuModel | null = null;

function sendCommand(id: string): void {
  const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  win?.webContents.send('mw:command', id);
}

function rebuildMenu(): void {
  const model = menuModel;
  if (!model) return;
  void recent.list().then((items) => {
    const withRecent: MenuModel = {
      ...model,
      menus: model.menus.map((m) => ({ ...m, items: m.items.map((i) => (i.kind === 'recent' ? { ...i, items: items.slice(0, 20) } : i)) })),
    };
    const template = menuTemplate(
      withRecent,
      {
        command: sendCommand,
        openRecent: (path) => void deliverDocument(path, true),
        clearRecent: () => {
          app.clearRecentDocuments();
          void recent.clear().then(rebuildMenu);
        },
      },
      { platform: process.platform, appName: app.getName(), devTools: !app.isPackaged },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  });
}

/** Documents the OS handed over before a window could take them (open-file before ready, argv). */
const pendingDocuments: string[] = [];
/** Windows whose page listens for documents (it said so with mw:openDocumentReady). */
const listening = new WeakSet<BrowserWindow>();

/** Reads a document the OS or a menu named and hands it to the window, which asks before replacing unsaved work. */
async function deliverDocument(path: string, fromRecent = false): Promise<void> {
  const win = BrowserWindow.getAllWindows()[0];
  if (!win || !listening.has(win)) {
    pendingDocuments.push(path);
    if (!win && app.isReady()) createWindow();
    return;
  }
  if (win.isMinimized()) win.restore();
  win.focus();
  try {
    win.webContents.send('mw:openDocumentEvent', await openKnown(path));
  } catch (err) {
    if (fromRecent) {
      await recent.remove(path);
      rebuildMenu();
    }
    void dialog.showMessageBox(win, {
      type: 'error',
      message: menuModel?.labels.openFailed ?? 'Could not open the document',
      detail: `${path}: ${describeFsError(err)}`,
    });
  }
}

function flushPendingDocuments(): void {
  for (const path of pendingDocuments.splice(0)) void deliverDocument(path);
}

/** Serves the built renderer on app://modelwright/ and nothing else. */
function registerAppProtocol(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFileFor(request.url, RENDERER_DIR);
    if (!file) return new Response('Not found', { status: 404 });
    const answer = await net.fetch(pathToFileURL(file).href).catch(() => null);
    if (!answer?.ok) return new Response('Not found', { status: 404 });
    return new Response(answer.body, { status: 200, headers: { 'Content-Type': mimeOf(file), 'X-Content-Type-Options': 'nosniff' } });
  });
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
let disposed = false;
// macOS hands documents over with open-file, also before the app is ready (a double-click that
// starts the app); they wait until a window can take them.
app.on('open-file', (event, path) => {
  event.preventDefault();
  if (app.isReady()) void deliverDocument(path);
  else pendingDocuments.push(path);
});
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A second start (double-clicking another document on Windows or Linux) hands its documents here.
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
    for (const path of documentPathsFromArgv(argv, workingDirectory)) void deliverDocument(path);
  });
  pendingDocuments.push(...documentPathsFromArgv(process.argv, process.cwd()));
  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    registerAppProtocol();
    hardenContents();
    registerIpc();
    registerPickFile();
    forwardTrainEvents();
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Only once every window agreed to close (Quit closes them one by one, and each asks) do the runs stop.
  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    void engine.dispose().finally(() => {
      disposed = true;
      app.quit();
    });
  });
}
