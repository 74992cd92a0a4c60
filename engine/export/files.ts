/** What an export produces: files with their paths inside the output, or why there are none. */
import type { ExportSource } from './source';

/** One file of an export; `path` is relative to the output folder, with `/` between parts. */
export interface ExportFile {
  path: string;
  data: string | Uint8Array;
}

export type ExportResult = { ok: true; files: ExportFile[] } | { ok: false; message: string };

/** What the model's input is, in words, for READMEs and the ONNX model's description. */
export function describeInput(source: ExportSource): string {
  const p = source.preprocessing;
  const [length] = source.summary.inputShape;
  if (p.encoding === 'index') return `int32 token ids [batch, ${length}] (0 is padding)`;
  if (p.encoding === 'bag')
    return `float32 token ${p.encodeSpec.bagValue === 'presence' ? 'presence (1 where a token occurs)' : 'counts'} [batch, ${p.vocabulary.length}] (padding not counted)`;
  return `float32 one-hot tokens [batch, ${length}, ${p.vocabulary.length}] (padding all zeros)`;
}

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
    /** Everything the run encoded with, as it saved it. */
    encodeSpec: p.encodeSpec,
    inputShape: source.summary.inputShape,
    inputDtype: source.summary.inputDtype,
    padId: 0,
    unkId: 1,
    vocabulary: p.vocabulary,
  };
  return { path, data: JSON.stringify(value, null, 1) + '\n' };
}
