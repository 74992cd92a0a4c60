/**
 * Prediction from a finished run: the run's own Document, data summary, preprocessing and
 * trained weights rebuild exactly the model that trained, and texts are encoded with the run's
 * vocabulary, tokenizer and length (a character never seen in training is `<unk>`, not an
 * error). Everything comes through a RunReader port, so the CLI, the app's worker and the
 * export checks read run folders the same way. Problems with the folder are values.
 */
import { WordsError } from '../words';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { compileGraph } from '../compile/compile';
import { encodeTexts, fillInputs } from '../data/encode';
import { decodeImage } from '../data/imageDecode';
import { resizeImage } from '../data/imageResize';
import { isImagePreprocessing, PreprocessingSchema, type ImagePreprocessing, type Preprocessing } from '../data/preprocessing';
import type { DataSummary } from '../data/summary';
import { vocabularyFromTokens, type Vocabulary } from '../data/vocabulary';
import type { Document } from '../graph/document';
import { factsFromSummary } from '../graph/facts';
import { parseDocument } from '../graph/load';
import { inferGraph } from '../graph/validate';
import { scalePixels } from './imageData';
import type { SavedWeights } from './runStore';
import { loadSavedWeights } from './weights';

/** Reads the files of one run folder. Rejects with a message naming the file when one is missing. */
export interface RunReader {
  /** Where the run lives, for messages. */
  readonly runDir: string;
  /** `run.json`, `preprocessing.json`, …: the file's text, or null when it does not exist. */
  readText(name: string): Promise<string | null>;
  /** Saved weights by name ("final", a checkpoint's), or null when they do not exist. */
  readWeights(name: string): Promise<SavedWeights | null>;
}

/** The run format versions this build reads. */
const RUN_FORMAT_VERSION = 1;

/** One text's prediction: the top classes, and the probability of every class. */
export interface Prediction {
  text: string;
  top: { label: string; p: number }[];
  probs: Record<string, number>;
}

/** A trained model ready to predict, with what it was built from. */
export interface Predictor {
  readonly doc: Document;
  readonly summary: DataSummary;
  readonly preprocessing: Preprocessing;
  readonly vocabulary: Vocabulary;
  readonly model: tfl.LayersModel;
  /** The model's inputs for `texts`, as training encoded them: [n, ...inputShape]. */
  encode(texts: readonly string[]): { x: Float32Array | Int32Array; shape: number[]; dtype: 'float32' | 'int32' };
  /** Class probabilities of each text: row i is `probabilities[i*K .. (i+1)*K)`, K classes in `preprocessing.classes` order. */
  probabilities(texts: readonly string[]): Float32Array;
  /** Each text's `top` classes (default 3, at most every class) and all its probabilities. */
  predict(texts: readonly string[], top?: number): Prediction[];
  /**
   * Image models: each picture's (PNG or JPEG bytes) top classes, decoded, resized and scaled as
   * training did; `text` of each prediction is the picture's name. Throws a DataError naming a
   * picture that does not decode, and an Error for a model of texts.
   */
  predictImages(images: readonly { name: string; bytes: Uint8Array }[], top?: number): Prediction[];
  dispose(): void;
}

export type LoadPredictorResult = { ok: true; predictor: Predictor } | { ok: false; message: string };

/** run.json as the readers of a run folder see it (fields they check before trusting). */
export interface RunJson {
  format?: unknown;
  version?: unknown;
  runId?: unknown;
  createdAt?: unknown;
  documentText?: unknown;
  data?: DataSummary;
  outcome?: { reason?: string; epochs?: number; testAcc?: number | null };
}

/** A run folder's record, checked: what prediction and the exports rebuild a model from. */
export type RunRecordResult = { ok: true; info: RunJson; doc: Document; summary: DataSummary; preprocessing: Preprocessing } | { ok: false; message: string };

/**
 * Reads and checks a run folder's run.json (a Modelwright run, a format this build reads, with its
 * Document and data summary) and preprocessing.json. A message names the folder and what is wrong.
 */
export async function readRunRecord(reader: RunReader): Promise<RunRecordResult> {
  const where = reader.runDir;
  const runText = await reader.readText('run.json');
  if (runText === null) return { ok: false, message: `${where} is not a Modelwright run folder: it has no run.json.` };
  let info: RunJson;
  try {
    info = JSON.parse(runText) as RunJson;
  } catch (err) {
    return { ok: false, message: `${where}/run.json is not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (info.format !== 'modelwright-run')
    return { ok: false, message: `${where}/run.json is not a Modelwright run (its format is ${JSON.stringify(info.format)}).` };
  if (typeof info.version !== 'number' || info.version > RUN_FORMAT_VERSION) {
    return {
      ok: false,
      message: `${where} was written by a newer Modelwright (run format ${String(info.version)}; this one reads ${RUN_FORMAT_VERSION}). Update Modelwright to use it.`,
    };
  }
  if (typeof info.documentText !== 'string' || !info.data)
    return { ok: false, message: `${where}/run.json is incomplete: it lacks the document or the data summary.` };
  const parsed = parseDocument(info.documentText);
  if (!parsed.ok) return { ok: false, message: `${where}/run.json holds a document that does not load: ${parsed.error}` };

  const prepText = await reader.readText('preprocessing.json');
  if (prepText === null) return { ok: false, message: `${where} is incomplete: it has no preprocessing.json, so its texts cannot be encoded as in training.` };
  try {
    const checked = PreprocessingSchema.safeParse(JSON.parse(prepText));
    if (!checked.success) return { ok: false, message: `${where}/preprocessing.json is not valid: ${checked.error.issues[0]?.message ?? 'unknown shape'}` };
    return { ok: true, info, doc: parsed.doc, summary: info.data, preprocessing: checked.data };
  } catch (err) {
    return { ok: false, message: `${where}/preprocessing.json is not valid: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * Rebuilds a run's trained model from its folder: its Document (run.json), data summary,
 * preprocessing and `weights` ("final" by default). A folder that is not a run, comes from a
 * newer Modelwright, is incomplete, or whose weights do not fit its graph gives a message.
 */
export async function loadPredictor(reader: RunReader, weights = 'final'): Promise<LoadPredictorResult> {
  const where = reader.runDir;
  const record = await readRunRecord(reader);
  if (!record.ok) return record;
  const { preprocessing } = record;
  const saved = await reader.readWeights(weights);
  if (!saved) return { ok: false, message: `${where} has no ${weights} weights: the run did not finish (see how it ended in run.json).` };

  const facts = factsFromSummary(record.summary);
  const analysis = inferGraph(record.doc.graph, facts);
  if (analysis.issues.length) return { ok: false, message: `${where}: its document's graph no longer validates: ${analysis.issues[0]!.message}` };
  const compiled = compileGraph(record.doc.graph, analysis, facts, { seed: record.doc.training.seed });
  if (!compiled.ok) return { ok: false, message: `${where}: the model could not be rebuilt: ${compiled.issues[0]!.message}` };
  const model = compiled.model;
  const problem = loadSavedWeights(model, saved);
  if (problem) {
    model.dispose();
    return { ok: false, message: `${where}: its ${weights} weights do not match its graph: ${problem}` };
  }
  const summary = record.summary;
  const classes = preprocessing.classes;

  const image = isImagePreprocessing(preprocessing) ? preprocessing : undefined;
  let vocabulary: Vocabulary = vocabularyFromTokens(['<pad>', '<unk>']);
  if (!isImagePreprocessing(preprocessing)) {
    try {
      vocabulary = vocabularyFromTokens(preprocessing.vocabulary);
    } catch (err) {
      model.dispose();
      return { ok: false, message: `${where}/preprocessing.json is not valid: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  const encode: Predictor['encode'] = (texts) => {
    if (isImagePreprocessing(preprocessing)) throw new WordsError({ key: 'run.imageModelGotTexts', params: { where } });
    const ids = encodeTexts(texts, vocabulary, preprocessing.encodeSpec);
    const x = fillInputs(
      ids,
      Array.from({ length: texts.length }, (_, i) => i),
      preprocessing.encoding,
    );
    return { x, shape: [texts.length, ...summary.inputShape], dtype: summary.inputDtype };
  };
  const run = (x: Float32Array | Int32Array, shape: number[], dtype: 'float32' | 'int32'): Float32Array =>
    tf.tidy(() => {
      const out = model.predict(tf.tensor(x, shape, dtype)) as tf.Tensor;
      return out.dataSync() as Float32Array;
    });
  const probabilities: Predictor['probabilities'] = (texts) => {
    if (texts.length === 0) return new Float32Array(0);
    const { x, shape, dtype } = encode(texts);
    return run(x, shape, dtype);
  };
  const ranked = (names: readonly string[], p: Float32Array, top: number): Prediction[] => {
    const k = classes.length;
    return names.map((text, i) => {
      const row = Array.from(p.subarray(i * k, (i + 1) * k));
      const probs: Record<string, number> = {};
      classes.forEach((label, c) => (probs[label] = row[c]!));
      const order = row.map((value, c) => ({ label: classes[c]!, p: value })).sort((a, b) => b.p - a.p);
      return { text, top: order.slice(0, Math.max(1, Math.min(top, k))), probs };
    });
  };
  const predictor: Predictor = {
    doc: record.doc,
    summary,
    preprocessing,
    vocabulary,
    model,
    encode,
    probabilities,
    predict(texts, top = 3) {
      return ranked(texts, probabilities(texts), top);
    },
    predictImages(images, top = 3) {
      if (!image) throw new WordsError({ key: 'run.textModelGotPictures', params: { where } });
      if (images.length === 0) return [];
      const x = pictureInputs(images, image);
      return ranked(
        images.map((i) => i.name),
        run(x, [images.length, image.image.height, image.image.width, image.image.channels], 'float32'),
        top,
      );
    },
    dispose: () => model.dispose(),
  };
  return { ok: true, predictor };
}

/** Pictures (PNG or JPEG bytes) as an image model's inputs: decoded, resized and scaled as its training data was. */
export function pictureInputs(images: readonly { name: string; bytes: Uint8Array }[], p: ImagePreprocessing): Float32Array {
  const { height, width, channels, fit } = p.image;
  const cell = height * width * channels;
  const x = new Float32Array(images.length * cell);
  images.forEach((img, i) => x.set(resizeImage(decodeImage(img.bytes, img.name), width, height, channels, fit), i * cell));
  scalePixels(x, p.image);
  return x;
}
