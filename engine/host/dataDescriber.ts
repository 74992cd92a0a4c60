/**
 * The host's helper worker: data summaries, predictions and test evaluations computed in a
 * worker process, never in the host. A multi-GB CSV, a device or a hostile file is read there,
 * and a model runs there, so the Electron main process and the web host stay small and
 * responsive, and a crash or an out-of-memory ends only that worker. One worker serves the
 * requests in turn while they come, keeping the models it loaded, and goes after a quiet spell.
 */
import type { DataSummary, TextPrediction } from '../api';
import type { DataProgress } from '../data/dataset';
import type { GloveCoverage } from '../data/glove';
import type { DataSpec, Document } from '../graph/document';
import type { EpochEstimateOutcome } from '../train/epochEstimate';
import { saidAs, type Failure, type Words } from '../words';
import { crashWords, type Spawner, type WorkerHandle } from './runManager';
import type { FromWorker, RunEvaluationResult, ToWorker } from './workerProtocol';

export type DescribeResult = { ok: true; summary: DataSummary } | Failure;
export type CoverageResult = { ok: true; coverage: GloveCoverage } | Failure;
export type PredictResult = { ok: true; predictions: TextPrediction[] } | Failure;

export interface DataDescriberOptions {
  spawn: Spawner;
  /** How long an idle worker is kept for the next request (and its models with it). Default 60 s. */
  idleMs?: number;
}

type Answer = Extract<FromWorker, { kind: 'described' | 'covered' | 'predicted' | 'evaluated' | 'estimated' }>;

interface Pending {
  resolve: (result: Answer['result']) => void;
  /** Told how far a describe has read. */
  progress?: (progress: DataProgress) => void;
  /** The answer when the worker dies first. */
  failed: (said: { message: string; words: Words }) => Answer['result'];
}

type Request = Extract<ToWorker, { kind: 'describe' | 'coverage' | 'predict' | 'predict-images' | 'evaluate' | 'estimate' }>;
/** A request without the id the describer gives it. */
type Unnumbered = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;

export class DataDescriber {
  private worker: { handle: WorkerHandle; pending: Map<number, Pending> } | undefined;
  private nextId = 1;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly opts: DataDescriberOptions) {}

  /**
   * Reads and summarises `data` in the worker, with only `grantedFiles` readable. With `key`, the
   * worker keeps the vocabulary for `coverage` under it; `onProgress` hears how far it has read.
   */
  describe(
    data: DataSpec,
    baseDir: string,
    grantedFiles: readonly string[],
    opts: { key?: string; onProgress?: (progress: DataProgress) => void } = {},
  ): Promise<DescribeResult> {
    return this.request(
      { kind: 'describe', data, baseDir, grantedFiles: [...grantedFiles], ...(opts.key ? { key: opts.key } : {}) },
      (said) => ({ ok: false, ...said }),
      opts.onProgress,
    ) as Promise<DescribeResult>;
  }

  /** How much of the vocabulary of the data described under `key` the vectors file `glove` covers. */
  coverage(key: string, data: DataSpec, baseDir: string, grantedFiles: readonly string[], glove: string): Promise<CoverageResult> {
    return this.request({ kind: 'coverage', key, data, baseDir, grantedFiles: [...grantedFiles], glove }, (said) => ({
      ok: false,
      ...said,
    })) as Promise<CoverageResult>;
  }

  /** Classifies `texts` with the model of the finished run in `runDir`. */
  predict(runDir: string, texts: readonly string[], top: number): Promise<PredictResult> {
    return this.request({ kind: 'predict', runDir, texts: [...texts], top }, (said) => ({ ok: false, ...said })) as Promise<PredictResult>;
  }

  /** Classifies pictures (base64 PNG or JPEG) with the image model of the finished run in `runDir`. */
  predictImages(runDir: string, images: readonly { name: string; base64: string }[], top: number): Promise<PredictResult> {
    return this.request({ kind: 'predict-images', runDir, images: [...images], top }, (said) => ({ ok: false, ...said })) as Promise<PredictResult>;
  }

  /** Evaluates the run in `runDir` on its test split, its data read with only `grantedFiles`. */
  evaluate(runDir: string, baseDir: string, grantedFiles: readonly string[]): Promise<RunEvaluationResult> {
    return this.request({ kind: 'evaluate', runDir, baseDir, grantedFiles: [...grantedFiles] }, (said) => ({
      ok: false,
      problem: 'run',
      ...said,
    })) as Promise<RunEvaluationResult>;
  }

  /** Times a few training steps of `doc` in the worker, its data read with only `grantedFiles`. */
  estimate(doc: Document, baseDir: string, grantedFiles: readonly string[], steps?: number): Promise<EpochEstimateOutcome> {
    return this.request({ kind: 'estimate', document: doc, baseDir, grantedFiles: [...grantedFiles], ...(steps !== undefined ? { steps } : {}) }, (said) => ({
      ok: false,
      ...said,
    })) as Promise<EpochEstimateOutcome>;
  }

  /** Ends the worker (pending requests answer with an error). */
  dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.worker?.handle.kill();
  }

  private request(message: Unnumbered, failed: Pending['failed'], progress?: Pending['progress']): Promise<Answer['result']> {
    const worker = this.ensureWorker();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const id = this.nextId++;
    return new Promise<Answer['result']>((resolve) => {
      worker.pending.set(id, { resolve, failed, ...(progress ? { progress } : {}) });
      worker.handle.send({ ...message, id });
    });
  }

  private ensureWorker(): NonNullable<DataDescriber['worker']> {
    if (this.worker) return this.worker;
    const handle = this.opts.spawn();
    const worker = { handle, pending: new Map<number, Pending>() };
    this.worker = worker;
    handle.onMessage((m) => {
      if (m.kind === 'describe-progress') return worker.pending.get(m.id)?.progress?.(m.progress);
      if (m.kind !== 'described' && m.kind !== 'covered' && m.kind !== 'predicted' && m.kind !== 'evaluated' && m.kind !== 'estimated') return;
      const p = worker.pending.get(m.id);
      if (!p) return;
      worker.pending.delete(m.id);
      p.resolve(m.result);
      if (worker.pending.size === 0) this.scheduleIdle(worker);
    });
    handle.onExit((code, signal) => {
      if (this.worker === worker) this.worker = undefined;
      const said = saidAs(crashWords(code, signal, handle.output?.(), undefined, 'helper'));
      for (const p of worker.pending.values()) p.resolve(p.failed(said));
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
    }, this.opts.idleMs ?? 60_000);
    // An idle worker must not keep a CLI or a test alive.
    (this.idleTimer as { unref?: () => void }).unref?.();
  }
}
