/**
 * Reading the user's own files (data files, GloVe vectors, documents): regular files only, and
 * never more than a limit. A data path that names `/dev/zero`, a FIFO or a 50 GB file is refused
 * with a message that says why, before a byte is read, instead of filling the host's memory or
 * hanging it.
 *
 * Limits (1 KB = 1024 bytes):
 * - data files (CSV/TSV, GloVe): 2 GB by default; `MODELWRIGHT_MAX_DATA_BYTES` changes it;
 * - documents: 200 MB by default; `MODELWRIGHT_MAX_DOCUMENT_BYTES` changes it.
 * Either takes bytes (`4000000000`) or a size with a unit (`500M`, `4G`, `4GB`); an option given in
 * code (`maxBytes`) wins over the variable.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { english, otherWords, type WordKey, type Words } from '../words';

/** What a file is read as: its limit and how messages call it. */
export type UserFileKind = 'data' | 'document';

const KB = 1024;
const MB = KB * 1024;
const GB = MB * 1024;

/** The limits when neither an option nor an environment variable sets one. */
export const DEFAULT_MAX_BYTES: Readonly<Record<UserFileKind, number>> = { data: 2 * GB, document: 200 * MB };

/** The environment variable that sets each kind's limit (bytes, or a size such as `4G`). */
export const MAX_BYTES_ENV: Readonly<Record<UserFileKind, string>> = {
  data: 'MODELWRIGHT_MAX_DATA_BYTES',
  document: 'MODELWRIGHT_MAX_DOCUMENT_BYTES',
};

const KIND_WORDS: Record<UserFileKind, string> = { data: 'data files', document: 'documents' };

/** How much of a file may be read, and what kind of file it is (for the message that refuses one). */
export interface ReadLimit {
  readonly kind: UserFileKind;
  /** The most bytes that may be read. */
  readonly bytes: number;
}

export interface ReadLimitOptions {
  /** The limit in bytes; wins over the environment variable. */
  maxBytes?: number | undefined;
  /** Where the environment variable is looked up; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

/**
 * The limit for `kind`: `opts.maxBytes`, else the kind's environment variable
 * ({@link MAX_BYTES_ENV}), else {@link DEFAULT_MAX_BYTES}. Throws when the variable is not a size.
 */
export function readLimit(kind: UserFileKind, opts: ReadLimitOptions = {}): ReadLimit {
  if (opts.maxBytes !== undefined) {
    if (!Number.isSafeInteger(opts.maxBytes) || opts.maxBytes < 0) throw new Error(`maxBytes must be a whole number of bytes, not ${opts.maxBytes}`);
    return { kind, bytes: opts.maxBytes };
  }
  const name = MAX_BYTES_ENV[kind];
  const raw = (opts.env ?? process.env)[name];
  if (raw === undefined || raw.trim() === '') return { kind, bytes: DEFAULT_MAX_BYTES[kind] };
  const bytes = parseSize(raw);
  if (bytes === undefined) throw new Error(`${name}="${raw}" is not a size; give bytes (4000000000) or a size such as 500M or 4G`);
  return { kind, bytes };
}

const UNITS: Record<string, number> = { '': 1, k: KB, m: MB, g: GB, t: GB * 1024 };

function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) return undefined;
  const bytes = Math.floor(Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? 1));
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** A size in human units, 1024-based: "512 bytes", "64 KB", "3.1 GB", "200 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < KB) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  const [unit, name] = bytes < MB ? [KB, 'KB'] : bytes < GB ? [MB, 'MB'] : bytes < GB * 1024 ? [GB, 'GB'] : [GB * 1024, 'TB'];
  const value = bytes / unit;
  const text = value < 10 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
  return `${text} ${name}`;
}

/** Why a user file was not read. */
export type UserFileProblem =
  /** The file system said no: no such file, permission denied, … */
  | 'unreadable'
  /** A folder, a device, a FIFO, a socket. */
  | 'not-a-file'
  /** Larger than its limit (or grew past it while it was read). */
  | 'too-large';

/**
 * A user file that was not read. `message` is a whole sentence naming the path ("Cannot read
 * /dev/zero: it is a device, not a file"); `reason` is the part after the colon, for a caller
 * that words its own sentence around the path.
 */
export class UserFileError extends Error {
  override readonly name = 'UserFileError';
  constructor(
    readonly problem: UserFileProblem,
    /** The absolute path. */
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot read ${path}: ${reason}`, options);
  }
}

/** A short reason for a failed fs call ("no such file", "permission denied"), or a {@link UserFileError}'s own. */
export function describeFsError(err: unknown): string {
  return english(fsErrorWords(err));
}

const FS_ERROR_KEYS: Record<string, WordKey> = {
  ENOENT: 'file.noSuchFile',
  EACCES: 'file.permissionDenied',
  EPERM: 'file.permissionDenied',
  EISDIR: 'file.isFolder',
  ENOSPC: 'file.noSpace',
  EROFS: 'file.readOnly',
  ENOTDIR: 'file.notFolder',
};

/** {@link describeFsError}'s reason as words, for the user's language; an error it does not know is kept as it came. */
export function fsErrorWords(err: unknown): Words {
  if (err instanceof UserFileError) return otherWords(err.reason);
  const key = FS_ERROR_KEYS[(err as { code?: string } | null)?.code ?? ''];
  return key ? { key } : otherWords(err instanceof Error ? err.message : String(err));
}

/** Why `st` is not a regular file ("it is a device, not a file"), or undefined when it is one. */
export function whyNotAFile(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'it is a folder, not a file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'it is a device, not a file';
  if (st.isFIFO()) return 'it is a named pipe (FIFO), not a file';
  if (st.isSocket()) return 'it is a socket, not a file';
  return 'it is not a regular file';
}

function tooLarge(abs: string, size: number, limit: ReadLimit): UserFileError {
  let sizeText = formatBytes(size);
  let limitText = formatBytes(limit.bytes);
  if (sizeText === limitText) [sizeText, limitText] = [`${size} bytes`, `${limit.bytes} bytes`];
  return new UserFileError('too-large', abs, `it is ${sizeText}; ${limitSentence(limit, limitText)}`);
}

function grewPastLimit(abs: string, limit: ReadLimit): UserFileError {
  return new UserFileError('too-large', abs, `it grew past ${formatBytes(limit.bytes)} while it was read; ${limitSentence(limit, formatBytes(limit.bytes))}`);
}

function limitSentence(limit: ReadLimit, limitText: string): string {
  return `the limit for ${KIND_WORDS[limit.kind]} is ${limitText} (set ${MAX_BYTES_ENV[limit.kind]} to change it)`;
}

function asUserFileError(abs: string, err: unknown): UserFileError {
  return err instanceof UserFileError ? err : new UserFileError('unreadable', abs, describeFsError(err), { cause: err });
}

function refuseUnlessReadable(abs: string, st: Stats, limit: ReadLimit): void {
  const notAFile = whyNotAFile(st);
  if (notAFile) throw new UserFileError('not-a-file', abs, notAFile);
  if (st.size > limit.bytes) throw tooLarge(abs, st.size, limit);
}

/**
 * Checks, without opening it, that `path` (a symlink counts as its target) is a regular file of at
 * most `limit.bytes`; resolves to its stats. Rejects with a {@link UserFileError} otherwise.
 */
export async function checkUserFile(path: string, limit: ReadLimit): Promise<Stats> {
  const abs = resolve(path);
  let st: Stats;
  try {
    st = await stat(abs);
  } catch (err) {
    throw asUserFileError(abs, err);
  }
  refuseUnlessReadable(abs, st, limit);
  return st;
}

// O_NONBLOCK: a FIFO swapped in after the stat opens at once instead of waiting for a writer (it
// is then refused by the fstat); reads of regular files ignore the flag. O_NOCTTY: a terminal
// swapped in never becomes the host's controlling terminal. Neither exists on Windows.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** Stats `abs`, opens it, and checks the opened handle again, so what is read is what was checked. */
async function openChecked(abs: string, limit: ReadLimit): Promise<{ handle: FileHandle; size: number }> {
  await checkUserFile(abs, limit);
  let handle: FileHandle;
  try {
    handle = await open(abs, OPEN_FLAGS);
  } catch (err) {
    throw asUserFileError(abs, err);
  }
  try {
    const st = await handle.stat();
    refuseUnlessReadable(abs, st, limit);
    return { handle, size: st.size };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw asUserFileError(abs, err);
  }
}

/** Reads into `buf` from the handle's position until it is full or the file ends; the bytes read. */
async function readInto(handle: FileHandle, buf: Uint8Array): Promise<number> {
  let filled = 0;
  while (filled < buf.length) {
    const { bytesRead } = await handle.read(buf, filled, buf.length - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

const GROWTH_CHUNK_BYTES = 4 * MB;

/**
 * Reads a regular file whole, at most `limit.bytes`: checked by `stat` before it is opened, and by
 * `fstat` of the opened handle; a file that grows past the limit while it is read is refused too.
 * Rejects with a {@link UserFileError} naming the path.
 */
export async function readUserFile(path: string, limit: ReadLimit): Promise<Uint8Array> {
  const abs = resolve(path);
  const { handle, size } = await openChecked(abs, limit);
  try {
    const head = new Uint8Array(size);
    const filled = await readInto(handle, head);
    if (filled < size) return head.subarray(0, filled);
    // The file may have grown since the fstat: read on, but never past the limit.
    const tail: Uint8Array[] = [];
    let total = size;
    for (;;) {
      const chunk = new Uint8Array(Math.min(GROWTH_CHUNK_BYTES, limit.bytes - total + 1));
      const n = await readInto(handle, chunk);
      if (n === 0) break;
      total += n;
      if (total > limit.bytes) throw grewPastLimit(abs, limit);
      tail.push(chunk.subarray(0, n));
      if (n < chunk.length) break;
    }
    if (!tail.length) return head;
    const all = new Uint8Array(total);
    all.set(head);
    let at = size;
    for (const part of tail) {
      all.set(part, at);
      at += part.length;
    }
    return all;
  } catch (err) {
    throw asUserFileError(abs, err);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

export interface ChunkOptions {
  /** The most bytes in one chunk; default 1 MB. */
  chunkBytes?: number | undefined;
}

/**
 * {@link readUserFile}, streamed: the file's bytes in chunks of at most `chunkBytes`, each a fresh
 * array the consumer may keep. The checks happen on the first `next()`; the file is closed when
 * the iteration ends, fails, or is left early. Throws a {@link UserFileError} once more than
 * `limit.bytes` have come.
 */
export async function* readUserFileChunks(path: string, limit: ReadLimit, opts: ChunkOptions = {}): AsyncGenerator<Uint8Array, void, undefined> {
  const abs = resolve(path);
  const chunkBytes = Math.max(1, opts.chunkBytes ?? MB);
  const { handle } = await openChecked(abs, limit);
  try {
    let total = 0;
    for (;;) {
      // At the limit this asks for one byte more than allowed: a file that grew is caught.
      const chunk = new Uint8Array(Math.min(chunkBytes, limit.bytes - total + 1));
      let n: number;
      try {
        n = (await handle.read(chunk, 0, chunk.length, null)).bytesRead;
      } catch (err) {
        throw asUserFileError(abs, err);
      }
      if (n === 0) return;
      total += n;
      if (total > limit.bytes) throw grewPastLimit(abs, limit);
      yield n === chunk.length ? chunk : chunk.slice(0, n);
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Reads a Modelwright document for a host's "open": a regular file of at most the document
 * limit (200 MB, `MODELWRIGHT_MAX_DOCUMENT_BYTES`), decoded as UTF-8 (a byte-order mark is
 * dropped, a malformed byte becomes U+FFFD). Rejects with a {@link UserFileError} naming the path.
 */
export async function readDocumentFile(path: string, opts: ReadLimitOptions = {}): Promise<string> {
  const bytes = await readUserFile(path, readLimit('document', opts));
  return new TextDecoder('utf-8').decode(bytes);
}
