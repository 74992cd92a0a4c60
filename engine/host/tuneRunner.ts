/**
 * Sweeps and learning-rate finders as a host runs them. A sweep's trials are normal runs started
 * through the engine's run manager (each its own process, stored in the runs folder, listed and
 * resumable like any run); engine/tune decides what to start and which to stop, this file turns
 * its decisions into `startRun` and `runs.stop`, and trial events into what the search reads. A
 * finder runs in a worker of its own. Every change goes to `onEvent` listeners as a whole
 * snapshot, and the last few jobs are kept for a page that connects later.
 */
import { errorSaying } from '../words';
import { randomBytes } from 'node:crypto';
import type { EngineResult, TrainEvent } from '../api';
import type { Document, SweepSpec } from '../graph/document';
import { defaultSweep, validateSweep, type SweepIssue } from '../graph/sweep';
import { startSweep, type SweepRun, type TrialEnd, type TrialEpoch, type TrialLauncher } from '../tune/runSweep';
import type { LrFindSnapshot, SweepSnapshot, TuneEvent, TuneJobs } from '../tune/types';
import { describeDocumentFiles, refusal, type FileGrants } from './consent';
import { startLrFind, type LrFindJob } from './lrFindRunner';
import { defaultMaxConcurrentRuns, type RunManager, type Spawner } from './runManager';

/** What a tune runner needs of the engine: starting runs (which checks their files) and the run manager. */
export interface TuneEngine {
  runs: Pick<RunManager, 'onEvent' | 'stop'>;
  startRun(req: {
    doc: Document;
    baseDir: string;
    grants: Pick<FileGrants, 'has' | 'list'>;
    epochs?: number;
    consentHint?: string;
  }): Promise<EngineResult<{ runId: string; runDir: string }>>;
}

export interface SweepStartRequest {
  doc: Document;
  baseDir: string;
  grants: Pick<FileGrants, 'has' | 'list'>;
  /** The sweep to run; absent: the document's, else the default learning-rate search. */
  sweep?: SweepSpec;
  /** Override the sweep's trial budget, seed, epochs per trial, trials at once. */
  trials?: number;
  seed?: number;
  epochs?: number;
  parallel?: number;
  consentHint: string;
}

export interface LrFindStartRequest {
  doc: Document;
  baseDir: string;
  grants: Pick<FileGrants, 'has' | 'list'>;
  minLr?: number;
  maxLr?: number;
  steps?: number;
  consentHint: string;
}

/** Finished jobs kept for pages that connect later. */
const KEEP_FINISHED = 5;

/** A document without data has nothing to tune on; said before any process starts. */
const NO_DATA = errorSaying('data-error', { key: 'run.noDataToTune' });

type InvalidSweep = { code: 'invalid-sweep'; message: string; issues: SweepIssue[] };

/** The sweep a request runs: its own, the document's or the default, with the overrides applied. */
export function sweepFor(req: Pick<SweepStartRequest, 'doc' | 'sweep' | 'trials' | 'seed'>): SweepSpec {
  const base = req.sweep ?? req.doc.sweep ?? defaultSweep();
  return { ...base, ...(req.trials !== undefined ? { trials: req.trials } : {}), ...(req.seed !== undefined ? { seed: req.seed } : {}) };
}

/** The sentence for a sweep's problems, as a refusal says it. */
export function invalidSweep(issues: readonly SweepIssue[]): InvalidSweep {
  return { code: 'invalid-sweep', message: `The sweep cannot run: ${issues.map((i) => i.message).join(' ')}`, issues: [...issues] };
}

const newId = (kind: string) =>
  `${kind}-${new Date()
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${randomBytes(3).toString('hex')}`;

export class TuneRunner {
  private readonly sweeps = new Map<string, SweepRun>();
  private readonly finds = new Map<string, LrFindJob>();
  private readonly finished: string[] = [];
  private readonly listeners = new Set<(event: TuneEvent) => void>();
  /** The trial runs the sweeps follow, by run id. */
  private readonly trials = new Map<string, { onEpoch: (e: TrialEpoch) => void; end: (e: TrialEnd) => void }>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly engine: TuneEngine,
    private readonly spawn: Spawner,
    private readonly maxParallel: number = defaultMaxConcurrentRuns(),
  ) {
    this.unsubscribe = engine.runs.onEvent((event) => this.route(event));
  }

  onEvent(listener: (event: TuneEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: TuneEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One listener's bug must not stop the others or the sweep.
      }
    }
  }

  private route(event: TrainEvent): void {
    const trial = this.trials.get(event.runId);
    if (!trial) return;
    if (event.type === 'epoch') trial.onEpoch({ epoch: event.epoch, trainLoss: event.trainLoss, devLoss: event.devLoss, devAcc: event.devAcc });
    else if (event.type === 'done') {
      this.trials.delete(event.runId);
      trial.end({ ok: true, reason: event.reason, epochs: event.epochs });
    } else if (event.type === 'error') {
      this.trials.delete(event.runId);
      trial.end({ ok: false, message: event.message });
    }
  }

  /** Trials as runs of the engine, with this request's files and grants. */
  private launcher(req: SweepStartRequest): TrialLauncher {
    return {
      start: async (trial, onEpoch) => {
        const started = await this.engine.startRun({
          doc: trial.doc,
          baseDir: req.baseDir,
          grants: req.grants,
          epochs: trial.epochs,
          consentHint: req.consentHint,
        });
        if (!started.ok) return { ok: false, message: started.error.message, ...(started.error.words ? { words: started.error.words } : {}) };
        const { runId } = started.value;
        let end!: (e: TrialEnd) => void;
        const ended = new Promise<TrialEnd>((resolve) => (end = resolve));
        this.trials.set(runId, { onEpoch, end });
        return { ok: true, run: { runId, stop: () => void this.engine.runs.stop(runId), ended } };
      },
    };
  }

  /**
   * Starts a sweep. Refuses, as values, a sweep with problems (`invalid-sweep`, naming each) and
   * files not granted (`files-not-allowed`, before any trial starts).
   */
  startSweep(req: SweepStartRequest, onUpdate?: (s: SweepSnapshot) => void): EngineResult<SweepRun> | { ok: false; error: InvalidSweep } {
    if (!req.doc.data) return { ok: false, error: NO_DATA };
    const sweep = sweepFor(req);
    const issues = validateSweep(req.doc, sweep);
    if (issues.length > 0) return { ok: false, error: invalidSweep(issues) };
    const refused = refusal(describeDocumentFiles(req.doc, req.baseDir, req.grants), req.consentHint);
    if (refused) return { ok: false, error: refused };
    const sweepId = newId('sweep');
    const run = startSweep({
      sweepId,
      doc: req.doc,
      sweep,
      epochs: req.epochs ?? sweep.epochs ?? req.doc.training.epochs,
      parallel: req.parallel ?? sweep.parallel ?? this.maxParallel,
      launcher: this.launcher(req),
      onUpdate: (snapshot) => {
        onUpdate?.(snapshot);
        this.emit({ type: 'sweep', sweep: snapshot });
      },
    });
    this.sweeps.set(sweepId, run);
    void run.done.then(() => this.retire(sweepId));
    return { ok: true, value: run };
  }

  async stopSweep(sweepId: string): Promise<void> {
    await this.sweeps.get(sweepId)?.stop();
  }

  /** Starts the learning-rate finder in a worker; refuses files not granted. */
  startLrFind(req: LrFindStartRequest): EngineResult<LrFindJob> {
    if (!req.doc.data) return { ok: false, error: NO_DATA };
    const refused = refusal(describeDocumentFiles(req.doc, req.baseDir, req.grants), req.consentHint);
    if (refused) return { ok: false, error: refused };
    const findId = newId('lrfind');
    const job = startLrFind(
      this.spawn,
      {
        findId,
        doc: req.doc,
        baseDir: req.baseDir,
        grantedFiles: req.grants.list(),
        ...(req.minLr !== undefined ? { minLr: req.minLr } : {}),
        ...(req.maxLr !== undefined ? { maxLr: req.maxLr } : {}),
        ...(req.steps !== undefined ? { steps: req.steps } : {}),
      },
      (find: LrFindSnapshot) => this.emit({ type: 'lr-find', find }),
    );
    this.finds.set(findId, job);
    this.emit({ type: 'lr-find', find: job.snapshot() });
    void job.done.then(() => this.retire(findId));
    return { ok: true, value: job };
  }

  async stopLrFind(findId: string): Promise<void> {
    await this.finds.get(findId)?.stop();
  }

  /** Keeps the last few finished jobs; older ones are forgotten (their trials' runs stay on disk). */
  private retire(id: string): void {
    this.finished.push(id);
    while (this.finished.length > KEEP_FINISHED * 2) {
      const old = this.finished.shift()!;
      this.sweeps.delete(old);
      this.finds.delete(old);
    }
  }

  jobs(): TuneJobs {
    return { sweeps: [...this.sweeps.values()].map((s) => s.snapshot()), finds: [...this.finds.values()].map((f) => f.snapshot()) };
  }

  /** Stops every sweep and finder and waits for them to end. */
  async dispose(): Promise<void> {
    await Promise.all([...[...this.sweeps.values()].map((s) => s.stop()), ...[...this.finds.values()].map((f) => f.stop())]);
    this.unsubscribe();
  }
}
