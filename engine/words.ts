/**
 * The sentences the engine says to people, by key, with the values they name. An error (a
 * `DataError`, an `EngineError`, a training `error` event) carries its `Words` beside its English
 * `message`: the CLI prints the message; the renderer looks the key up in the user's language
 * (the English below is its English catalog, renderer/i18n/locales/ko/engine.json the Korean) and
 * fills in the same values. tests/unit/renderer/engineWords.test.ts fails when a key has no words
 * in a language or the two name other values.
 *
 * Values are `{{name}}`, as i18next writes them. A sentence with a `count` value may have
 * `_one` and `_other` forms, as i18next's plurals. A value may itself be `Words` (a cause, a part
 * of a sentence), said in the same language.
 */

export const ENGINE_SENTENCES = {
  // Where the problem is: said before the sentence.
  'where.file': '{{file}}: ',
  'where.line': '{{file}}, line {{line}}: ',
  'where.character': '{{file}}, line {{line}}, character {{column}}: ',
  'where.field': '{{file}}, line {{line}}, column {{field}}: ',
  'where.numberedField': '{{file}}, line {{line}}, {{field}}: ',

  // Something the engine did not make: an operating system's or a library's own words, as they came.
  'other.text': '{{text}}',

  // Opening a document.
  'opening.notText': 'Not a Modelwright document: expected text.',
  'opening.tooBig': 'Not a Modelwright document: it is {{mb}} MB, and documents are at most {{max}} MB.',
  'opening.empty': 'The file is empty.',
  'opening.notObjectStart': 'Not a Modelwright document: it is not a JSON object (it does not start with "{").',
  'opening.truncated': 'The file ends too early: it looks truncated ({{detail}}).',
  'opening.notJson': 'Not a Modelwright document: it is not valid JSON ({{detail}}).',
  'opening.notObject': 'Not a Modelwright document: it is not a JSON object.',
  'opening.noFormat': 'Not a Modelwright document: it has no "format" field; expected "format": "modelwright".',
  'opening.wrongFormat': 'Not a Modelwright document: its "format" is {{found}}; expected "format": "modelwright".',
  'opening.noVersion': 'The document has no valid "schemaVersion" (expected a whole number).',
  'opening.newer': 'This document was made by a newer Modelwright (v{{version}}); this one reads up to v{{current}}. Update Modelwright to open it.',
  'opening.older': 'This document has schemaVersion {{version}}; this Modelwright reads v{{oldest}} to v{{current}}.',
  'opening.schema': 'The document does not match the Modelwright format: {{problems}}.',
  'opening.group': 'graph.nodes[{{index}}] ("{{node}}"): {{cause}}',
  'opening.notAutosaved': 'Not autosaved: {{cause}}',

  // Exporting a run.
  'export.incomplete': '{{where}} is incomplete: {{cause}}',
  'export.noFinalWeights': '{{where}} is incomplete: it has no final weights (the run did not finish; see how it ended in run.json).',
  'export.graphInvalid': "{{where}}: its document's graph no longer validates: {{cause}}",
  'export.weightsUnreadable': '{{where}}: its weights cannot be read: {{cause}}',
  'export.weightsMismatch': '{{where}}: its weights do not match its graph: {{cause}}',
  'export.notWritten': 'The export could not be written to {{out}}: {{cause}}',
  'export.nothingExported': 'Nothing was exported: {{cause}}',

  // A sweep's params.
  'sweep.unknownNode': 'The sweep varies a param of node "{{node}}", and the graph has no node "{{node}}".',
  'sweep.unknownBlock': 'Node "{{node}}" is of the unknown block type "{{type}}", so its params cannot be swept.',
  'sweep.unknownParam': 'Node "{{node}}" is a {{type}}, which has no param "{{param}}" (it has {{has}}).',
  'sweep.unknownParamNone': 'Node "{{node}}" is a {{type}}, which has no param "{{param}}" (it has none).',
  'sweep.trialNotStarted': 'Trial {{trial}} could not start: {{cause}}',
  'sweep.stoppedByUser': 'Stopped by the user.',
  'sweep.noParams': 'The sweep varies nothing: add a param (the learning rate is a good first one).',
  'sweep.twice': '{{path}} is swept twice; keep one.',
  'sweep.badChoice': '{{path}}: the choice {{value}} is not a value it takes ({{why}}).',
  'sweep.badBound': '{{path}}: {{value}} is not a value it takes ({{why}}).',
  'sweep.badRange': '{{path}}: {{problem}}.',
  'sweep.range.order': 'min ({{min}}) must be below max ({{max}})',
  'sweep.range.logMin': 'a {{scale}} scale needs min above 0 (it is {{min}})',
  'sweep.range.oneMinusLogMax': 'a oneMinusLog scale samples 1 − x on a log scale, so max must be below 1 (it is {{max}})',
  'sweep.range.whole': 'an {{scale}} scale needs whole-number bounds',

  // Why a value is not one a param takes (inside a sweep's problem).
  'value.invalid': 'not a valid value',
  'value.atLeast': 'it must be at least {{min}}',
  'value.moreThan': 'it must be more than {{min}}',
  'value.atMost': 'it must be at most {{max}}',
  'value.lessThan': 'it must be less than {{max}}',
  'value.whole': 'it must be a whole number',
  'value.oneOf': 'it must be one of {{values}}',

  // Reading a file of texts.
  'data.noData': 'this model has no data yet: choose a built-in dataset or a CSV/TSV file in the Data tab (or pass --data CSV).',
  'data.imagesNotTable': 'this data is images; it is read by prepareImages (engine/data/imageDataset.ts), not as a table of texts.',
  'data.notText': '{{what}}.',
  'data.binary.zip': 'this is a zip archive (an Excel .xlsx or OpenDocument file is one); save it as CSV',
  'data.binary.gzip': 'this is gzip-compressed; decompress it first',
  'data.binary.pdf': 'this is a PDF',
  'data.binary.ole': 'this is an old Excel (.xls) or Word file; save it as CSV',
  'data.binary.png': 'this is a PNG image',
  'data.binary.jpeg': 'this is a JPEG image',
  'data.binary.gif': 'this is a GIF image',
  'data.binary.elf': 'this is a program (ELF)',
  'data.binary.sqlite': 'this is an SQLite database; export the table as CSV',
  'data.binary.7z': 'this is a 7-Zip archive; unpack it first',
  'data.binary.rar': 'this is a RAR archive; unpack it first',
  'data.binary.parquet': 'this is a Parquet file; save it as CSV',
  'data.binary.bzip2': 'this is bzip2-compressed; decompress it first',
  'data.binary.xz': 'this is xz-compressed; decompress it first',
  'data.binary.nul': 'this is not a text file (it holds NUL bytes); choose a CSV or TSV file',
  'data.binary.controls': 'this is not a text file (it holds many control bytes); choose a CSV or TSV file',
  'data.noEncoding': 'no encoding Modelwright knows reads this file without an error; choose its encoding (the Data tab, or --encoding NAME).',
  'data.invalidBytes':
    'these bytes are not valid {{charset}}, {{why}}. The file is in another encoding, or damaged there; choose its encoding (the Data tab, or --encoding NAME), or fix the line.',
  'data.encodingWhy.chosen': 'the encoding chosen for it',
  'data.encodingWhy.ascii': 'which its start (plain ASCII) suggested',
  'data.encodingWhy.detected': 'which was detected from its start',
  'data.emptyFile': 'the file is empty.',
  'data.noRows': 'the file has no rows.',
  'data.headerOnly': 'the file has a header row ({{columns}}) but no data rows.',
  'data.rowTooLong':
    'this row is longer than {{limit}} characters (the rest of the file may be one line, or a quote is never closed); a data file has one example a line.',
  'data.unclosedQuote': 'a quoted field starts here and its closing quote never comes; check the quotes on this row.',
  'data.textAfterQuote': 'there is text after the closing quote of a field; quote the whole field, and double any quote inside it ("").',
  'data.raggedRow_one': 'this row has {{count}} field but {{first}} has {{width}}; quote fields that contain "{{delimiter}}" or line breaks.',
  'data.raggedRow_other': 'this row has {{count}} fields but {{first}} has {{width}}; quote fields that contain "{{delimiter}}" or line breaks.',
  'data.theFirstRow': 'the first row',
  'data.theHeader': 'the header',
  'data.labelEmpty': 'the label is empty; give every row a label or delete it.',
  'data.textEmpty': 'the text is empty; give the row a text or delete it.',
  'data.textsEmpty': 'every text column ({{columns}}) is empty; give the row a text or delete it.',
  'data.badSplitValue': 'the split column says {{value}}; it must be train, dev (or val, valid, validation) or test.',
  'data.badSplitValueNamed': 'the split column ({{column}}) says {{value}}; it must be train, dev (or val, valid, validation) or test.',
  'data.noTrainRows': 'no row of the split column ({{column}}) says train; mark the rows to train on "train".',
  'data.oneClass': 'the label column ({{column}}) has only one value, {{value}}; a classifier needs two classes or more.',
  'data.tooManyClasses': 'the label column ({{column}}) has {{count}} different values; is it the right column? Choose the column that holds the class.',
  'data.classNotInTrain':
    'the class {{name}} has no row in the train split (its {{count}} rows, this one first, are all dev or test), so the model could never learn it. Mark some of its rows "train", or remove the class.',
  'data.maxLengthTooSmall': 'maxLength is {{maxLength}}, which leaves no room for a token besides {{specials}}; make it at least {{least}}.',
  'data.and': '{{a}} and {{b}}',
  'data.noTextColumn': 'no text column is named; name the column that holds the text.',
  'data.role.text': 'text',
  'data.role.label': 'label',
  'data.role.split': 'split',
  'data.columnOutOfRange_one': 'the {{role}} column is "{{ref}}", but the file has {{count}} column.',
  'data.columnOutOfRange_other': 'the {{role}} column is "{{ref}}", but the file has {{count}} columns.',
  'data.columnNeedsHeader':
    'the {{role}} column is "{{ref}}", but the file has no header row (its first row is {{preview}}), so its columns have no names; name them by number, e.g. "column {{example}}".',
  'data.noSuchColumn': 'there is no column named "{{ref}}"; the file\'s columns are: {{columns}}. Choose one of them as the {{role}} column.',
  'data.noSuchColumnNear':
    'there is no column named "{{ref}}" (did you mean "{{near}}"?); the file\'s columns are: {{columns}}. Choose one of them as the {{role}} column.',
  'data.textIsLabel': 'the text and the label are both column {{number}} ({{name}}); choose two different columns.',
  'data.textTwice': 'column {{number}} ({{name}}) is named twice as a text column; name each once.',
  'data.splitIsOther': 'the split column is column {{number}} ({{name}}), which is also the {{role}}; choose a column of its own.',
  'data.textIsNumbers':
    'the text column holds numbers ({{value}} here, and {{rows}} read so far), not text. Modelwright classifies text: choose a column of words or names as the text{{columns}}; a column of numbers may be the label.',
  'data.rows.theOne': 'the one row',
  'data.rows.all': 'all {{count}} rows',
  'data.rows.some': '{{count}} of the {{filled}} rows',
  'data.rows.columns': ' (the columns are {{columns}})',
  'data.splitRatiosSum': 'the split ratios {{ratios}} add up to {{sum}}, not 1.',
  'data.trainRatioZero': 'the train ratio must be above 0.',
  'data.tooFewForSplit': '{{what}}, too few for a {{split}} split: it needs at least {{needed}} (one each in {{splits}}). Add rows.',
  'data.tooFewForSplitStratified':
    '{{what}}, too few for a {{split}} split: it needs at least {{needed}} (one each in {{splits}}). Add rows, or remove that class.',
  'data.classHasRows_one': 'class "{{name}}" has {{count}} row',
  'data.classHasRows_other': 'class "{{name}}" has {{count}} rows',
  'data.dataHasRows_one': 'the data has {{count}} row',
  'data.dataHasRows_other': 'the data has {{count}} rows',
  'data.noDataSection': 'this document has no data section; name a CSV with --data CSV.',

  // GloVe files.
  'data.gloveNotVectors': 'expected a word and numbers, found only {{found}}; is this a GloVe file?',
  'data.gloveRowLength_one': "the word {{word}} has {{count}} number after it, but the file's rows have {{dim}}; the file may be cut off or damaged.",
  'data.gloveRowLength_other': "the word {{word}} has {{count}} numbers after it, but the file's rows have {{dim}}; the file may be cut off or damaged.",
  'data.gloveNotNumber': '{{value}} after the word {{word}} is not a number.',
  'data.gloveEmpty': 'the file holds no vectors.',
  'data.gloveDim':
    "the file's vectors have {{fileDim}} numbers, but the Embedding's outputDim is {{dim}}; set outputDim to {{fileDim}} or choose a {{dim}}-dimensional file.",

  // Pictures.
  'data.notImage': "this is not a PNG or JPEG image (its first bytes are not an image's); remove it or convert it to PNG or JPEG.",
  'data.imageTruncatedHeader': 'the {{format}} file is truncated: it ends inside its header.',
  'data.imageNoPixels': 'the image is {{width}}×{{height}} pixels: it has no pixels.',
  'data.imageTooLarge':
    'the image is {{width}}×{{height}} pixels ({{megapixels}} megapixels), over the limit of {{limit}} megapixels that can be decoded within the memory limit; make it smaller.',
  'data.imageUndecodable': 'the {{format}} image cannot be decoded ({{why}}); it is probably truncated or damaged.',
  'data.noPictures': 'this data source holds no pictures.',
  'data.picturesTooBig': 'the pictures take more than {{gb}} GB at {{size}} (at {{file}}); choose a smaller size or fewer pictures.',
  'data.noFolders': 'this host cannot read folders.',
  'data.classFolderEmpty': 'the class folder "{{label}}" is empty: it holds no PNG or JPEG picture. Put its pictures in it, or remove it.',
  'data.classFolderOnlyOthers_one':
    'the class folder "{{label}}" is empty: it holds no PNG or JPEG picture (only {{count}} other file). Put its pictures in it, or remove it.',
  'data.classFolderOnlyOthers_other':
    'the class folder "{{label}}" is empty: it holds no PNG or JPEG picture (only {{count}} other files). Put its pictures in it, or remove it.',
  'data.picturesNotInClassFolders':
    "the pictures are in the folder itself; put each class's pictures in a sub-folder named after the class (e.g. {{example}}).",
  'data.folderHoldsNothing': 'the folder holds no pictures and no class folders; choose a folder with one sub-folder of PNG or JPEG pictures per class.',
  'data.splitFolderEmpty': 'the {{name}} folder has no class folders in it.',
  'data.noPathColumn': 'a CSV of pictures needs the column of image paths (data.image.pathColumn).',
  'data.imagePathEmpty': 'the image path is empty; give every row a picture or delete it.',
  'data.csvNamesNoPictures': 'the file names no pictures.',
  'data.noPicturesFound': 'no pictures were found.',
  'data.onePictureClass': 'every picture is of one class, "{{name}}"; a classifier needs two classes or more.',
  'data.classHasNoTrainPicture':
    'the class "{{name}}" has no picture in the train split, so the model could never learn it; give it train pictures, or remove it.',

  // Runs and the calls on them.
  'run.noData': 'This model has no data yet: choose a built-in dataset or a CSV/TSV file.',
  'run.noDataToTune': 'This model has no data yet: choose a built-in dataset or a CSV/TSV file in the Data tab (or pass --data CSV), then tune it.',
  'run.noSuchRun': 'There is no run "{{runId}}" in the runs folder.',
  'run.stillTrainingPredict': 'The run "{{runId}}" is still training: it can predict once it has finished.',
  'run.stillTrainingEvaluate': 'The run "{{runId}}" is still training: its test evaluation comes when it ends.',
  'run.trainingAlready': 'Run {{runId}} is training already.',
  'run.noSuchRunIn': 'There is no run {{runId}} in {{dir}}.',
  'run.cannotResume': 'Run {{runId}} cannot be resumed: {{why}}.',
  'run.resumeWhy.nan': 'its loss became NaN: resuming would only repeat that',
  'run.resumeWhy.completed': 'it completed all its epochs',
  'run.declined': 'You did not allow the files; nothing was read.',
  'run.dataNotLoaded': 'The data could not be loaded: {{cause}}',
  'run.dataNotReadAgain': "The run's data could not be read again: {{cause}}",
  'run.testSplitEmpty': "The run's test split is empty: there is nothing to evaluate.",
  'run.dataChanged':
    "The run's data file has changed since it trained (its classes or vocabulary differ), so its test split cannot be evaluated as the run saw it.",
  'run.predictionFailed': 'The prediction failed: {{cause}}',
  'run.evaluationFailed': 'The evaluation failed: {{cause}}',
  'run.modelNotBuilt': 'The model could not be built: {{cause}}',
  'run.trainingFailed': 'Training failed: {{cause}}',
  'run.folderNotWritten': "The run's folder {{dir}} could not be written: {{cause}}",
  'run.noDataToTrain': 'This model has no data yet: choose a built-in dataset or a CSV/TSV file in the Data tab (or pass --data CSV), then train.',
  'run.trainSplitEmpty': 'The train split is empty: add rows to the data or raise the train ratio.',
  'run.graphInvalid_one': 'The graph is not valid ({{count}} problem).',
  'run.graphInvalid_other': 'The graph is not valid ({{count}} problems).',
  'run.embeddingSays': 'Embedding "{{node}}": {{cause}}',
  'run.pretrainedNeedsVocab': 'Embedding "{{node}}": pretrained vectors need a token vocabulary, and this data has none.',
  'run.pretrainedUnreadable':
    'Embedding "{{node}}": its pretrained vectors could not be read: {{cause}}. Point the node\'s "pretrained" parameter at a GloVe-format text file (e.g. glove.6B.{{dim}}d.txt), or clear it to start from random vectors.',
  'run.recordNotWritten': "Training stopped: the run's record could not be written. {{cause}}.",
  'run.imageModelGotTexts': '{{where}} is an image model: give it pictures (PNG or JPEG), not texts.',
  'run.textModelGotPictures': '{{where}} is a model of texts: give it texts, not pictures.',
  'run.nan':
    'The loss became {{loss}} at epoch {{epoch}}, batch {{batch}} (step {{step}}), so training stopped. Lower the learning rate (now {{lr}}; try {{lower}}), or check the data for extreme values.',

  // What a run or the learning-rate finder is doing, while it does it.
  'progress.startingFinder': 'Starting the learning-rate finder…',
  'progress.backend': 'Backend: {{name}} ({{package}}).',
  'progress.backendWhy': 'Backend: {{name}} ({{package}}). {{reason}}',
  'progress.loadingData': 'Loading the data…',
  'progress.loading': 'Loading {{source}}…',
  'progress.builtin': 'the built-in {{name}} dataset',
  'progress.readingVectors': 'Reading the pretrained vectors of "{{node}}" from {{path}}…',
  'progress.vectorsFound': '"{{node}}": {{found}} of {{words}} vocabulary words have pretrained vectors.',
  'progress.vectorsFoundFrozen': '"{{node}}": {{found}} of {{words}} vocabulary words have pretrained vectors (kept frozen).',
  'progress.compiling': 'Compiling the model…',
  'progress.raisingLr': 'Raising the learning rate batch by batch…',
  'progress.stopped': 'Stopped.',
  'progress.queued_one': 'Queued: {{count}} run ahead ({{slots}} on this machine)…',
  'progress.queued_other': 'Queued: {{count}} runs ahead ({{slots}} on this machine)…',
  'progress.slots_one': '{{count}} train at a time',
  'progress.slots_other': '{{count}} trains at a time',
  'progress.slotFree': 'Starting: a training slot is free.',

  // The learning-rate finder's and the epoch estimate's refusals (the others are run.*).
  'lrFind.noData': 'This model has no data yet: choose a built-in dataset or a CSV/TSV file in the Data tab (or pass --data CSV), then find the learning rate.',
  'lrFind.failed': 'The learning-rate finder failed: {{cause}}',
  'lrFind.noResult': 'The learning-rate finder ended without a result.',
  'estimate.dataNotLoaded': 'The data could not be loaded.',

  // A process that ended without a word.
  'crash.ended': '{{process}} ended unexpectedly{{where}}: it {{how}}.{{hint}}{{saved}}{{tail}}',
  'crash.process.training': 'The training process',
  'crash.process.lrFinder': 'The learning-rate finder',
  'crash.process.helper': 'The helper process (data, predictions)',
  'crash.at': ' at epoch {{epoch}}, batch {{batch}}',
  'crash.atOf': ' at epoch {{epoch}}, batch {{batch}} of {{steps}}',
  'crash.killed': 'was killed ({{signal}})',
  'crash.exited': 'exited with code {{code}}',
  'crash.outOfMemory': ' It may have run out of memory: try a smaller batch size or a smaller model.',
  'crash.checkpoint': ' The last complete checkpoint is of epoch {{epoch}}.',
  'crash.noCheckpoint': ' No checkpoint was saved.',
  'crash.output': '\nLast output of the process:\n{{output}}',

  // Autosave, and why a file or folder could not be written.
  'autosave.otherWindow': 'The autosave slot {{slot}} belongs to another window.',
  'autosave.notWritten': 'Could not autosave to {{dir}}: {{cause}}.',
  'autosave.none': 'This host keeps no autosaves.',
  'file.noSuchFile': 'no such file',
  'file.permissionDenied': 'permission denied',
  'file.isFolder': 'it is a folder, not a file',
  'file.noSpace': 'the disk is full',
  'file.readOnly': 'the disk is read-only',
  'file.notFolder': 'a part of the path is a file, not a folder',

  // Which backend trains, and why (the status bar's and a run's first words).
  'backend.reason': 'Training on {{on}}{{before}}{{own}}{{threads}}{{fma}}.',
  'backend.on.cuda': 'libtensorflow with CUDA (tfjs-node-gpu)',
  'backend.on.tfjsNode': 'libtensorflow on the CPU (tfjs-node)',
  'backend.on.wasmSimd': 'WebAssembly with SIMD (tfjs-backend-wasm), the fastest built-in backend',
  'backend.on.wasm': 'WebAssembly (tfjs-backend-wasm), the fastest built-in backend',
  'backend.on.cpu': 'plain JavaScript (tfjs-backend-cpu), the slowest backend',
  'backend.notAvailable': ' (not available: {{tried}})',
  'backend.tried': '{{package}}: {{why}}',
  'backend.list': '{{a}}; {{b}}',
  'backend.why.notInstalled': 'not installed',
  'backend.why.failedToLoad': 'failed to load ({{detail}})',
  'backend.why.noBackend': 'did not register a backend',
  'backend.why.noInit': 'failed to initialise',
  'backend.why.smokeWrong': 'smoke op gave {{value}}, not 11',
  'backend.why.smokeFailed': 'smoke op failed ({{detail}})',
  'backend.why.noSimd': "this engine lacks WebAssembly SIMD, which Modelwright's training kernels for it need",
  'backend.why.lacksKernels': 'lacks kernels {{kernels}}',
  'backend.ownKernels': "; Modelwright's own kernels: {{kernels}}",
  'backend.threads': '; large matrix products on {{threads}} threads{{inPlace}}',
  'backend.inPlace': ', in place on a shared heap',
  'backend.fma': '; fused multiply-add (relaxed SIMD)',
} as const;

export type WordKey = { [K in keyof typeof ENGINE_SENTENCES]: K extends `${infer B}_${'one' | 'other'}` ? B : K }[keyof typeof ENGINE_SENTENCES];

export type WordValue = string | number | Words;

/** Where a sentence is about: a file, its line, the character or the CSV column on it. */
export interface WordsAt {
  file: string;
  line?: number | undefined;
  column?: number | undefined;
  field?: string | undefined;
}

export interface Words {
  key: WordKey;
  params?: Record<string, WordValue>;
  at?: WordsAt;
}

const table = ENGINE_SENTENCES as Record<string, string>;

/** The key of the sentence `words` says, its plural form chosen by `count` as i18next does for English. */
export function sentenceKey(key: string, params: Record<string, WordValue> | undefined): string {
  const count = params?.count;
  if (typeof count === 'number') {
    const form = `${key}_${count === 1 ? 'one' : 'other'}`;
    if (form in table) return form;
  }
  return key;
}

/** The key and values of the "where" before a sentence. */
export function whereWords(at: WordsAt): { key: WordKey; params: Record<string, string | number> } {
  if (at.line === undefined) return { key: 'where.file', params: { file: at.file } };
  if (at.column !== undefined) return { key: 'where.character', params: { file: at.file, line: at.line, column: at.column } };
  if (at.field === undefined) return { key: 'where.line', params: { file: at.file, line: at.line } };
  // A file without a header names its columns "column 3" already.
  if (/^column \d+$/.test(at.field)) return { key: 'where.numberedField', params: { file: at.file, line: at.line, field: at.field } };
  return { key: 'where.field', params: { file: at.file, line: at.line, field: JSON.stringify(at.field) } };
}

function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The sentence in English: the CLI's words, and every language's fallback. */
export function english(words: Words): string {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(words.params ?? {})) params[name] = typeof value === 'object' ? english(value) : value;
  const where = words.at ? whereWords(words.at) : null;
  const prefix = where ? fill(table[where.key]!, where.params) : '';
  return prefix + fill(table[sentenceKey(words.key, words.params)] ?? words.key, params);
}

/** Words for something the engine did not say itself (an operating system's error), kept as it came. */
export function otherWords(text: string, at?: WordsAt): Words {
  return at ? { key: 'other.text', params: { text }, at } : { key: 'other.text', params: { text } };
}

/** An error's words: its own where it has some, else its message as it came. */
export function wordsOf(err: unknown): Words {
  if (err && typeof err === 'object' && 'words' in err && isWords((err as { words: unknown }).words)) return (err as { words: Words }).words;
  return otherWords(err instanceof Error ? err.message : String(err));
}

export function isWords(value: unknown): value is Words {
  if (!value || typeof value !== 'object') return false;
  const key = (value as { key?: unknown }).key;
  return typeof key === 'string' && (key in table || `${key}_other` in table);
}

/** A message and its words: `{ message, words }` to spread into an event or a snapshot. */
export function saidAs(words: Words): { message: string; words: Words } {
  return { message: english(words), words };
}

/** An Error that says `words`: its message their English. */
export class WordsError extends Error {
  constructor(
    readonly words: Words,
    options?: { cause?: unknown },
  ) {
    super(english(words), options);
  }
}

/** An engine error of `code` that says `words` (its message their English). */
export function errorSaying<C extends string>(code: C, words: Words): { code: C; message: string; words: Words } {
  return { code, message: english(words), words };
}

/** An engine error of `code` from a failure that crossed a process boundary, its words kept. */
export function errorFrom<C extends string>(code: C, failure: { message: string; words?: Words | undefined }): { code: C; message: string; words?: Words } {
  return failure.words ? { code, message: failure.message, words: failure.words } : { code, message: failure.message };
}

/** A failed answer that crosses a process boundary: the English message and its words. */
export interface Failure {
  ok: false;
  message: string;
  words?: Words;
}

/** The failure that says `words`. */
export function saying(words: Words): Failure {
  return { ok: false, message: english(words), words };
}

/** The failure an error makes: its message, and its words when it has some of its own. */
export function failureOf(err: unknown): Failure {
  const message = err instanceof Error ? err.message : String(err);
  const words = wordsOf(err);
  return words.key === 'other.text' ? { ok: false, message } : { ok: false, message, words };
}
