/** What an export produces: files with their paths inside the output, or why there are none. */
import type { ExportSource } from './source';

/** One file of an export; `path` is relative to the output folder, with `/` between parts. */
export interface ExportFile {
  path: string;
  data: string | Uint8Array;
}

export type ExportResult = { ok: true; files: ExportFile[] } | { ok: false; message: string };

/** The preprocessing an app outside Python needs to encode texts as training did (ONNX, tfjs). */
export function preprocessingFile(path: string, source: ExportSource): ExportFile {
  const p = source.preprocessing;
  const value = {
    format: 'modelwright-preprocessing',
    version: 1,
    classes: p.classes,
    tokenizer: p.encodeSpec.tokenizer,
    lowercase: p.encodeSpec.lowercase,
    maxLength: p.encodeSpec.maxLength,
    encoding: p.encoding,
    inputShape: source.summary.inputShape,
    inputDtype: source.summary.inputDtype,
    padId: 0,
    unkId: 1,
    vocabulary: p.vocabulary,
  };
  return { path, data: JSON.stringify(value, null, 1) + '\n' };
}
