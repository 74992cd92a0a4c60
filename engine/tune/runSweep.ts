/**
 * Runs a sweep: trains its configurations as trials, at most `parallel` at once, each a normal
 * run started through a TrialLauncher (the host's run manager; tests launch in-process), stops
 * the bad ones at the halving rungs, and keeps a snapshot of it all for the UI and the CLI. It
 * owns no processes, files or tensors: it only decides what to start and what to stop.
 */
import type { Document, SweepSpec } from '../graph/document';
import { applyConfig } from '../graph/sweep';
import { HalvingRungs, rungEpochs } from './halving';
import { sweepConfigs } from './sample';
import type { SweepSaving, SweepSnapshot, SweepState, TrialResult } from './types';
import { zoomIn } from './zoom';
import { english, otherWords, type Words } from '../words';

/** What a trial's run reports at the end of each epoch. */
export interface TrialEpoch {
  epoch: number;
  trainLoss: number;
  devLoss: number;
  devAcc: number;
}

/** How a trial's run ended: its `done` reason, or the message of its error (or crash). */
export type TrialEnd = { ok: true; reason: string; epochs: number } | { ok: false; message: string };

/** A started trial: stop asks its run to stop (it saves and ends `stopped`). */
export interface TrialRun {
  runId: string;
  stop(): void;
  ended: Promise<TrialEnd>;
}

export interface TrialRequest {
  /** 1-based. */
  trial: number;
  /** The sweep's Document with this trial's configuration written in. */
  doc: Document;
  epochs: number;
}

/** Starts trials as runs; a refusal (files not allowed, a bad document) is a value. */
export interface TrialLauncher {
  start(req: TrialRequest, onEpoch: (e: TrialEpoch) => void): Promise<{ ok: true; run: TrialRun } | { ok: false; message: string; words?: Words }>;
}

export interface SweepOptions {
  sweepId: string;
  /** The Document swept (its own settings are the trials' starting point). */
  doc: Document;
  sweep: SweepSpec;
  /** Epochs of a trial that is not stopped early. */
  epochs: number;
  /** Trials that train at once (at least 1). */
  parallel: number;
  launcher: TrialLauncher;
  /** Called with a fresh snapshot whenever something changed. */
  onUpdate?: (snapshot: SweepSnapshot) => void;
  now?: () => number;
}

export interface SweepRun {
  readonly sweepId: string;
  snapshot(): SweepSnapshot;
  /** Stops every trial (pending ones never start); resolves when the sweep has ended. */
  stop(): Promise<SweepSnapshot>;
  /** Resolves with the last snapshot when every trial has ended. */
  readonly done: Promise<SweepSnapshot>;
}

/** The loss halving compares and the best trial is chosen by: dev loss, else train loss. */
function monitored(e: TrialEpoch): number {
  return Number.isFinite(e.devLoss) ? e.devLoss : e.trainLoss;
}

/** What halving saved: epochs trained against the started trials' full budgets. */
export function sweepSaving(trials: readonly TrialResult[], epochs: number): SweepSaving {
  const started = trials.filter((t) => t.state !== 'pending');
  const epochsRun = started.reduce((n, t) => n + t.epochs, 0);
  const epochsBudgeted = started.length * epochs;
  return { epochsRun, epochsBudgeted, fraction: epochsBudgeted > 0 ? 1 - epochsRun / epochsBudgeted : 0 };
}

/** The trial with the lowest best dev loss (the earlier one on a tie), or null. */
export function bestTrial(trials: readonly TrialResult[]): TrialResult | null {
  let best: TrialResult | null = null;
  for (const t of trials) {
    if (t.bestDevLoss === null || !Number.isFinite(t.bestDevLoss)) continue;
    if (!best || t.bestDevLoss < best.bestDevLoss!) best = t;
  }
  return best;
}

/** The Document trial `trial` of `total` trains: the configuration written in, its epochs, a name that says so. */
export function trialDocument(doc: Document, config: TrialResult['config'], trial: number, total: number, epochs: number): Document {
  const configured = applyConfig(doc, config);
  return {
    ...configured,
    name: `${doc.name.slice(0, 440)} · trial ${trial}/${total}`,
    training: { ...configured.training, epochs },
  };
}

export function startSweep(opts: SweepOptions): SweepRun {
  const now = opts.now ?? Date.now;
  const started = now();
  const configs = sweepConfigs(opts.sweep);
  const sweep: SweepSpec = { ...opts.sweep, trials: configs.length };
  const rungs = rungEpochs(opts.sweep.halving, opts.epochs);
  const halving = new HalvingRungs(rungs, opts.sweep.halving.reduction);
  const parallel = Math.max(1, Math.floor(opts.parallel));
  const trials: TrialResult[] = configs.map((config, i) => ({
    trial: i + 1,
    config,
    runId: null,
    state: 'pending',
    epochs: 0,
    bestDevLoss: null,
    bestDevAcc: null,
    devLosses: [],
    seconds: 0,
    stoppedEarly: false,
    stoppedAtRung: null,
    outcome: null,
    finished: false,
  }));
  const runs = new Map<number, TrialRun>();
  const startedAt = new Map<number, number>();
  let state: SweepState = 'running';
  let message: string | null = null;
  let words: Words | undefined;
  const say = (said: Words) => {
    message = english(said);
    words = said;
  };
  let stopping = false;
  let next = 0;
  let inFlight = 0;
  let ended: number | null = null;
  let resolveDone!: (s: SweepSnapshot) => void;
  const done = new Promise<SweepSnapshot>((resolve) => (resolveDone = resolve));

  const snapshot = (): SweepSnapshot => {
    const t = now();
    const copy = trials.map((r) => ({
      ...r,
      devLosses: [...r.devLosses],
      seconds: r.state === 'running' && startedAt.has(r.trial) ? (t - startedAt.get(r.trial)!) / 1000 : r.seconds,
    }));
    return {
      sweepId: opts.sweepId,
      documentName: opts.doc.name,
      state,
      message,
      ...(words ? { words } : {}),
      sweep,
      epochs: opts.epochs,
      rungs,
      parallel,
      trials: copy,
      best: bestTrial(copy)?.trial ?? null,
      saving: sweepSaving(copy, opts.epochs),
      zoom: zoomIn(sweep, copy),
      startedAt: new Date(started).toISOString(),
      seconds: ((ended ?? t) - started) / 1000,
    };
  };
  const update = () => opts.onUpdate?.(snapshot());

  const finishIfIdle = () => {
    if (inFlight > 0 || ended !== null) return;
    if (!stopping && next < trials.length) return;
    ended = now();
    if (state === 'running') state = stopping ? 'stopped' : 'done';
    const last = snapshot();
    opts.onUpdate?.(last);
    resolveDone(last);
  };

  const onEpoch = (r: TrialResult) => (e: TrialEpoch) => {
    if (r.state !== 'running' && r.state !== 'pruned') return;
    const loss = monitored(e);
    r.epochs = Math.max(r.epochs, e.epoch);
    r.devLosses.push(loss);
    if (Number.isFinite(loss)) r.bestDevLoss = r.bestDevLoss === null ? loss : Math.min(r.bestDevLoss, loss);
    if (Number.isFinite(e.devAcc)) r.bestDevAcc = r.bestDevAcc === null ? e.devAcc : Math.max(r.bestDevAcc, e.devAcc);
    if (r.state === 'running' && !stopping && halving.decide(e.epoch, loss) === 'stop') {
      r.state = 'pruned';
      r.stoppedEarly = true;
      r.stoppedAtRung = e.epoch;
      runs.get(r.trial)?.stop();
    }
    update();
  };

  const launch = async (r: TrialResult): Promise<void> => {
    inFlight++;
    r.state = 'running';
    startedAt.set(r.trial, now());
    const doc = trialDocument(opts.doc, r.config, r.trial, trials.length, opts.epochs);
    let answer: Awaited<ReturnType<TrialLauncher['start']>>;
    try {
      answer = await opts.launcher.start({ trial: r.trial, doc, epochs: opts.epochs }, onEpoch(r));
    } catch (err) {
      answer = { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
    if (!answer.ok) {
      // A trial that cannot start (its files are not granted, the host refused) fails the sweep.
      r.state = 'failed';
      r.outcome = answer.message;
      r.finished = true;
      inFlight--;
      if (state === 'running') {
        state = 'failed';
        say({ key: 'sweep.trialNotStarted', params: { trial: r.trial, cause: answer.words ?? otherWords(answer.message) } });
      }
      stopping = true;
      for (const run of runs.values()) run.stop();
      finishIfIdle();
      return;
    }
    const run = answer.run;
    r.runId = run.runId;
    runs.set(r.trial, run);
    if (stopping) run.stop();
    update();
    const end = await run.ended;
    runs.delete(r.trial);
    r.finished = true;
    r.seconds = (now() - startedAt.get(r.trial)!) / 1000;
    if (end.ok) {
      r.epochs = Math.max(r.epochs, end.epochs);
      r.outcome = end.reason;
      if (r.state === 'running') r.state = stopping && end.reason === 'stopped' ? 'stopped' : 'done';
    } else {
      r.outcome = end.message;
      if (r.state === 'running' || r.state === 'pruned') r.state = stopping ? 'stopped' : 'failed';
    }
    inFlight--;
    fill();
    update();
    finishIfIdle();
  };

  const fill = () => {
    while (!stopping && inFlight < parallel && next < trials.length) void launch(trials[next++]!);
  };

  fill();
  update();
  finishIfIdle();

  return {
    sweepId: opts.sweepId,
    snapshot,
    async stop() {
      if (ended === null && !stopping) {
        stopping = true;
        say({ key: 'sweep.stoppedByUser' });
        for (const run of runs.values()) run.stop();
        update();
        finishIfIdle();
      }
      return done;
    },
    done,
  };
}
