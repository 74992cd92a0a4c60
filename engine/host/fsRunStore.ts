/**
 * A run's folder on disk, created when the run starts training (a run that never starts leaves
 * none):
 * - run.json: document, backend, data summary, seed, and how the run ended (`outcome`);
 * - events.jsonl: one event a line, appended as they happen and fsynced at every epoch and at
 *   the end; batches.jsonl: every batch's loss, one epoch a line;
 * - preprocessing.json (classes, vocabulary, encoding) for prediction; final.json +
 *   final.weights.bin, the trained model in the tfjs artifact format (tf.loadLayersModel);
 * - checkpoint.json, the manifest of the last complete checkpoint, naming its folder
 *   checkpoints/epoch-NNNN/ (model.json + model.weights.bin, optimizer.json +
 *   optimizer.weights.bin, metrics.json, and best.json + best.weights.bin when early stopping restores the best epoch). The folder is written whole first, the manifest last,
 *   then older folders go: whatever a crash interrupts, what loads is one epoch's state.
 * Every file but the two logs is written with atomicWrite.
 */
import * as nodeFsSync from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainEvent } from '../api';
import { restoreRunInfo, type BatchLosses, type Checkpoint, type RunInfo, type RunOutcome, type RunStore, type SavedWeights } from '../train/runStore';
import { atomicWrite, type AtomicWriteFs } from './atomicWrite';
import { describeFsError } from './userFiles';

/** The fs calls the store makes; a test hands in its own to make one of them fail. */
export type RunStoreFs = AtomicWriteFs &
  Pick<typeof nodeFs, 'mkdir' | 'readFile'> &
  Pick<typeof nodeFsSync, 'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync'>;

export interface FsRunStoreOptions {
  /** Default node:fs (its promises API, and its sync calls for the appended logs). */
  fs?: Partial<RunStoreFs>;
}

const defaultFs: RunStoreFs = {
  ...nodeFs,
  openSync: nodeFsSync.openSync,
  writeSync: nodeFsSync.writeSync,
  fsyncSync: nodeFsSync.fsyncSync,
  closeSync: nodeFsSync.closeSync,
};

/** Events after which the log is flushed to disk: the epoch boundaries, and the run's ends. */
const DURABLE: ReadonlySet<TrainEvent['type']> = new Set(['start', 'epoch', 'nan', 'done', 'error']);

/** checkpoint.json: which folder under checkpoints/ holds the last complete checkpoint. */
export interface CheckpointManifest {
  format: 'modelwright-checkpoint';
  version: 1;
  epoch: number;
  /** Relative to the run folder: `checkpoints/epoch-0007` (a `-2`… suffix when rewritten). */
  folder: string;
  /** Every file of the set and its size in bytes; a load checks them. */
  files: Record<string, number>;
  savedAt: string;
}

const CHECKPOINT_FILES = ['model.json', 'model.weights.bin', 'optimizer.json', 'optimizer.weights.bin', 'metrics.json'] as const;
const BEST_FILES = ['best.json', 'best.weights.bin'] as const;
const FOLDER = /^checkpoints\/epoch-\d{4,}(-\d+)?$/;

export class FsRunStore implements RunStore {
  readonly runDir: string;
  private readonly fs: RunStoreFs;
  private readonly eventsFile: string;
  /** Whether the folder exists (run.json was written once). */
  private started = false;
  /** Event lines from before the folder existed, written with run.json. */
  private held: string[] = [];
  private eventsFd: number | null = null;

  constructor(runDir: string, opts: FsRunStoreOptions = {}) {
    this.runDir = runDir;
    this.fs = { ...defaultFs, ...opts.fs };
    this.eventsFile = join(runDir, 'events.jsonl');
  }

  async writeRunInfo(info: RunInfo): Promise<void> {
    if (!this.started) await this.fs.mkdir(this.runDir, { recursive: true });
    await atomicWrite(join(this.runDir, 'run.json'), JSON.stringify(info, null, 2) + '\n', { fs: this.fs });
    if (!this.started) {
      this.started = true;
      this.appendLines(this.held.splice(0), true);
    }
  }

  async appendEvent(event: TrainEvent): Promise<void> {
    const line = JSON.stringify(event) + '\n';
    if (!this.started) {
      this.held.push(line);
      return;
    }
    // Synchronous, so lines stay in order and reach the OS before the next event: a killed
    // process loses none. fsync at each epoch makes them survive a power cut as well.
    this.appendLines([line], DURABLE.has(event.type));
    if (event.type === 'done' || event.type === 'error') this.closeEvents();
  }

  private appendLines(lines: readonly string[], durable: boolean): void {
    if (lines.length === 0) return;
    try {
      this.eventsFd ??= this.fs.openSync(this.eventsFile, 'a');
      for (const line of lines) writeAll(this.fs, this.eventsFd, Buffer.from(line, 'utf8'));
      if (durable) this.fs.fsyncSync(this.eventsFd);
    } catch (err) {
      throw new Error(`Cannot write ${this.eventsFile}: ${whyNotWritten(err)}`, { cause: err });
    }
  }

  private closeEvents(): void {
    if (this.eventsFd === null) return;
    try {
      this.fs.closeSync(this.eventsFd);
    } catch {
      // Already flushed; nothing more to lose.
    }
    this.eventsFd = null;
  }

  async appendBatchLosses(record: BatchLosses): Promise<void> {
    const file = join(this.runDir, 'batches.jsonl');
    try {
      const fd = this.fs.openSync(file, 'a');
      try {
        writeAll(this.fs, fd, Buffer.from(JSON.stringify(record) + '\n', 'utf8'));
        this.fs.fsyncSync(fd);
      } finally {
        this.fs.closeSync(fd);
      }
    } catch (err) {
      throw new Error(`Cannot write ${file}: ${whyNotWritten(err)}`, { cause: err });
    }
  }

  async saveJson(name: string, value: unknown): Promise<void> {
    await atomicWrite(join(this.runDir, `${name}.json`), JSON.stringify(value) + '\n', { fs: this.fs });
  }

  async saveWeights(name: string, weights: SavedWeights): Promise<void> {
    await writeWeights(this.fs, this.runDir, name, weights);
  }

  async saveCheckpoint(checkpoint: Checkpoint): Promise<void> {
    const current = await readCheckpointManifest(this.runDir, this.fs).catch(() => null);
    const base = `epoch-${String(checkpoint.epoch).padStart(4, '0')}`;
    let name = base;
    // Never write into the folder the manifest names: until the new manifest is in place it is the checkpoint.
    for (let n = 2; current?.folder === `checkpoints/${name}`; n++) name = `${base}-${n}`;
    const root = join(this.runDir, 'checkpoints');
    const dir = join(root, name);
    // Left by a write that was killed before its manifest: not a checkpoint, start it afresh.
    await this.fs.rm(dir, { recursive: true, force: true });
    await this.fs.mkdir(dir, { recursive: true });
    const files: Record<string, number> = {};
    const write = async (file: string, data: string | Uint8Array) => {
      await atomicWrite(join(dir, file), data, { fs: this.fs });
      files[file] = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    };
    const sets: [string, SavedWeights][] = [
      ['model', checkpoint.weights],
      ['optimizer', checkpoint.optimizer],
    ];
    if (checkpoint.best) sets.push(['best', checkpoint.best]);
    for (const [stem, weights] of sets) {
      await write(`${stem}.weights.bin`, new Uint8Array(weights.weightData));
      await write(`${stem}.json`, modelJson(stem, weights));
    }
    await write(
      'metrics.json',
      JSON.stringify({ epoch: checkpoint.epoch, metrics: checkpoint.metrics, ...(checkpoint.loop ? { loop: checkpoint.loop } : {}) }) + '\n',
    );
    await syncFolder(this.fs, root);
    const manifest: CheckpointManifest = {
      format: 'modelwright-checkpoint',
      version: 1,
      epoch: checkpoint.epoch,
      folder: `checkpoints/${name}`,
      files,
      savedAt: new Date().toISOString(),
    };
    // The commit point: before this rename the old set is the checkpoint, after it the new one.
    await atomicWrite(join(this.runDir, 'checkpoint.json'), JSON.stringify(manifest, null, 2) + '\n', { fs: this.fs });
    const entries = await this.fs.readdir(root).catch(() => [] as string[]);
    for (const entry of entries) {
      if (entry !== name) await this.fs.rm(join(root, entry), { recursive: true, force: true }).catch(() => undefined);
    }
  }

  async loadCheckpoint(): Promise<Checkpoint | null> {
    const manifest = await readCheckpointManifest(this.runDir, this.fs);
    if (!manifest) return null;
    const dir = join(this.runDir, manifest.folder);
    const bytes = new Map<string, Buffer>();
    // The best epoch's weights are in a set only when early stopping restores them.
    const optional = BEST_FILES.every((f) => f in manifest.files) ? BEST_FILES : [];
    for (const file of [...CHECKPOINT_FILES, ...optional]) {
      const path = join(dir, file);
      let data: Buffer;
      try {
        data = await this.fs.readFile(path);
      } catch (err) {
        throw new Error(`The checkpoint of epoch ${manifest.epoch} is damaged: cannot read ${path}: ${describeFsError(err)}`, { cause: err });
      }
      if (data.byteLength !== manifest.files[file]) {
        throw new Error(
          `The checkpoint of epoch ${manifest.epoch} is damaged: ${path} is ${data.byteLength} bytes, its manifest says ${manifest.files[file]}.`,
        );
      }
      bytes.set(file, data);
    }
    const state = JSON.parse(bytes.get('metrics.json')!.toString('utf8')) as { epoch: number; metrics: Checkpoint['metrics']; loop?: Checkpoint['loop'] };
    if (state.epoch !== manifest.epoch)
      throw new Error(`The checkpoint in ${dir} is damaged: its metrics are of epoch ${state.epoch}, its manifest says ${manifest.epoch}.`);
    return {
      epoch: manifest.epoch,
      weights: readWeights(bytes.get('model.json')!, bytes.get('model.weights.bin')!),
      optimizer: readWeights(bytes.get('optimizer.json')!, bytes.get('optimizer.weights.bin')!),
      metrics: state.metrics,
      ...(state.loop ? { loop: state.loop } : {}),
      ...(optional.length ? { best: readWeights(bytes.get('best.json')!, bytes.get('best.weights.bin')!) } : {}),
    };
  }
}

/**
 * checkpoint.json of a run folder, or null when it has none (or only the single-file checkpoint
 * of versions before checkpoint sets, which is not a set to trust). Rejects when it is damaged.
 */
export async function readCheckpointManifest(runDir: string, fs: Pick<RunStoreFs, 'readFile'> = defaultFs): Promise<CheckpointManifest | null> {
  const path = join(runDir, 'checkpoint.json');
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    throw new Error(`Cannot read ${path}: ${describeFsError(err)}`, { cause: err });
  }
  const raw = JSON.parse(text) as Omit<Partial<CheckpointManifest>, 'format'> & { format?: string };
  if (raw.format === 'layers-model') return null;
  if (
    raw.format !== 'modelwright-checkpoint' ||
    !Number.isInteger(raw.epoch) ||
    typeof raw.folder !== 'string' ||
    !FOLDER.test(raw.folder) ||
    typeof raw.files !== 'object' ||
    raw.files === null
  ) {
    throw new Error(`${path} is not a Modelwright checkpoint manifest.`);
  }
  return raw as CheckpointManifest;
}

/**
 * The host's last word on a run whose process has ended: writes `outcome` into run.json unless
 * the run wrote its own, and appends `event` (the end the host reports for it, when the process
 * could not) to events.jsonl. A folder without run.json is a run that never started (it died
 * before): it is removed. Says which it did.
 */
export async function settleRunFolder(runDir: string, outcome: RunOutcome, event?: TrainEvent): Promise<'written' | 'kept' | 'no-folder'> {
  const file = join(runDir, 'run.json');
  let text: string;
  try {
    text = await nodeFs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw err;
    await nodeFs.rm(runDir, { recursive: true, force: true });
    return 'no-folder';
  }
  const info = restoreRunInfo(JSON.parse(text));
  if (!info) throw new Error(`${file} is not a Modelwright run file.`);
  if (event) {
    const fd = nodeFsSync.openSync(join(runDir, 'events.jsonl'), 'a');
    try {
      writeAll(defaultFs, fd, Buffer.from(JSON.stringify(event) + '\n', 'utf8'));
      nodeFsSync.fsyncSync(fd);
    } finally {
      nodeFsSync.closeSync(fd);
    }
  }
  if (info.outcome) return 'kept';
  await atomicWrite(file, JSON.stringify({ ...info, outcome, endedAt: new Date().toISOString() }, null, 2) + '\n');
  return 'written';
}

/** How far a run's events.jsonl got: its last `batch` and `epoch` events (from its last 1 MB). */
export async function lastRecorded(
  runDir: string,
): Promise<{ batch: Extract<TrainEvent, { type: 'batch' }> | null; epoch: Extract<TrainEvent, { type: 'epoch' }> | null }> {
  const found: Awaited<ReturnType<typeof lastRecorded>> = { batch: null, epoch: null };
  let handle: nodeFs.FileHandle;
  try {
    handle = await nodeFs.open(join(runDir, 'events.jsonl'), 'r');
  } catch {
    return found;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 1 << 20);
    const buf = Buffer.alloc(length);
    await handle.read(buf, 0, length, size - length);
    const lines = buf.toString('utf8').split('\n');
    // The first line may be cut by the window, the last by the kill: both fail to parse and are skipped.
    for (let i = lines.length - 1; i >= 0 && !(found.batch && found.epoch); i--) {
      let event: TrainEvent;
      try {
        event = JSON.parse(lines[i]!) as TrainEvent;
      } catch {
        continue;
      }
      if (event.type === 'batch') found.batch ??= event;
      if (event.type === 'epoch') found.epoch ??= event;
    }
  } finally {
    await handle.close();
  }
  return found;
}

/** run.json of a run folder, or null when there is none. */
export async function readRunInfo(runDir: string): Promise<RunInfo | null> {
  try {
    return restoreRunInfo(JSON.parse(await nodeFs.readFile(join(runDir, 'run.json'), 'utf8')));
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    throw err;
  }
}

function modelJson(stem: string, weights: SavedWeights): string {
  return (
    JSON.stringify({
      format: 'layers-model',
      generatedBy: 'Modelwright',
      modelTopology: weights.modelTopology,
      weightsManifest: [{ paths: [`${stem}.weights.bin`], weights: weights.weightSpecs }],
    }) + '\n'
  );
}

async function writeWeights(fs: RunStoreFs, dir: string, name: string, weights: SavedWeights): Promise<void> {
  await atomicWrite(join(dir, `${name}.weights.bin`), new Uint8Array(weights.weightData), { fs });
  await atomicWrite(join(dir, `${name}.json`), modelJson(name, weights), { fs });
}

function readWeights(json: Buffer, bin: Buffer): SavedWeights {
  const model = JSON.parse(json.toString('utf8')) as { modelTopology: object | null; weightsManifest: { weights: SavedWeights['weightSpecs'] }[] };
  return {
    modelTopology: model.modelTopology,
    weightSpecs: model.weightsManifest.flatMap((group) => group.weights),
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer,
  };
}

function writeAll(fs: Pick<RunStoreFs, 'writeSync'>, fd: number, data: Buffer): void {
  for (let at = 0; at < data.byteLength;) at += fs.writeSync(fd, data, at, data.byteLength - at);
}

/** Flushes a folder's entries (new files and folders in it), where the platform can. */
async function syncFolder(fs: RunStoreFs, dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}

function whyNotWritten(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  if (code === 'ENOSPC') return 'the disk is full (ENOSPC)';
  if (code === 'EDQUOT') return 'the disk quota is used up (EDQUOT)';
  if (code === 'EROFS') return 'the file system is read-only (EROFS)';
  return describeFsError(err);
}
