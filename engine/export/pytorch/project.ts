/**
 * The PyTorch project as files: model.py (from the graph), layers.py, weights.py, data.py,
 * train.py, predict.py, README.md, config.json, vocab.json (texts) and the weights (weights.json +
 * weights.bin), and the data itself when it is a built-in dataset. An image model's project has
 * the data.py and predict.py of pictures, and no vocabulary.
 */
import type { ExportFile, ExportResult } from '../files';
import { isImagePreprocessing, type ImagePreprocessing } from '../../data/preprocessing';
import type { ExportSource, TextExportSource } from '../source';
import { DATA_PY } from './dataPy';
import { IMAGE_DATA_PY } from './imageDataPy';
import { IMAGE_PREDICT_PY } from './imagePredictPy';
import { LAYERS_PY } from './layersPy';
import { pytorchModel } from './modelPy';
import { PREDICT_PY } from './predictPy';
import { pytorchReadme } from './readme';
import { TRAIN_PY } from './trainPy';
import { encodeStateDict, WEIGHTS_PY } from './weightsPy';

export interface PyTorchProjectOptions {
  /**
   * The data to train on: the built-in dataset's bytes (copied into the project as `data/NAME`,
   * with the files it needs beside it in `more`, e.g. the digits atlas's digits.json), or the
   * path of the user's file or picture folder as train.py should open it; null when it is not known.
   */
  data: { name: string; bytes: Uint8Array; more?: { name: string; bytes: Uint8Array }[] } | { path: string } | null;
}

/** The encode settings data.py knows and the values it does them for ([]: any); a newer app may have more. */
const ENCODE_SETTINGS: Record<string, readonly unknown[]> = {
  tokenizer: ['char', 'word'],
  lowercase: [true, false],
  maxLength: [],
  punctuation: [undefined, true, false],
  truncate: [undefined, 'end', 'start'],
  bos: [undefined, true, false],
  eos: [undefined, true, false],
  textColumns: [],
  bagValue: [undefined, 'count', 'presence'],
};

/** Why data.py would not encode texts as the run did, or null: it knows the tokenizers, encodings and settings of this build. */
function unsupportedEncoding(source: TextExportSource): string | null {
  const p = source.preprocessing;
  if (!['onehot', 'index', 'bag'].includes(p.encoding))
    return `the run encodes its texts as "${String(p.encoding)}", which the project's data.py does not know.`;
  for (const [key, value] of Object.entries(p.encodeSpec as Record<string, unknown>)) {
    const allowed = ENCODE_SETTINGS[key];
    if (allowed === undefined) {
      if (value !== undefined) return `the run's encoding has a setting "${key}" the project's data.py does not know.`;
    } else if (allowed.length > 0 && !allowed.includes(value)) {
      return `the run's encoding sets ${key} to ${JSON.stringify(value)}, which the project's data.py does not do.`;
    }
  }
  return null;
}

/**
 * How the run read its data file, from its summary, so data.py reads it the same way: the
 * encoding, delimiter, header and column names. Null for runs whose summary does not say.
 */
function readAs(source: ExportSource): Record<string, unknown> | null {
  const { columns, fileEncoding } = source.summary;
  if (!columns) return null;
  return {
    charset: fileEncoding?.name ?? null,
    delimiter: columns.delimiter,
    hasHeader: columns.hasHeader,
    all: columns.all,
    text: columns.text,
    label: columns.label,
  };
}

/** The data files the project carries (a built-in dataset's), as `data/NAME`. */
function dataFiles(opts: PyTorchProjectOptions): ExportFile[] {
  if (opts.data === null || !('bytes' in opts.data)) return [];
  return [opts.data, ...(opts.data.more ?? [])].map((f) => ({ path: `data/${f.name}`, data: f.bytes }));
}

/** Every file of a project, in one order: the model, its layers and weights, data, train and predict, README and config, then `extra` and the data files. */
function projectFiles(
  parts: {
    modelPy: string;
    dataPy: string;
    predictPy: string;
    readme: string;
    config: object;
    state: Parameters<typeof encodeStateDict>[0];
    opts: PyTorchProjectOptions;
  },
  extra: ExportFile[] = [],
): ExportFile[] {
  const { manifest, bin } = encodeStateDict(parts.state);
  return [
    { path: 'model.py', data: parts.modelPy },
    { path: 'layers.py', data: LAYERS_PY },
    { path: 'weights.py', data: WEIGHTS_PY },
    { path: 'data.py', data: parts.dataPy },
    { path: 'train.py', data: TRAIN_PY },
    { path: 'predict.py', data: parts.predictPy },
    { path: 'README.md', data: parts.readme },
    { path: 'config.json', data: JSON.stringify(parts.config, null, 1) + '\n' },
    ...extra,
    { path: 'weights.json', data: manifest },
    { path: 'weights.bin', data: bin },
    ...dataFiles(parts.opts),
  ];
}

const PROJECT_FORMAT = { format: 'modelwright-pytorch-project', version: 1 } as const;

/** Where config.json says the project's data is: the copy inside it, the file the run read, or none. */
function projectDataFile(opts: PyTorchProjectOptions): string | null {
  return opts.data === null ? null : 'bytes' in opts.data ? `data/${opts.data.name}` : opts.data.path;
}

/** What config.json says of the run in both kinds of project (text and image), in this order. */
function runFacts(source: ExportSource, dataFile: string | null) {
  return {
    name: source.doc.name,
    origin: source.origin,
    dataFile,
    data: source.doc.data,
    training: source.doc.training,
    classes: source.preprocessing.classes,
  };
}

export function exportPyTorch(whole: ExportSource, opts: PyTorchProjectOptions): ExportResult {
  const wholePre = whole.preprocessing;
  if (isImagePreprocessing(wholePre)) return imageProject({ ...whole, preprocessing: wholePre }, opts);
  const source: TextExportSource = { ...whole, preprocessing: wholePre };
  const unsupported = unsupportedEncoding(source);
  if (unsupported) return { ok: false, message: `no PyTorch project: ${unsupported}` };
  const built = pytorchModel(source);
  if (!built.ok) return built;
  const dataFile = projectDataFile(opts);
  const p = source.preprocessing;
  const config = {
    ...PROJECT_FORMAT,
    ...runFacts(source, dataFile),
    encodeSpec: p.encodeSpec,
    encoding: p.encoding,
    readAs: readAs(source),
    inputShape: source.summary.inputShape,
    inputDtype: source.summary.inputDtype,
    loss: source.loss,
  };
  return {
    ok: true,
    files: projectFiles(
      { modelPy: built.model.modelPy, dataPy: DATA_PY, predictPy: PREDICT_PY, readme: pytorchReadme(source, dataFile), config, state: built.model.state, opts },
      [{ path: 'vocab.json', data: JSON.stringify(p.vocabulary) + '\n' }],
    ),
  };
}

/** The project of an image model: data.py and predict.py of pictures, config.json with how pictures become its input. */
function imageProject(source: ExportSource & { preprocessing: ImagePreprocessing }, opts: PyTorchProjectOptions): ExportResult {
  const built = pytorchModel(source);
  if (!built.ok) return built;
  const dataFile = projectDataFile(opts);
  const p = source.preprocessing;
  const config = {
    ...PROJECT_FORMAT,
    kind: 'image',
    ...runFacts(source, dataFile),
    /** How a picture becomes the model's input, as the run resolved it (its preprocessing.json). */
    image: p.image,
    inputShape: source.summary.inputShape,
    inputDtype: 'float32',
    loss: source.loss,
  };
  return {
    ok: true,
    files: projectFiles({
      modelPy: built.model.modelPy,
      dataPy: IMAGE_DATA_PY,
      predictPy: IMAGE_PREDICT_PY,
      readme: pytorchReadme(source, dataFile),
      config,
      state: built.model.state,
      opts,
    }),
  };
}
