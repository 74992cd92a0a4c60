/**
 * The runs folder as the runs panel and `modelwright runs` see it: every run folder listed from
 * what its files say (run.json, events.jsonl, batches.jsonl, name.json), renamed, deleted, its
 * Document and curves read back. Only folders directly inside the runs folder whose names are
 * run ids are ever touched: callers pass ids (checked against RunIdSchema), never paths.
 */
import { lstat, readdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EngineResult, RunCurves, RunDocument, RunEnding, RunEpochPoint, RunSummary, SplitEvaluation } from '../api';
import { RunIdSchema } from '../api';
import { atomicWrite } from './atomicWrite';

/** The file that holds a run's name (renameRun): `{"name": "…"}`. */
export const RUN_NAME_FILE = 'name.json';
/** A test evaluation computed after the run ended (evaluateRun), kept so it is computed once. */
export const RUN_EVALUATION_FILE = 'evaluation.json';

type Failure = Extract<EngineResult<never>, { ok: false }>;

const noSuchRun = (runId: string): Failure => ({ ok: false, error: { code: 'no-such-run', message: `There is no run "${runId}" in the runs folder.` } });
const runError = (message: string): Failure => ({ ok: false, error: { code: 'run-error', message } });

/** A number as the files hold it: NaN and ±Infinity were written as null. */
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

async function readJson(file: string): Promise<Record<string, unknown> | null> {
  const text = await readText(file);
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    // A file cut short by a crash reads as missing; the rest of the run still lists.
    return null;
  }
}

/** What a run's events.jsonl says, without its batch events (the bulk of it). */
interface EventFacts {
  start: { epochs: number | null; stepsPerEpoch: number } | null;
  epochs: Record<string, unknown>[];
  /** The last `done` or `error` event. */
  end: Record<string, unknown> | null;
}

async function readEventFacts(runDir: string): Promise<EventFacts> {
  const text = (await readText(join(runDir, 'events.jsonl'))) ?? '';
  const facts: EventFacts = { start: null, epochs: [], end: null };
  for (const line of text.split('\n')) {
    // Events are written type first: skip the batch and status lines without parsing them.
    if (!line || line.startsWith('{"type":"batch"') || line.startsWith('{"type":"status"')) continue;
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue; // the last line of a process killed mid-write
    }
    if (event['type'] === 'start') facts.start = { epochs: num(event['epochs']), stepsPerEpoch: num(event['stepsPerEpoch']) ?? 0 };
    else if (event['type'] === 'epoch') facts.epochs.push(event);
    else if (event['type'] === 'done' || event['type'] === 'error') facts.end = event;
  }
  return facts;
}

const DONE_REASONS: readonly RunEnding[] = ['completed', 'stopped', 'early-stopped', 'nan'];

/**
 * How a run ended: run.json's outcome (a `done` event, or `{reason: 'error' | 'crashed'}`),
 * else the last `done`/`error` in its events, else running (when the host trains it) or unknown.
 */
function endingOf(outcome: unknown, end: Record<string, unknown> | null, active: boolean): RunEnding {
  const reason = typeof outcome === 'object' && outcome !== null ? (outcome as { reason?: unknown }).reason : undefined;
  if (typeof reason === 'string') {
    if ((DONE_REASONS as readonly string[]).includes(reason)) return reason as RunEnding;
    if (reason === 'error' || reason === 'crashed') return reason;
  }
  if (active) return 'running';
  if (end?.['type'] === 'done' && typeof end['reason'] === 'string' && (DONE_REASONS as readonly string[]).includes(end['reason']))
    return end['reason'] as RunEnding;
  if (end?.['type'] === 'error') return end['crash'] ? 'crashed' : 'error';
  return 'unknown';
}

function documentNameOf(documentText: unknown): string | null {
  if (typeof documentText !== 'string') return null;
  try {
    const name = (JSON.parse(documentText) as { name?: unknown }).name;
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** A file's identity for the cache: size and modification time, or "-" when it is missing. */
async function signature(files: readonly string[]): Promise<string> {
  const parts = await Promise.all(
    files.map(async (f) => {
      try {
        const s = await stat(f);
        return `${s.size}:${s.mtimeMs}`;
      } catch {
        return '-';
      }
    }),
  );
  return parts.join('|');
}

export interface RunsIndexOptions {
  /** The host's runs folder. */
  runsDir: string;
  /** Whether the host is training (or has queued) the run now. */
  isActive?: (runId: string) => boolean;
}

/** Reads and changes the runs of one runs folder. */
export class RunsIndex {
  readonly runsDir: string;
  private readonly isActive: (runId: string) => boolean;
  /** Summaries by run id, with the signature of the files they were read from. */
  private readonly cache = new Map<string, { sig: string; summary: RunSummary }>();

  constructor(opts: RunsIndexOptions) {
    this.runsDir = opts.runsDir;
    this.isActive = opts.isActive ?? (() => false);
  }

  /**
   * The folder of run `runId`: a real folder (not a link) directly inside the runs folder, or
   * null when there is none or the id is not a run id.
   */
  async folder(runId: string): Promise<string | null> {
    if (!RunIdSchema.safeParse(runId).success) return null;
    const dir = join(this.runsDir, runId);
    try {
      const s = await lstat(dir);
      if (!s.isDirectory()) return null;
      // The runs folder itself may be reached through a link; its entries may not lead elsewhere.
      if ((await realpath(dirname(dir))) !== (await realpath(this.runsDir))) return null;
      return dir;
    } catch {
      return null;
    }
  }

  /** Every run folder, newest first. Folders that are not runs (no run.json nor events) are left out. */
  async list(): Promise<RunSummary[]> {
    let names: string[];
    try {
      names = await readdir(this.runsDir);
    } catch {
      return [];
    }
    const ids = names.filter((n) => RunIdSchema.safeParse(n).success);
    const out: RunSummary[] = [];
    for (const id of ids) {
      const summary = await this.summary(id);
      if (summary) out.push(summary);
    }
    for (const id of this.cache.keys()) if (!ids.includes(id)) this.cache.delete(id);
    return out.sort((a, b) => (a.createdAt === b.createdAt ? b.runId.localeCompare(a.runId) : b.createdAt.localeCompare(a.createdAt)));
  }

  /** One run as the list shows it, or null when `runId` names no run. */
  async summary(runId: string): Promise<RunSummary | null> {
    const dir = await this.folder(runId);
    if (!dir) return null;
    const active = this.isActive(runId);
    const sig = `${active}|${await signature(['run.json', 'events.jsonl', RUN_NAME_FILE, 'final.json', RUN_EVALUATION_FILE].map((f) => join(dir, f)))}`;
    const cached = this.cache.get(runId);
    if (cached?.sig === sig) return cached.summary;
    const [info, events, nameFile, hasModel, evaluation] = await Promise.all([
      readJson(join(dir, 'run.json')),
      readEventFacts(dir),
      readJson(join(dir, RUN_NAME_FILE)),
      exists(join(dir, 'final.json')),
      readJson(join(dir, RUN_EVALUATION_FILE)),
    ]);
    if (!info && !events.start && !events.end) return null;
    const outcome = info?.['outcome'] as Record<string, unknown> | undefined;
    const devAccs = events.epochs.map((e) => num(e['devAcc'])).filter((v): v is number => v !== null);
    const epochsSeen = events.epochs.reduce((m, e) => Math.max(m, num(e['epoch']) ?? 0), 0);
    const doneEpochs = num(outcome?.['epochs']) ?? (events.end?.['type'] === 'done' ? num(events.end['epochs']) : null);
    const createdAt = typeof info?.['createdAt'] === 'string' ? info['createdAt'] : (await stat(dir)).mtime.toISOString();
    const name = typeof nameFile?.['name'] === 'string' && nameFile['name'] ? nameFile['name'] : null;
    const summary: RunSummary = {
      runId,
      name,
      createdAt,
      documentName: documentNameOf(info?.['documentText']),
      ended: endingOf(outcome, events.end, active),
      bestDevAcc: devAccs.length ? Math.max(...devAccs) : null,
      epochs: doneEpochs ?? epochsSeen,
      plannedEpochs: num(info?.['epochs']) ?? events.start?.epochs ?? null,
      testAcc: num(outcome?.['testAcc']) ?? num(events.end?.['testAcc']) ?? num(evaluation?.['accuracy']),
      hasModel,
    };
    const images = (info?.['data'] as { images?: { height?: unknown; width?: unknown; channels?: unknown } } | undefined)?.images;
    if (images && typeof images.height === 'number' && typeof images.width === 'number' && typeof images.channels === 'number')
      summary.image = { height: images.height, width: images.width, channels: images.channels };
    this.cache.set(runId, { sig, summary });
    return summary;
  }

  /** Names a run (an empty name clears it). The name lives in its own file, so a run in progress may be renamed too. */
  async rename(runId: string, name: string): Promise<EngineResult<RunSummary>> {
    const dir = await this.folder(runId);
    if (!dir || !(await this.summary(runId))) return noSuchRun(runId);
    const trimmed = name.trim();
    if (trimmed) await atomicWrite(join(dir, RUN_NAME_FILE), JSON.stringify({ name: trimmed }) + '\n');
    else await rm(join(dir, RUN_NAME_FILE), { force: true });
    const summary = await this.summary(runId);
    return summary ? { ok: true, value: summary } : noSuchRun(runId);
  }

  /** Deletes a run's whole folder; refused while the host trains it. */
  async delete(runId: string): Promise<EngineResult<{ runId: string }>> {
    const dir = await this.folder(runId);
    if (!dir || !(await this.summary(runId))) return noSuchRun(runId);
    if (this.isActive(runId)) return runError(`The run "${runId}" is still training: stop it before deleting it.`);
    // rm does not follow links inside the folder: it removes the links themselves.
    await rm(dir, { recursive: true, force: true });
    this.cache.delete(runId);
    return { ok: true, value: { runId } };
  }

  /** The Document a run trained, as its run.json keeps it. */
  async document(runId: string): Promise<EngineResult<RunDocument>> {
    const dir = await this.folder(runId);
    if (!dir) return noSuchRun(runId);
    const info = await readJson(join(dir, 'run.json'));
    const documentText = info?.['documentText'];
    if (typeof documentText !== 'string') return runError(`The run "${runId}" has no Document in its run.json (it ended before training started).`);
    const own = await readJson(join(dir, RUN_NAME_FILE));
    const name = (typeof own?.['name'] === 'string' && own['name']) || documentNameOf(documentText) || runId;
    return { ok: true, value: { runId, documentText, name } };
  }

  /** The folder the run's relative data paths resolved against (run.json's `baseDir`), or null when it does not say. */
  async baseDir(runId: string): Promise<string | null> {
    const dir = await this.folder(runId);
    const info = dir ? await readJson(join(dir, 'run.json')) : null;
    return typeof info?.['baseDir'] === 'string' ? info['baseDir'] : null;
  }

  /** A run's curves: every epoch event and every batch's loss. */
  async curves(runId: string): Promise<EngineResult<RunCurves>> {
    const dir = await this.folder(runId);
    if (!dir) return noSuchRun(runId);
    const [events, batchText, info] = await Promise.all([readEventFacts(dir), readText(join(dir, 'batches.jsonl')), readJson(join(dir, 'run.json'))]);
    const batches: RunCurves['batches'] = [];
    for (const line of (batchText ?? '').split('\n')) {
      if (!line) continue;
      try {
        const r = JSON.parse(line) as { epoch?: unknown; firstStep?: unknown; losses?: unknown };
        if (typeof r.epoch === 'number' && typeof r.firstStep === 'number' && Array.isArray(r.losses)) {
          // A resumed run trains the epoch a stop cut short again: its later record replaces the part.
          const again = batches.findIndex((b) => b.epoch === r.epoch);
          const record = { epoch: r.epoch, firstStep: r.firstStep, losses: (r.losses as unknown[]).map(num) };
          if (again >= 0) batches.splice(again, 1, record);
          else batches.push(record);
        }
      } catch {
        // a line cut short by a crash
      }
    }
    const stepsPerEpoch = events.start?.stepsPerEpoch ?? 0;
    // Where each epoch ended on the step axis, from the batches it kept (else epochs × steps).
    const lastStep = new Map<number, number>();
    for (const b of batches) lastStep.set(b.epoch, Math.max(lastStep.get(b.epoch) ?? 0, b.firstStep + b.losses.length - 1));
    // One point an epoch (the last word on it, should a resumed run have said it again).
    const byEpoch = new Map<number, Record<string, unknown>>();
    for (const e of events.epochs) byEpoch.set(num(e['epoch']) ?? 0, e);
    const epochs: RunEpochPoint[] = [...byEpoch.values()].map((e) => {
      const epoch = num(e['epoch']) ?? 0;
      return {
        epoch,
        step: lastStep.get(epoch) ?? epoch * stepsPerEpoch,
        trainLoss: num(e['trainLoss']),
        trainAcc: num(e['trainAcc']),
        devLoss: num(e['devLoss']),
        devAcc: num(e['devAcc']),
        lr: num(e['lr']),
        seconds: num(e['seconds']),
      };
    });
    const outcome = info?.['outcome'] as Record<string, unknown> | undefined;
    const bestEpoch = num(outcome?.['bestEpoch']) ?? num(events.end?.['bestEpoch']);
    return { ok: true, value: { runId, stepsPerEpoch, epochs, batches, bestEpoch } };
  }

  /**
   * The test evaluation kept with a run: its `done` event's (in run.json, else events.jsonl),
   * else one evaluateRun computed later (evaluation.json); null when there is none.
   */
  async storedEvaluation(runId: string): Promise<SplitEvaluation | null> {
    const dir = await this.folder(runId);
    if (!dir) return null;
    const info = await readJson(join(dir, 'run.json'));
    const fromOutcome = (info?.['outcome'] as { test?: unknown } | undefined)?.test;
    if (isEvaluation(fromOutcome)) return fromOutcome;
    const events = await readEventFacts(dir);
    const fromEvents = events.end?.['test'];
    if (isEvaluation(fromEvents)) return fromEvents;
    const later = await readJson(join(dir, RUN_EVALUATION_FILE));
    return isEvaluation(later) ? later : null;
  }

  /** Keeps an evaluation computed after the run ended, so the next ask reads it. */
  async keepEvaluation(runId: string, evaluation: SplitEvaluation): Promise<void> {
    const dir = await this.folder(runId);
    if (dir) await atomicWrite(join(dir, RUN_EVALUATION_FILE), JSON.stringify(evaluation) + '\n');
  }
}

function isEvaluation(v: unknown): v is SplitEvaluation {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Partial<SplitEvaluation>;
  return typeof e.perClass === 'object' && e.perClass !== null && Array.isArray(e.confusion?.labels) && Array.isArray(e.confusion?.matrix);
}
