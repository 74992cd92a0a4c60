/**
 * Documents in a browser, through the browser's own pickers: the File System Access API where
 * there is one (Chromium: Save writes back to the file that was opened), else a file input to
 * open and a download to save.
 */
import type { OpenedFile } from '../../engine/api';
import type { SaveRequest, SavedFile } from './Host';

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

const FILE_TYPES = [{ description: 'Modelwright document', accept: { 'application/json': ['.modelwright', '.json'] } }];

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** Handles the user granted, by an opaque key that plays the role of a path. */
const handles = new Map<string, FileHandleLike>();
let handleCount = 0;
function remember(handle: FileHandleLike): string {
  const key = `browser-file:${++handleCount}:${handle.name}`;
  handles.set(key, handle);
  return key;
}

export async function openDocument(): Promise<OpenedFile | null> {
  const picker = window as unknown as PickerWindow;
  if (picker.showOpenFilePicker) {
    try {
      const [handle] = await picker.showOpenFilePicker({ types: FILE_TYPES, multiple: false });
      if (!handle) return null;
      const file = await handle.getFile();
      return { path: remember(handle), name: file.name, text: await file.text() };
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
      const handle = await picker.showSaveFilePicker({ suggestedName: req.suggestedName, types: FILE_TYPES });
      await write(handle, req.text);
      return { path: remember(handle), name: handle.name };
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
