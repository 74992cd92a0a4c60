/**
 * Starts training runs in child processes and tracks them. How a child is started is injected
 * (a Spawner): Node hosts fork dist/worker.cjs, Electron passes utilityProcess.fork. A child
 * that crashes or runs out of memory becomes an `error` event; it never takes the host down.
 * Stopping asks the worker first (it finishes the batch and saves), then kills it after a grace
 * period. Several runs may go at once.
 */
import { join } from 'node:path';
import type { BackendInfo, TrainEvent } from '../api';
import type { Document } from '../graph/document';
import { newRunId } from './paths';
import type { FromWorker, ToWorker } from './workerProtocol';

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
}

export interface RunInfoBrief {
  runId: string;
  runDir: string;
  state: 'running' | 'stopping';
}

interface Tracked {
  brief: RunInfoBrief;
  handle: WorkerHandle;
  ended: boolean;
  lastLoss: number;
  epochs: number;
  bestDevLoss: number | null;
  startedAt: number;
  exited: Promise<void>;
  killTimer?: ReturnType<typeof setTimeout>;
}

export interface RunManagerOptions {
  spawn: Spawner;
  runsDir: string;
  /** How long a stopping worker may take to save and exit before it is killed. Default 10 s. */
  stopGraceMs?: number;
}

export class RunManager {
  private readonly runs = new Map<string, Tracked>();
  private readonly listeners = new Set<(event: TrainEvent) => void>();
  private backend: Promise<BackendInfo> | undefined;

  constructor(private readonly opts: RunManagerOptions) {}

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

  /** Starts a run; its events follow through `onEvent`. */
  start(req: StartRunRequest): RunInfoBrief {
    const runId = newRunId();
    const runDir = join(this.opts.runsDir, runId);
    const handle = this.opts.spawn();
    let markExited!: () => void;
    const tracked: Tracked = {
      brief: { runId, runDir, state: 'running' },
      handle,
      ended: false,
      lastLoss: Number.NaN,
      epochs: 0,
      bestDevLoss: null,
      startedAt: Date.now(),
      exited: new Promise<void>((resolve) => (markExited = resolve)),
    };
    this.runs.set(runId, tracked);

    handle.onMessage((message) => {
      if (message.kind !== 'event' || tracked.ended) return;
      const event = { ...message.event, runId } as TrainEvent;
      if (event.type === 'batch') tracked.lastLoss = event.loss;
      if (event.type === 'epoch') {
        tracked.lastLoss = event.trainLoss;
        tracked.epochs = event.epoch;
        if (Number.isFinite(event.devLoss)) tracked.bestDevLoss = Math.min(tracked.bestDevLoss ?? Infinity, event.devLoss);
      }
      if (event.type === 'done' || event.type === 'error') tracked.ended = true;
      this.emit(event);
    });
    handle.onExit((code, signal) => {
      if (tracked.killTimer) clearTimeout(tracked.killTimer);
      this.runs.delete(runId);
      if (!tracked.ended) {
        tracked.ended = true;
        if (tracked.brief.state === 'stopping') {
          this.emit(this.stoppedWithoutDone(tracked));
        } else {
          this.emit({ type: 'error', runId, message: crashMessage(code, signal, handle.output?.()) });
        }
      }
      markExited();
    });
    handle.send({
      kind: 'train',
      runId,
      runDir,
      document: req.doc,
      baseDir: req.baseDir,
      grantedFiles: req.grantedFiles,
      ...(req.epochs !== undefined ? { epochs: req.epochs } : {}),
      ...(req.batchEventIntervalMs !== undefined ? { batchEventIntervalMs: req.batchEventIntervalMs } : {}),
    });
    return { ...tracked.brief };
  }

  /** The `done` for a run that had to be killed while stopping (it could not say so itself). */
  private stoppedWithoutDone(t: Tracked): TrainEvent {
    return {
      type: 'done',
      runId: t.brief.runId,
      runDir: t.brief.runDir,
      reason: 'stopped',
      epochs: t.epochs,
      finalLoss: t.lastLoss,
      bestDevLoss: t.bestDevLoss,
      testLoss: null,
      testAcc: null,
      seconds: (Date.now() - t.startedAt) / 1000,
    };
  }

  /** Asks a run to stop; resolves once its process has ended. Unknown or ended runs: no-op. */
  async stop(runId: string): Promise<void> {
    const t = this.runs.get(runId);
    if (!t) return;
    if (t.brief.state !== 'stopping') {
      t.brief.state = 'stopping';
      try {
        t.handle.send({ kind: 'stop' });
      } catch {
        // The channel is already closed: the kill below ends it.
      }
      t.killTimer = setTimeout(() => t.handle.kill(), this.opts.stopGraceMs ?? 10_000);
    }
    await t.exited;
  }

  async stopAll(): Promise<void> {
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

/** A sentence for a worker that ended without saying why. */
export function crashMessage(code: number | null, signal: string | null, output?: string): string {
  const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
  const oom = /heap out of memory|Reached heap limit|Cannot allocate|OOM/i.test(output ?? '') || signal === 'SIGKILL';
  const hint = oom ? ' It may have run out of memory: try a smaller batch size or a smaller model.' : '';
  const tail = output?.trim() ? `\nLast output of the process:\n${output.trim().split('\n').slice(-8).join('\n')}` : '';
  return `The training process ended unexpectedly: it ${how}.${hint}${tail}`;
}
