/**
 * `modelwright export pytorch|onnx|tfjs FILE_OR_RUN_DIR -o OUT [--force]`: a finished run's
 * trained model, or a document's model with the app's seeded initial weights (its data read to
 * size the model, with the files it names granted by --allow-files or named by --data and
 * --pretrained), written as a PyTorch project, an ONNX model or tfjs files. Nothing is written
 * when the run folder is incomplete or newer, its weights do not fit its graph, a block has no
 * form in the format, or OUT exists (without --force).
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, EXPORT_LAYOUT, ONNX_OPSET, exportSourceFrom, type ExportFormat, type SourceResult } from '../export';
import { prepareData } from '../data/dataset';
import { preprocessingOf } from '../data/preprocessing';
import { isImageData } from '../graph/document';
import { factsFromSummary } from '../graph/facts';
import { parseDocument } from '../graph/load';
import { pretrainedTarget, withDataOverrides, withNodeFile } from '../graph/overrides';
import { inferGraph } from '../graph/validate';
import { describeDocumentFiles, FileGrants, filesNotAllowedMessage, grantedFilePort } from './consent';
import { exportRunFolder, writeSource, type ExportWriteResult } from './exportWriter';
import { createFilePort } from './fsPorts';
import { readDocumentFile } from './userFiles';

/** The export command's lines of `modelwright --help`. */
export const EXPORT_USAGE = `  modelwright export pytorch|onnx|tfjs FILE_OR_RUN_DIR -o OUT [--force] [--json]
                          [--data CSV] [--pretrained NODE=FILE] [--allow-files]
      Writes a finished run's trained model as a PyTorch project (folder OUT: model.py,
      data.py, train.py for torchrun, predict.py, weights), an ONNX model (OUT.onnx, opset
      ${ONNX_OPSET}, with OUT.vocab.json beside it) or tfjs files (folder OUT: model.json, shards).
      A document FILE exports its model untrained (the app's initial weights); its data is
      read to size the model. An existing OUT is replaced only with --force.`;

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const io: Io = {
  out: (text) => void process.stdout.write(text + '\n'),
  err: (text) => void process.stderr.write(text + '\n'),
};

const HOW = 'Nothing was read or written. Run again with --allow-files to allow them, or name your own files with --data CSV and --pretrained NODE=FILE.';

/** Runs `modelwright export …`; the exit code (0 written, 1 refused, 2 bad usage). */
export async function exportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      output: { type: 'string', short: 'o' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      data: { type: 'string' },
      pretrained: { type: 'string', multiple: true },
      'allow-files': { type: 'boolean' },
    },
    allowPositionals: true,
  });
  const [format, input, ...extra] = positionals;
  const usage = (message: string): number => {
    io.err(`modelwright: ${message}\nRun \`modelwright --help\` for usage.`);
    return 2;
  };
  if (!format || !(EXPORT_FORMATS as readonly string[]).includes(format))
    return usage(`export wants a format, one of ${EXPORT_FORMATS.join(', ')}${format ? `, not "${format}"` : ''}`);
  if (!input || extra.length > 0) return usage('export takes one FILE_OR_RUN_DIR');
  if (!values.output) return usage(`export needs -o OUT (${EXPORT_LAYOUT[format as ExportFormat] === 'folder' ? 'a folder' : 'a .onnx file'})`);
  const json = values.json === true;
  const done = (r: ExportWriteResult): number => {
    if (json) io.out(JSON.stringify(r.ok ? { ok: true, format, path: r.path, files: r.files } : { ok: false, error: r.message }));
    if (!r.ok) {
      io.err(`error: ${r.message}`);
      return 1;
    }
    if (!json) io.out(`Exported ${format} to ${r.path} (${r.files.length} file${r.files.length === 1 ? '' : 's'})`);
    return 0;
  };

  const path = resolve(input);
  let isFolder: boolean;
  try {
    isFolder = (await stat(path)).isDirectory();
  } catch {
    return done({ ok: false, message: `${path}: no such run folder or document file.` });
  }
  const files = createFilePort();
  const request = { format: format as ExportFormat, out: values.output, force: values.force === true, files };
  if (isFolder) {
    if (values.data || values.pretrained || values['allow-files'])
      return usage('--data, --pretrained and --allow-files are for exporting a document FILE; a run folder has its own data and weights');
    return done(await exportRunFolder({ runDir: path, ...request }));
  }
  const loaded = await untrainedSource(path, { data: values.data, pretrained: values.pretrained, allowFiles: values['allow-files'] === true });
  if (!loaded.ok) return done(loaded);
  return done(await writeSource(loaded.source, { ...request, baseDir: dirname(path) }));
}

/**
 * The export source of a document file: its data read (through the granted files only) to size
 * the model, its pretrained vectors loaded, and the model compiled with the app's seeded
 * initial weights, exactly as a run would start.
 */
async function untrainedSource(
  file: string,
  opts: { data?: string | undefined; pretrained?: string[] | undefined; allowFiles: boolean },
): Promise<SourceResult> {
  let text: string;
  try {
    text = await readDocumentFile(file);
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  const parsed = parseDocument(text);
  if (!parsed.ok) return { ok: false, message: `${file}: ${parsed.error}` };
  const baseDir = dirname(file);
  const named: string[] = [];
  const dataFile = opts.data ? resolve(opts.data) : undefined;
  if (dataFile) named.push(dataFile);
  let doc = withDataOverrides(parsed.doc, { dataFile });
  for (const value of opts.pretrained ?? []) {
    const target = pretrainedTarget(doc, value);
    if (!target.ok) return { ok: false, message: `--pretrained ${value}: ${target.message}` };
    doc = withNodeFile(doc, target.nodeId, target.param, resolve(target.file));
    named.push(resolve(target.file));
  }
  const grants = new FileGrants(named);
  const refused = describeDocumentFiles(doc, baseDir, grants).filter((f) => !f.allowed);
  if (refused.length > 0 && !opts.allowFiles) return { ok: false, message: filesNotAllowedMessage(refused, HOW) };
  for (const f of refused) grants.grant(f.resolvedPath);
  const port = grantedFilePort(createFilePort({ baseDir }), baseDir, grants.list());

  if (!doc.data) return { ok: false, message: `${file} binds no data, and an export needs its vocabulary and classes. Bind a dataset, or pass --data CSV.` };
  if (isImageData(doc.data))
    return {
      ok: false,
      message: `${file} reads pictures, and an untrained export of an image document is not done yet. Train it (modelwright train ${file}) and export the run folder.`,
    };
  let prepared;
  try {
    prepared = await prepareData(doc.data, port);
  } catch (err) {
    return { ok: false, message: `The data could not be loaded: ${err instanceof Error ? err.message : String(err)}` };
  }
  const facts = factsFromSummary(prepared.summary);
  const analysis = inferGraph(doc.graph, facts);
  if (analysis.issues.length > 0) {
    return { ok: false, message: `The graph is not valid: ${analysis.issues.map((i) => `${i.nodeId ?? 'graph'}: ${i.message}`).join(' ')}` };
  }
  // tfjs is loaded only to build the model's initial weights.
  const [{ initBackend }, { compileGraph }, { captureWeights, loadPretrainedVectors }, { trainDataFrom }] = await Promise.all([
    import('../backend'),
    import('../compile/compile'),
    import('../train/run'),
    import('../train/data'),
  ]);
  await initBackend();
  let pretrained;
  try {
    pretrained = await loadPretrainedVectors(doc, trainDataFrom(prepared), port);
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  const compiled = compileGraph(doc.graph, analysis, facts, { seed: doc.training.seed, pretrained });
  if (!compiled.ok) return { ok: false, message: `The model could not be built: ${compiled.issues.map((i) => `${i.nodeId}: ${i.message}`).join(' ')}` };
  try {
    const artifacts = await captureWeights(compiled.model);
    return exportSourceFrom({ doc, summary: prepared.summary, preprocessing: preprocessingOf(prepared), artifacts, origin: { kind: 'untrained' } }, file);
  } finally {
    compiled.model.dispose();
  }
}
