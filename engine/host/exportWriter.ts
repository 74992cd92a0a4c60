/**
 * Writing an export to disk, for every host: the files are made in full first (engine/export),
 * then written all or nothing. A folder export goes into a temporary folder beside the target
 * that is renamed into place; an ONNX export's files are each written to a temporary file and
 * renamed. An existing output is never replaced unless `force` says so. Also the whole path
 * from a run folder to written files, which the CLI and the app's exportRun share.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { EXPORT_LAYOUT, exportModel, loadExportSource, type ExportFile, type ExportFormat, type ExportSource } from '../export';
import { BUILTIN_FILES } from '../data/builtins';
import { DIGITS_FILES } from '../data/digits';
import type { PyTorchProjectOptions } from '../export/pytorch/project';
import { isImagePreprocessing } from '../data/preprocessing';
import { sourcePathOf, type BuiltinDatasetId } from '../graph/document';
import type { FilePort } from '../ports';
import { atomicWrite } from './atomicWrite';
import { fsRunReader } from './runFolder';
import { otherWords, saying, type Failure } from '../words';

export type ExportWriteResult = { ok: true; path: string; files: string[] } | Failure;

async function exists(path: string): Promise<'file' | 'folder' | 'empty-folder' | null> {
  try {
    const s = await stat(path);
    if (!s.isDirectory()) return 'file';
    return (await readdir(path)).length === 0 ? 'empty-folder' : 'folder';
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    throw err;
  }
}

function why(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Where `format`'s files go for the output `out`: a folder (pytorch, tfjs: `out` itself), or,
 * for ONNX, `out` when it names a .onnx file, else `out/model.onnx`, with its .vocab.json beside.
 */
export function exportTarget(format: ExportFormat, out: string): { dir: string; base: string; layout: 'folder' | 'file' } {
  const abs = resolve(out);
  if (EXPORT_LAYOUT[format] === 'folder') return { dir: abs, base: 'model', layout: 'folder' };
  if (extname(abs).toLowerCase() === '.onnx') return { dir: dirname(abs), base: basename(abs, extname(abs)), layout: 'file' };
  return { dir: abs, base: 'model', layout: 'file' };
}

/** Writes `files` as the output `out` of `format`: all of them or none. */
export async function writeExport(format: ExportFormat, out: string, files: readonly ExportFile[], force: boolean): Promise<ExportWriteResult> {
  const target = exportTarget(format, out);
  try {
    if (target.layout === 'file') {
      const paths = files.map((f) => join(target.dir, f.path));
      if (!force) {
        for (const p of paths) {
          if (await exists(p)) return { ok: false, message: `${p} already exists; nothing was written. Pass --force to replace it, or choose another output.` };
        }
      }
      await mkdir(target.dir, { recursive: true });
      for (const [i, f] of files.entries()) await atomicWrite(paths[i]!, f.data);
      return { ok: true, path: paths[0]!, files: paths };
    }
    const dir = target.dir;
    const there = await exists(dir);
    if (there === 'file' && !force)
      return {
        ok: false,
        message: `${dir} is a file, not a folder; nothing was written. Choose a folder for the ${format} export, or pass --force to replace the file.`,
      };
    if (there === 'folder' && !force)
      return { ok: false, message: `${dir} already exists and is not empty; nothing was written. Pass --force to replace it, or choose another folder.` };
    await mkdir(dirname(dir), { recursive: true });
    // Made whole beside the target, then renamed into place: no half-written export is ever seen there.
    const temp = join(dirname(dir), `.${basename(dir)}.export-${randomBytes(4).toString('hex')}`);
    try {
      for (const f of files) {
        const path = join(temp, ...f.path.split('/'));
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, f.data);
      }
      if (there !== null) {
        const old = `${temp}.old`;
        await rename(dir, old);
        await rename(temp, dir);
        await rm(old, { recursive: true, force: true });
      } else {
        await rename(temp, dir);
      }
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
    return { ok: true, path: dir, files: files.map((f) => join(dir, ...f.path.split('/'))) };
  } catch (err) {
    return saying({ key: 'export.notWritten', params: { out, cause: otherWords(why(err)) } });
  }
}

/**
 * What a PyTorch project trains on: the built-in dataset's bytes (copied into the project: the
 * digits atlas with its digits.json and license beside it), or the user's file or picture
 * folder, its path resolved against `baseDir` when the document names it relatively.
 */
export async function pytorchData(source: ExportSource, files: Pick<FilePort, 'readAsset'>, baseDir?: string): Promise<PyTorchProjectOptions['data']> {
  const data = source.doc.data?.source;
  if (!data) return null;
  if ('builtin' in data && isImagePreprocessing(source.preprocessing)) {
    if (data.builtin !== 'digits') return null;
    const name = (path: string) => path.slice(path.lastIndexOf('/') + 1);
    const [atlas, manifest, license] = await Promise.all([DIGITS_FILES.atlas, DIGITS_FILES.manifest, DIGITS_FILES.license].map((f) => files.readAsset(f)));
    return {
      name: name(DIGITS_FILES.atlas),
      bytes: atlas!,
      more: [
        { name: name(DIGITS_FILES.manifest), bytes: manifest! },
        { name: name(DIGITS_FILES.license), bytes: license! },
      ],
    };
  }
  if ('builtin' in data) {
    const id = data.builtin as BuiltinDatasetId;
    return { name: `${id}.csv`, bytes: await files.readAsset(BUILTIN_FILES[id].csv) };
  }
  const read = sourcePathOf(data);
  if (!read) return null;
  return { path: baseDir === undefined ? read.path : resolve(baseDir, read.path) };
}

/** The default output of an export made in the app: `exports/<format>/` inside the run folder. */
export function runExportPath(runDir: string, format: ExportFormat): string {
  return join(runDir, 'exports', format);
}

/** Exports a finished run's folder as `format` to `out`: the run is read and checked, the files made, then written. */
export async function exportRunFolder(req: {
  runDir: string;
  format: ExportFormat;
  out: string;
  force: boolean;
  files: Pick<FilePort, 'readAsset'>;
}): Promise<ExportWriteResult> {
  const loaded = await loadExportSource(fsRunReader(req.runDir));
  if (!loaded.ok) return loaded;
  return writeSource(loaded.source, req);
}

/** Makes `source`'s export of `format` and writes it to `out`; nothing is written when it cannot be made. */
export async function writeSource(
  source: ExportSource,
  req: { format: ExportFormat; out: string; force: boolean; files: Pick<FilePort, 'readAsset'>; baseDir?: string },
): Promise<ExportWriteResult> {
  const target = exportTarget(req.format, req.out);
  const made = exportModel(req.format, source, {
    base: target.base,
    ...(req.format === 'pytorch' ? { data: await pytorchData(source, req.files, req.baseDir) } : {}),
  });
  if (!made.ok) return saying({ key: 'export.nothingExported', params: { cause: otherWords(made.message) } });
  return writeExport(req.format, req.out, made.files, req.force);
}
