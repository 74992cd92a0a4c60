/**
 * Documents in a browser, through the browser's own pickers: the File System Access API where
 * there is one (Chromium: Save writes back to the file that was opened), else a file input to
 * open and a download to save.
 */
import type { OpenedFile } from '../../engine/api';
import type { SaveRequest, SavedFile } from './Host';
import { t } from '../i18n';

/** The File System Access API, where the browser has it (Chromium). */
interface FileHandleLike {
  name: string;
  getFile(): Promise<File>;
  createWritable(): Promise<{ write(data: string): Promise<void>; close(): Promise<void> }>;
  queryPermission?(options: { mode: 'readwrite' }): Promise<PermissionState>;
  requestPermission?(options: { mode: 'readwrite' }): Promise<PermissionState>;
}
interface PickerWindow {
  showOpenFilePicker?(options: unknown): Promise<FileHandleLike[]>;
  showSaveFilePicker?(options: unknown): Promise<FileHandleLike>;
}

/** The picker's file type, named in the app's language when the picker opens. */
const fileTypes = () => [{ description: t('shell.host.documentType'), accept: { 'application/json': ['.modelwright', '.json'] } }];

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** Handles the user granted, by an opaque key that plays the role of a path. */
const handles = new Map<string, FileHandleLike>();
function remember(handle: FileHandleLike): string {
  // Random, not a counter: recent files keep keys across visits.
  const key = `browser-file:${crypto.randomUUID()}:${handle.name}`;
  handles.set(key, handle);
  return key;
}

export async function openDocument(): Promise<OpenedFile | null> {
  const picker = window as unknown as PickerWindow;
  if (picker.showOpenFilePicker) {
    try {
      const [handle] = await picker.showOpenFilePicker({ types: fileTypes(), multiple: false });
      if (!handle) return null;
      const file = await handle.getFile();
      const key = remember(handle);
      void addRecent(key, handle);
      return { path: key, name: file.name, text: await file.text() };
    } catch (error) {
      if (isAbort(error)) return null;
      throw error;
    }
  }
  return new Promise((resolve, reject) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.modelwright,.json,application/json';
    input.addEventListener('cancel', () => resolve(null));
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!file) return resolve(null);
      file.text().then((text) => resolve({ name: file.name, text }), reject);
    });
    input.click();
  });
}

export async function saveDocument(req: SaveRequest): Promise<SavedFile | null> {
  const known = req.path ? handles.get(req.path) : undefined;
  if (known && req.path) {
    const permission = (await known.queryPermission?.({ mode: 'readwrite' })) ?? 'granted';
    if (permission === 'granted' || (await known.requestPermission?.({ mode: 'readwrite' })) === 'granted') {
      await write(known, req.text);
      return { path: req.path, name: known.name };
    }
  }
  const picker = window as unknown as PickerWindow;
  if (picker.showSaveFilePicker) {
    try {
      const handle = await picker.showSaveFilePicker({ suggestedName: req.suggestedName, types: fileTypes() });
      await write(handle, req.text);
      const key = remember(handle);
      void addRecent(key, handle);
      return { path: key, name: handle.name };
    } catch (error) {
      if (isAbort(error)) return null;
      throw error;
    }
  }
  // No picker: hand the file to the browser as a download (it asks where, or uses Downloads).
  const url = URL.createObjectURL(new Blob([req.text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = req.suggestedName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { path: `download:${req.suggestedName}`, name: req.suggestedName };
}

async function write(handle: FileHandleLike, text: string): Promise<void> {
  const writable = await handle.createWritable();
  await writable.write(text);
  await writable.close();
}

/** Reads again a file the user opened or saved through the File System Access API (Revert). */
export async function readDocument(path: string): Promise<OpenedFile | null> {
  const handle = handles.get(path);
  if (!handle) return null; // a download, or a file from <input type=file>: nothing to read again
  const file = await handle.getFile();
  return { path, name: file.name, text: await file.text() };
}

/** A dropped file: with a handle where the browser gives one (Chromium), so Save writes back to it. */
export async function openDropped(file: File, item?: DataTransferItem): Promise<OpenedFile> {
  const withHandle = item as (DataTransferItem & { getAsFileSystemHandle?(): Promise<(FileHandleLike & { kind: string }) | null> }) | undefined;
  const handle = await withHandle?.getAsFileSystemHandle?.().catch(() => null);
  if (handle && handle.kind === 'file') {
    const key = remember(handle);
    void addRecent(key, handle);
    return { path: key, name: file.name, text: await file.text() };
  }
  return { name: file.name, text: await file.text() };
}

// Recent files in a browser: the File System Access handles, which IndexedDB can keep between
// visits (the browser asks again for permission to read). Without that API there are none.
const DB_NAME = 'modelwright';
const STORE = 'recent';
const MAX_RECENT = 10;
interface RecentRecord {
  key: string;
  name: string;
  at: number;
  handle: FileHandleLike;
}

function database(): Promise<IDBDatabase | null> {
  if (typeof indexedDB === 'undefined') return Promise.resolve(null);
  return new Promise((resolve) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'key' });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => resolve(null);
  });
}

async function withStore<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T | null> {
  const db = await database();
  if (!db) return null;
  return new Promise((resolve) => {
    const request = act(db.transaction(STORE, mode).objectStore(STORE));
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
  });
}

async function allRecent(): Promise<RecentRecord[]> {
  const all = (await withStore<RecentRecord[]>('readonly', (s) => s.getAll() as IDBRequest<RecentRecord[]>)) ?? [];
  return all.sort((a, b) => b.at - a.at);
}

async function addRecent(key: string, handle: FileHandleLike): Promise<void> {
  const all = await allRecent();
  // One entry per file: a handle that names the same file replaces the older one.
  for (const old of all) {
    const same = await (old.handle as FileHandleLike & { isSameEntry?(other: unknown): Promise<boolean> }).isSameEntry?.(handle).catch(() => false);
    if (same || old.name === handle.name) await withStore('readwrite', (s) => s.delete(old.key));
  }
  await withStore('readwrite', (s) => s.put({ key, name: handle.name, at: Date.now(), handle } satisfies RecentRecord));
  for (const old of (await allRecent()).slice(MAX_RECENT)) await withStore('readwrite', (s) => s.delete(old.key));
}

export async function recentDocuments(): Promise<{ path: string; name: string }[]> {
  return (await allRecent()).map((r) => ({ path: r.key, name: r.name }));
}

export async function openRecent(path: string): Promise<OpenedFile> {
  const record = (await allRecent()).find((r) => r.key === path);
  if (!record) throw new Error('it is no longer in the recent files');
  const handle = record.handle as FileHandleLike & {
    queryPermission?(o: { mode: string }): Promise<PermissionState>;
    requestPermission?(o: { mode: string }): Promise<PermissionState>;
  };
  const permission = (await handle.queryPermission?.({ mode: 'read' })) ?? 'granted';
  if (permission !== 'granted' && (await handle.requestPermission?.({ mode: 'read' })) !== 'granted') throw new Error('the browser did not allow reading it');
  const file = await handle.getFile();
  handles.set(path, handle);
  await withStore('readwrite', (s) => s.put({ ...record, at: Date.now() }));
  return { path, name: file.name, text: await file.text() };
}

export async function clearRecent(): Promise<void> {
  await withStore('readwrite', (s) => s.clear());
}
