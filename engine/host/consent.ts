/**
 * File access for the files a document names (its data file, an Embedding's pretrained
 * vectors). The host decides, never the page or the document: a file is read only once it is
 * granted — picked in the host's own dialog, named on the command line, or accepted by the user
 * (the desktop host's own confirmation, the CLI's --allow-files or y/N, the web page acting as
 * the user's agent on its own connection). Every read goes through `grantedFilePort`, the one
 * place that enforces it.
 */
import { dirname, resolve } from 'node:path';
import type { DocumentFile, EngineError } from '../api';
import type { Document } from '../graph/document';
import { describeFileRef, documentFileRefs, type FileRef } from '../graph/files';
import type { FilePort } from '../ports';

/** The absolute paths one client (a window, a socket, a CLI run) may read. */
export class FileGrants {
  private readonly paths = new Set<string>();

  constructor(initial: Iterable<string> = []) {
    for (const p of initial) this.grant(p);
  }

  /** Grants reading `path` (made absolute against the cwd if relative). */
  grant(path: string): void {
    this.paths.add(resolve(path));
  }

  has(path: string): boolean {
    return this.paths.has(resolve(path));
  }

  /** Every granted path, for handing to a worker process. */
  list(): string[] {
    return [...this.paths];
  }
}

/** The files the document reads, resolved against `baseDir`, each marked granted or not. */
export function describeDocumentFiles(
  doc: Pick<Document, 'data' | 'graph'>,
  baseDir: string,
  grants: Pick<FileGrants, 'has'>,
  roles?: readonly FileRef['role'][],
): DocumentFile[] {
  return documentFileRefs(doc, roles).map((ref) => {
    const resolvedPath = resolve(baseDir, ref.path);
    return { ...ref, resolvedPath, allowed: grants.has(resolvedPath) };
  });
}

/**
 * The message that refuses a run or a data summary: every file not granted, then how to grant
 * them (`how`, which depends on the host).
 */
export function filesNotAllowedMessage(refused: readonly (FileRef & { resolvedPath?: string })[], how: string): string {
  const list = refused.map((f) => `  - ${describeFileRef(f, f.resolvedPath ?? f.path)}`).join('\n');
  return `This document reads files you have not allowed yet (${refused.length}):\n${list}\n${how}`;
}

/** What the UI-facing hosts say about granting files. */
export const ALLOW_IN_APP = 'Nothing was read. Allow these files when Modelwright asks, or choose other files.';

/** The refusal of `files` (those not granted among them) as a typed error, or null when all are granted. */
export function refusal(files: readonly DocumentFile[], how: string): Extract<EngineError, { code: 'files-not-allowed' }> | null {
  const refused = files.filter((f) => !f.allowed);
  if (refused.length === 0) return null;
  return { code: 'files-not-allowed', message: filesNotAllowedMessage(refused, how), files: refused };
}

/**
 * `inner` with user-file reads limited to `granted` (absolute paths; relative paths resolve
 * against `baseDir`, as `inner` resolves them). The app's own assets stay readable.
 */
export function grantedFilePort(inner: FilePort, baseDir: string, granted: Iterable<string>): FilePort {
  const allowed = new Set([...granted].map((p) => resolve(p)));
  // A granted folder (of images) grants what is inside it, at any depth.
  const within = (abs: string): boolean => {
    for (let p = abs; ; p = dirname(p)) {
      if (allowed.has(p)) return true;
      if (dirname(p) === p) return false;
    }
  };
  const grantedPath = (path: string): string => {
    const abs = resolve(baseDir, path);
    if (!within(abs)) throw new Error(`Refused to read ${abs}: it was not granted (choose it in Modelwright, or accept it when asked). Nothing was read.`);
    return abs;
  };
  const open = inner.openFile?.bind(inner);
  const list = inner.listFolder?.bind(inner);
  return {
    ...(list ? { listFolder: async (path: string) => list(grantedPath(path)) } : {}),
    async readFile(path) {
      return inner.readFile(grantedPath(path));
    },
    ...(open ? { openFile: async (path: string) => open(grantedPath(path)) } : {}),
    readAsset: (relativePath) => inner.readAsset(relativePath),
  };
}
