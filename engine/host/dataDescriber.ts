/**
 * Data summaries computed in a worker process, never in the host: a multi-GB CSV, a device or a
 * hostile file is read there, so the Electron main process and the web host stay small and
 * responsive, and a crash or an out-of-memory ends only that worker. One worker serves the
 * requests in turn while data is being looked at, and goes after a quiet spell.
 */
import type { DataSummary } from '../api';
import type { DataSpec } from '../graph/document';
import { crashMessage, type Spawner, type WorkerHandle } from './runManager';

export type DescribeResult = { ok: true; summary: DataSummary } | { ok: false; message: string };

export interface DataDescriberOptions {
  spawn: Spawner;
  /** How long an idle worker is kept for the next request. Default 20 s. */
  idleMs?: number;
}

interface Pending {
  resolve: (result: DescribeResult) => void;
}

export class DataDescriber {
  private worker: { handle: WorkerHandle; pending: Map<number, Pending> } | undefined;
  private nextId = 1;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly opts: DataDescriberOptions) {}

  /** Reads and summarises `data` in the worker, with only `grantedFiles` readable. */
  describe(data: DataSpec, baseDir: string, grantedFiles: readonly string[]): Promise<DescribeResult> {
    const worker = this.ensureWorker();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const id = this.nextId++;
    return new Promise<DescribeResult>((resolve) => {
      worker.pending.set(id, { resolve });
      worker.handle.send({ kind: 'describe', id, data, baseDir, grantedFiles: [...grantedFiles] });
    });
  }

  /** Ends the worker (pending requests answer with an error). */
  dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.worker?.handle.kill();
  }

  private ensureWorker(): NonNullable<DataDescriber['worker']> {
    if (this.worker) return this.worker;
    const handle = this.opts.spawn();
    const worker = { handle, pending: new Map<number, Pending>() };
    this.worker = worker;
    handle.onMessage((m) => {
      if (m.kind !== 'described') return;
      const p = worker.pending.get(m.id);
      if (!p) return;
      worker.pending.delete(m.id);
      p.resolve(m.result);
      if (worker.pending.size === 0) this.scheduleIdle(worker);
    });
    handle.onExit((code, signal) => {
      if (this.worker === worker) this.worker = undefined;
      const message = crashMessage(code, signal, handle.output?.()).replace('The training process', 'The process reading the data');
      for (const p of worker.pending.values()) p.resolve({ ok: false, message });
      worker.pending.clear();
    });
    return worker;
  }

  private scheduleIdle(worker: NonNullable<DataDescriber['worker']>): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.worker === worker && worker.pending.size === 0) {
        this.worker = undefined;
        worker.handle.kill();
      }
    }, this.opts.idleMs ?? 20_000);
    // An idle worker must not keep a CLI or a test alive.
    (this.idleTimer as { unref?: () => void }).unref?.();
  }
}
