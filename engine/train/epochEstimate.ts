/**
 * How long one epoch of a Document will take on this machine and backend, before the user
 * commits to a run: a short warm-up of real training steps (the learning-rate finder's loop, held
 * at the document's own learning rate, on the document's own data, model and batch size), timed
 * step by step. The first steps pay for kernel compilation and allocation, so they are left out;
 * the median of the rest, times the steps of an epoch, is the training time, and evaluating the
 * dev split adds a forward pass per batch (about a third of a training step: forward only, no
 * backward, no update). Nothing is written; the model is thrown away after.
 */
import type { DataSpec, Document } from '../graph/document';
import type { GraphIssue } from '../graph/types';
import type { FilePort } from '../ports';
import { findLearningRateForDocument } from './lrFinder';
import type { TrainData } from './trainData';
import { saidAs, type Words } from '../words';

/** What the estimate measured and what it makes of it. */
export interface EpochEstimate {
  /** Seconds one epoch should take: training steps plus evaluating the dev split. */
  secondsPerEpoch: number;
  /** Median milliseconds of one training step (after the warm-up). */
  msPerStep: number;
  stepsPerEpoch: number;
  /** Training steps timed (warm-up steps not counted). */
  measuredSteps: number;
  batchSize: number;
  trainExamples: number;
  devExamples: number;
  /** The backend the steps ran on (the one training will use), when the caller knows it. */
  backend?: string;
}

export type EpochEstimateOutcome = { ok: true; estimate: EpochEstimate } | { ok: false; message: string; words?: Words; issues?: GraphIssue[] };

/** Steps run before timing starts: the first builds kernels and buffers. */
export const WARMUP_STEPS = 2;
/** A forward pass over a batch, as a share of a training step (forward, backward, update). */
const FORWARD_SHARE = 1 / 3;

export interface EstimateOptions {
  doc: Document;
  files: FilePort;
  prepare: (spec: DataSpec, files: FilePort) => Promise<TrainData>;
  /** Timed steps after the warm-up (default 6). */
  steps?: number;
  signal?: AbortSignal;
  now?: () => number;
}

/** The median of a non-empty list. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function estimateEpoch(opts: EstimateOptions): Promise<EpochEstimateOutcome> {
  const now = opts.now ?? (() => performance.now());
  const timed = Math.max(1, Math.floor(opts.steps ?? 6));
  let data: TrainData | undefined;
  const stamps: number[] = [];
  let t0 = 0;
  const lr = opts.doc.training.optimizer.lr;
  const outcome = await findLearningRateForDocument({
    doc: opts.doc,
    files: opts.files,
    prepare: async (spec, files) => (data = await opts.prepare(spec, files)),
    // Held at the document's own rate: these are the steps a run of it would take.
    minLr: lr,
    maxLr: lr,
    steps: WARMUP_STEPS + timed + 1,
    divergeFactor: Number.POSITIVE_INFINITY,
    ...(opts.signal ? { signal: opts.signal } : {}),
    status: (words) => {
      if (words.key === 'progress.raisingLr') t0 = now();
    },
    onPoint: () => stamps.push(now()),
  });
  if (!outcome.ok && stamps.length === 0) return outcome;
  if (!data) return { ok: false, ...saidAs({ key: 'estimate.dataNotLoaded' }) };
  const times = stamps.map((t, i) => t - (i === 0 ? t0 : stamps[i - 1]!));
  const steady = times.slice(WARMUP_STEPS);
  const msPerStep = median(steady.length > 0 ? steady : times);
  const trainExamples = data.size('train');
  const devExamples = data.size('dev');
  const batchSize = Math.max(1, Math.min(opts.doc.training.batchSize, trainExamples));
  const stepsPerEpoch = Math.ceil(trainExamples / batchSize);
  const devBatches = Math.ceil(devExamples / batchSize);
  const secondsPerEpoch = (msPerStep * (stepsPerEpoch + devBatches * FORWARD_SHARE)) / 1000;
  return { ok: true, estimate: { secondsPerEpoch, msPerStep, stepsPerEpoch, measuredSteps: steady.length, batchSize, trainExamples, devExamples } };
}
