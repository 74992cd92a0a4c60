/**
 * Starts training runs in child processes and tracks them. How a child is started is injected
 * (a Spawner): Node hosts fork dist/worker.cjs, Electron passes utilityProcess.fork.
 *
 * - At most `maxConcurrentRuns` train at once (default one per two cores, at least one); more
 *   wait in a queue, are told so by a `status` event, and start in order as slots free.
 * - A child that dies without saying how its run ended (killed, out of memory) becomes an
 *   `error` event carrying a CrashReport, and its run.json gets the outcome `crashed`; the host
 *   never goes down with it. The manager has the last word on every run folder: whatever the
 *   ending, run.json says it (fsRunStore.ts's settleRunFolder).
 * - Stopping asks the worker first (it finishes the batch and saves), then kills it after a
 *   grace period; a queued run is simply taken off the queue (it never had a folder).
 * - While a run goes on, its start, epochs and a bounded batch curve are kept in memory
 *   (liveRun.ts), so a page that connects mid-run is shown all of it (`snapshots`).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { BackendInfo, CrashReport, RunSnapshot, TrainEvent } from '../api';
import type { Document } from '../graph/document';
import type { RunOutcome } from '../train/runStore';
import { lastRecorded, readCheckpointManifest, settleRunFolder } from './fsRunStore';
import { LiveRun, MAX_SNAPSHOT_BATCHES } from './liveRun';
import { newRunId } from './paths';
import type { FromWorker, ToWorker } from './workerProtocol';
import { english, type WordKey, type WordValue, type Words, saidAs } from '../words';

/** One started worker process, whatever started it. */
export interface WorkerHandle {
  send(message: ToWorker): void;
  onMessage(listener: (message: FromWorker) => void): void;
  /** Called once when the process has ended; `code` null when it was killed by a signal. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
  /** The last lines the process wrote to stderr, for crash reports (when the spawner keeps them). */
  output?(): string;
}

/** Starts one worker process. */
export type Spawner = () => WorkerHandle;

export interface StartRunRequest {
  /** The Document, parsed once by the host. */
  doc: Document;
  epochs?: number;
  /** The document's folder, for relative data paths in it. */
  baseDir: string;
  /** The absolute paths the host granted (engine/host/consent.ts); the worker reads no others. */
  grantedFiles: string[];
  batchEventIntervalMs?: number;
  /** Resume this finished run (its id and folder) from its last checkpoint instead of starting one. */
  resumeRunId?: string;
}

export interface RunInfoBrief {
  runId: string;
  runDir: string;
  state: 'queued' | 'running' | 'stopping';
}

type ErrorEvent = Extract<TrainEvent, { type: 'error' }>;

interface Tracked {
  brief: RunInfoBrief;
  req: StartRunRequest;
  /** The worker, once the run has left the queue. */
  handle?: WorkerHandle;
  live: LiveRun;
  /** The run's own last word (`done` or `error`), once it said it. */
  ended: Extract<TrainEvent, { type: 'done' | 'error' }> | null;
  startedAt: number;
  exited: Promise<void>;
  markExited: () => void;
  killTimer?: ReturnType<typeof setTimeout>;
}

export interface RunManagerOptions {
  spawn: Spawner;
  runsDir: string;
  /** How long a stopping worker may take to save and exit before it is killed. Default 10 s. */
  stopGraceMs?: number;
  /** Runs that train at once; the rest wait in a queue. Default max(1, floor(cores / 2)). */
  maxConcurrentRuns?: number;
  /** Batch points each live run keeps for `snapshots` (every k-th beyond). Default 10,000. */
  maxSnapshotBatches?: number;
}

/** One run per two cores, at least one: a run's worker and its kernels' thread share a pair. */
export function defaultMaxConcurrentRuns(cores: number = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / 2));
}

export class RunManager {
  private readonly runs = new Map<string, Tracked>();
  private readonly queue: Tracked[] = [];
  private readonly listeners = new Set<(event: TrainEvent) => void>();
  private readonly maxConcurrent: number;
  private backend: Promise<BackendInfo> | undefined;

  constructor(private readonly opts: RunManagerOptions) {
    this.maxConcurrent = Math.max(1, Math.floor(opts.maxConcurrentRuns ?? defaultMaxConcurrentRuns()));
  }

  get runsDir(): string {
    return this.opts.runsDir;
  }

  onEvent(listener: (event: TrainEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: TrainEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One listener's bug must not stop the others or the run.
      }
    }
  }

  list(): RunInfoBrief[] {
    return [...this.runs.values()].map((r) => ({ ...r.brief }));
  }

  /** Every queued or running run with what it has done so far, in the order they were started. */
  snapshots(): RunSnapshot[] {
    // A run that has said its last word is over, though its process may take a moment to exit.
    return [...this.runs.values()].filter((r) => !r.ended).map((r) => r.live.snapshot(r.brief.runId, r.brief.runDir, r.brief.state));
  }

  /** Starts a run, or queues it when every slot is taken; its events follow through `onEvent`. */
  start(req: StartRunRequest): RunInfoBrief {
    const runId = req.resumeRunId ?? newRunId();
    if (this.runs.has(runId)) throw new Error(`run ${runId} is already training`);
    let markExited!: () => void;
    const tracked: Tracked = {
      brief: { runId, runDir: join(this.opts.runsDir, runId), state: 'queued' },
      req,
      live: new LiveRun(this.opts.maxSnapshotBatches ?? MAX_SNAPSHOT_BATCHES),
      ended: null,
      startedAt: Date.now(),
      exited: new Promise<void>((resolve) => (markExited = resolve)),
      markExited: () => markExited(),
    };
    this.runs.set(runId, tracked);
    if (this.training() < this.maxConcurrent) this.launch(tracked);
    else {
      this.queue.push(tracked);
      this.tellQueue();
    }
    return { ...tracked.brief };
  }

  /** Runs whose process is up (a slot each). */
  private training(): number {
    let n = 0;
    for (const r of this.runs.values()) if (r.handle) n++;
    return n;
  }

  /** Tells every queued run where it stands (and the UI, through its status). */
  private tellQueue(): void {
    const running = this.training();
    this.queue.forEach((t, i) => {
      const ahead = running + i;
      const event: TrainEvent = {
        type: 'status',
        runId: t.brief.runId,
        ...saidAs({ key: 'progress.queued', params: { count: ahead, slots: { key: 'progress.slots', params: { count: this.maxConcurrent } } } }),
        queued: { ahead, maxConcurrent: this.maxConcurrent },
      };
      if (t.live.queued?.ahead === ahead) return;
      t.live.add(event);
      this.emit(event);
    });
  }

  private startQueued(): void {
    let next: Tracked | undefined;
    while (this.training() < this.maxConcurrent && (next = this.queue.shift())) this.launch(next);
    this.tellQueue();
  }

  private launch(tracked: Tracked): void {
    const { runId, runDir } = tracked.brief;
    const wasQueued = tracked.live.queued !== undefined;
    const handle = this.opts.spawn();
    tracked.handle = handle;
    tracked.brief.state = 'running';
    tracked.startedAt = Date.now();
    if (wasQueued) {
      const event: TrainEvent = { type: 'status', runId, ...saidAs({ key: 'progress.slotFree' }) };
      tracked.live.add(event);
      this.emit(event);
    }

    handle.onMessage((message) => {
      if (message.kind !== 'event' || tracked.ended) return;
      const event = { ...message.event, runId } as TrainEvent;
      tracked.live.add(event);
      if (event.type === 'done' || event.type === 'error') tracked.ended = event;
      this.emit(event);
    });
    handle.onExit((code, signal) => {
      if (tracked.killTimer) clearTimeout(tracked.killTimer);
      void this.settle(tracked, code, signal);
    });
    const { req } = tracked;
    handle.send({
      kind: 'train',
      runId,
      runDir,
      document: req.doc,
      baseDir: req.baseDir,
      grantedFiles: req.grantedFiles,
      ...(req.epochs !== undefined ? { epochs: req.epochs } : {}),
      ...(req.batchEventIntervalMs !== undefined ? { batchEventIntervalMs: req.batchEventIntervalMs } : {}),
      ...(req.resumeRunId !== undefined ? { resume: true } : {}),
    });
  }

  /**
   * After a run's process has ended: makes sure run.json says how it ended (the run's own word,
   * a stop the host had to force, or a crash), then reports the end the run could not, frees
   * the slot and starts the next queued run.
   */
  private async settle(t: Tracked, code: number | null, signal: string | null): Promise<void> {
    let outcome: RunOutcome;
    let last: TrainEvent | null = null;
    if (t.ended) {
      outcome = t.ended.type === 'done' ? t.ended : { reason: 'error', message: t.ended.message, ...(t.ended.issues ? { issues: t.ended.issues } : {}) };
    } else if (t.brief.state === 'stopping') {
      last = outcome = this.stoppedWithoutDone(t);
    } else {
      // Best effort: a folder that cannot be read leaves the report with what the host saw.
      const [checkpointEpoch, recorded] = await Promise.all([
        readCheckpointManifest(t.brief.runDir).then(
          (m) => m?.epoch ?? null,
          () => null,
        ),
        lastRecorded(t.brief.runDir).catch(() => ({ batch: null, epoch: null })),
      ]);
      const crash = crashReport(t.live, recorded, code, signal, t.handle?.output?.() ?? '', checkpointEpoch);
      const words = crashWords(code, signal, crash.outputTail, crash);
      const message = english(words);
      const event: ErrorEvent = { type: 'error', runId: t.brief.runId, message, words, crash };
      last = event;
      outcome = { reason: 'crashed', message, crash };
    }
    try {
      await settleRunFolder(t.brief.runDir, outcome, last ?? undefined);
    } catch {
      // The folder cannot be written (a full or removed disk): the event below still says it.
    }
    this.runs.delete(t.brief.runId);
    if (last) {
      t.ended = last as Tracked['ended'];
      this.emit(last);
    }
    t.markExited();
    this.startQueued();
  }

  /** The `done` for a run that had to be killed while stopping (it could not say so itself). */
  private stoppedWithoutDone(t: Tracked): Extract<TrainEvent, { type: 'done' }> {
    return {
      type: 'done',
      runId: t.brief.runId,
      runDir: t.brief.runDir,
      reason: 'stopped',
      epochs: t.live.lastEpoch,
      finalLoss: t.live.lastLoss,
      bestDevLoss: t.live.bestDevLoss,
      testLoss: null,
      testAcc: null,
      seconds: t.handle ? (Date.now() - t.startedAt) / 1000 : 0,
    };
  }

  /** Resolves once the run's process has ended and its folder is settled (at once for unknown runs). */
  async exited(runId: string): Promise<void> {
    await this.runs.get(runId)?.exited;
  }

  /**
   * Asks a run to stop; resolves once its process has ended. A queued run leaves the queue at
   * once and ends `stopped` after 0 epochs, with no folder. Unknown or ended runs: no-op.
   */
  async stop(runId: string): Promise<void> {
    const t = this.runs.get(runId);
    if (!t) return;
    const queuedAt = this.queue.indexOf(t);
    if (queuedAt >= 0) {
      this.queue.splice(queuedAt, 1);
      this.runs.delete(runId);
      const done = this.stoppedWithoutDone(t);
      t.ended = done;
      this.emit(done);
      t.markExited();
      this.tellQueue();
      return;
    }
    if (t.brief.state !== 'stopping') {
      t.brief.state = 'stopping';
      try {
        t.handle?.send({ kind: 'stop' });
      } catch {
        // The channel is already closed: the kill below ends it.
      }
      t.killTimer = setTimeout(() => t.handle?.kill(), this.opts.stopGraceMs ?? 10_000);
    }
    await t.exited;
  }

  async stopAll(): Promise<void> {
    // The queue first, so that no queued run starts in a slot a stopping run frees.
    for (const t of [...this.queue].reverse()) void this.stop(t.brief.runId);
    await Promise.all([...this.runs.keys()].map((id) => this.stop(id)));
  }

  /** The backend a worker picks on this machine, asked of a short-lived worker once, then cached. */
  backendInfo(): Promise<BackendInfo> {
    this.backend ??= new Promise<BackendInfo>((resolve, reject) => {
      const handle = this.opts.spawn();
      let answered = false;
      handle.onMessage((m) => {
        if (m.kind === 'backend') {
          answered = true;
          resolve(m.info);
        } else if (m.kind === 'fatal') {
          answered = true;
          reject(new Error(m.message));
        }
      });
      handle.onExit((code, signal) => {
        if (!answered) reject(new Error(crashMessage(code, signal, handle.output?.())));
      });
      handle.send({ kind: 'probe' });
    }).catch((err: unknown) => {
      this.backend = undefined;
      throw err;
    });
    return this.backend;
  }
}

const OOM = /heap out of memory|Reached heap limit|Cannot allocate|OOM/i;

/**
 * What the host saw of a run whose process died without a word. The child runs ahead of the
 * messages the host has read, so where its own log got further, the log says where it was.
 */
function crashReport(
  live: LiveRun,
  recorded: Awaited<ReturnType<typeof lastRecorded>>,
  code: number | null,
  signal: string | null,
  output: string,
  checkpointEpoch: number | null,
): CrashReport {
  const b = recorded.batch && recorded.batch.step > (live.lastBatch?.step ?? 0) ? recorded.batch : live.lastBatch;
  return {
    exitCode: code,
    signal,
    lastEpoch: Math.max(live.lastEpoch, recorded.epoch?.epoch ?? 0),
    lastBatch: b ? { epoch: b.epoch, batch: b.batch, step: b.step } : null,
    stepsPerEpoch: live.start?.stepsPerEpoch ?? 0,
    checkpointEpoch,
    outOfMemory: OOM.test(output) || signal === 'SIGKILL',
    outputTail: output.trim().split('\n').slice(-8).join('\n'),
  };
}

/**
 * A sentence for a worker that ended without saying why (with where its run was, when known).
 * `process` names it for people: the training process unless said otherwise.
 */
export function crashMessage(code: number | null, signal: string | null, output?: string, crash?: CrashReport, process: CrashedProcess = 'training'): string {
  return english(crashWords(code, signal, output, crash, process));
}

/** Which process {@link crashWords} is about. */
export type CrashedProcess = 'training' | 'lrFinder' | 'helper';

const CRASHED: Record<CrashedProcess, WordKey> = {
  training: 'crash.process.training',
  lrFinder: 'crash.process.lrFinder',
  helper: 'crash.process.helper',
};

/** {@link crashMessage} as words: the renderer says it in the user's language; the process's own output stays as it came. */
export function crashWords(code: number | null, signal: string | null, output?: string, crash?: CrashReport, process: CrashedProcess = 'training'): Words {
  const how: Words = signal ? { key: 'crash.killed', params: { signal } } : { key: 'crash.exited', params: { code: String(code) } };
  const oom = crash?.outOfMemory ?? (OOM.test(output ?? '') || signal === 'SIGKILL');
  const hint: WordValue = oom ? { key: 'crash.outOfMemory' } : '';
  let where: WordValue = '';
  if (crash?.lastBatch) {
    const at = { epoch: crash.lastBatch.epoch, batch: crash.lastBatch.batch };
    where = crash.stepsPerEpoch > 0 ? { key: 'crash.atOf', params: { ...at, steps: crash.stepsPerEpoch } } : { key: 'crash.at', params: at };
  }
  let saved: WordValue = '';
  if (crash)
    saved =
      crash.checkpointEpoch !== null
        ? { key: 'crash.checkpoint', params: { epoch: crash.checkpointEpoch } }
        : crash.lastBatch
          ? { key: 'crash.noCheckpoint' }
          : '';
  const tail: WordValue = output?.trim() ? { key: 'crash.output', params: { output: output.trim().split('\n').slice(-8).join('\n') } } : '';
  return { key: 'crash.ended', params: { process: { key: CRASHED[process] }, where, how, hint, saved, tail } };
}
