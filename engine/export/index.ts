/**
 * The exports: a PyTorch project, an ONNX model and tfjs model files, each made from an
 * ExportSource (a run's trained model, or a document's untrained one) as a list of files. Pure:
 * hosts decide where the files go and write them (engine/host/exportWriter.ts), so nothing is
 * written unless every part of an export could be made.
 */
import type { ExportResult } from './files';
import { exportOnnx } from './onnx/export';
import { exportPyTorch, type PyTorchProjectOptions } from './pytorch/project';
import type { ExportSource } from './source';
import { exportTfjs } from './tfjs/export';

export type { ExportFile, ExportResult } from './files';
export { ONNX_OPSET } from './onnx/graph';
export { exportSourceFrom, loadExportSource, type ExportOrigin, type ExportSource, type SourceResult } from './source';

export const EXPORT_FORMATS = ['pytorch', 'onnx', 'tfjs'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The version written into exported files (model producers, READMEs). */
export const EXPORTER_VERSION = '0.1.0';

/**
 * How a format's output is named: a folder (pytorch, tfjs: every file inside it), or a file
 * (onnx: `NAME.onnx`, with `NAME.vocab.json` beside it).
 */
export const EXPORT_LAYOUT: Record<ExportFormat, 'folder' | 'file'> = { pytorch: 'folder', onnx: 'file', tfjs: 'folder' };

export interface ExportOptions {
  /** The PyTorch project's data (PyTorchProjectOptions); other formats ignore it. */
  data?: PyTorchProjectOptions['data'];
  /** The ONNX file's name without `.onnx` (default "model"). */
  base?: string;
}

/** The files of `format` for `source`, or why it cannot be exported (a block without a form, named). */
export function exportModel(format: ExportFormat, source: ExportSource, opts: ExportOptions = {}): ExportResult {
  switch (format) {
    case 'pytorch':
      return exportPyTorch(source, { data: opts.data ?? null });
    case 'onnx':
      return exportOnnx(source, { base: opts.base ?? 'model', version: EXPORTER_VERSION });
    case 'tfjs':
      return exportTfjs(source, { version: EXPORTER_VERSION });
  }
}
