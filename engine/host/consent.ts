/**
 * Consent for the files a document names: a path inside a document (its data file, an
 * Embedding's pretrained vectors) is read only once the user has seen and accepted it. Hosts
 * list the files (describeDocumentFiles), the user accepts them (the UI's dialog, the CLI's
 * --allow-files or its y/N question), and every read goes through a port that refuses the rest.
 */
import { resolve } from 'node:path';
import { FILES_NOT_ALLOWED, type DocumentFile } from '../api';
import type { Document } from '../graph/document';
import type { FilePort } from '../ports';
import { documentFileRefs, filesNotAllowedMessage, type FileRef } from '../train/files';

/** The files the document reads, resolved against `baseDir`, each marked allowed or not. */
export function describeDocumentFiles(
  doc: Pick<Document, 'data' | 'graph'>,
  baseDir: string,
  allowFiles: readonly string[] = [],
  roles?: readonly FileRef['role'][],
): DocumentFile[] {
  const allowed = allowedSet(allowFiles, baseDir);
  return documentFileRefs(doc, roles).map((ref) => {
    const resolvedPath = resolve(baseDir, ref.path);
    return { ...ref, resolvedPath, allowed: allowed.has(resolvedPath) };
  });
}

/** The absolute paths `allowFiles` accepts (each resolved against `baseDir`). */
export function allowedSet(allowFiles: readonly string[], baseDir: string): Set<string> {
  return new Set(allowFiles.map((p) => resolve(baseDir, p)));
}

/** Thrown (a rejected call) when a document names files the user has not accepted. */
export class FilesNotAllowedError extends Error {
  readonly files: DocumentFile[];
  constructor(files: DocumentFile[], how: string) {
    super(filesNotAllowedMessage(files, how));
    this.name = 'FilesNotAllowedError';
    this.files = files;
  }
}

/** Throws FilesNotAllowedError when any of `files` is not allowed. */
export function assertAllowed(files: readonly DocumentFile[], how: string): void {
  const refused = files.filter((f) => !f.allowed);
  if (refused.length) throw new FilesNotAllowedError(refused, how);
}

/**
 * `inner` with user-file reads limited to `allowFiles` (resolved against `baseDir`, as `inner`
 * resolves relative paths). Assets are not user files and stay readable.
 */
export function consentingFilePort(inner: FilePort, baseDir: string, allowFiles: readonly string[], how: string): FilePort {
  const allowed = allowedSet(allowFiles, baseDir);
  return {
    async readFile(path) {
      const abs = resolve(baseDir, path);
      if (!allowed.has(abs)) throw new Error(`${FILES_NOT_ALLOWED}: ${abs}\n${how}`);
      return inner.readFile(abs);
    },
    readAsset: (relativePath) => inner.readAsset(relativePath),
  };
}
