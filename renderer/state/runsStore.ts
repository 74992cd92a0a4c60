/**
 * The runs of the host's runs folder as the training panel shows them: the list, which runs are
 * ticked to overlay their curves, which one is picked for prediction and test evaluation, the
 * curves and evaluations fetched so far, and which view of the panel is open. The engine calls
 * take the EngineApi they go through, so the store knows no host.
 */
import type { Words } from '../../engine/words';
import { create } from 'zustand';
import { locale, sayError, t } from '../i18n';
import type { DocumentFile, EngineApi, EngineErrorCode, RunCurves, RunSummary, SplitEvaluation } from '../../engine/api';
import { smooth } from '../charts/series';

/** The training panel's views. */
export type TrainingView = 'curves' | 'test' | 'predict' | 'runs';

/** Something fetched from the engine: not yet, on its way, there, or why not. */
export type Fetched<T> =
  { status: 'loading' } | { status: 'ok'; value: T } | { status: 'error'; message: string; code?: EngineErrorCode; files?: DocumentFile[]; words?: Words };

export interface RunsState {
  view: TrainingView;
  runs: RunSummary[] | null;
  listError: string | null;
  /** Runs ticked in the list, their curves overlaid (in the order they were ticked). */
  ticked: string[];
  /** The run prediction and the test view use, chosen in the list; null: the last finished run. */
  picked: string | null;
  curves: Record<string, Fetched<RunCurves>>;
  evaluations: Record<string, Fetched<SplitEvaluation>>;
  /** The "best possible (human) error" the user typed, as typed. */
  humanError: string;
  set(patch: Partial<Pick<RunsState, 'view' | 'picked' | 'humanError'>>): void;
  toggleTick(runId: string): void;
}

export const useRunsStore = create<RunsState>()((set, get) => ({
  view: 'curves',
  runs: null,
  listError: null,
  ticked: [],
  picked: null,
  curves: {},
  evaluations: {},
  humanError: '',
  set: (patch) => set(patch),
  toggleTick: (runId) => {
    const ticked = get().ticked;
    set({ ticked: ticked.includes(runId) ? ticked.filter((id) => id !== runId) : [...ticked, runId] });
  },
}));

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Lists the runs again; ticks and picks of runs that are gone are dropped. */
export async function refreshRuns(engine: EngineApi): Promise<void> {
  try {
    const runs = await engine.listRuns();
    const ids = new Set(runs.map((r) => r.runId));
    const { ticked, picked } = useRunsStore.getState();
    useRunsStore.setState({ runs, listError: null, ticked: ticked.filter((id) => ids.has(id)), picked: picked && ids.has(picked) ? picked : null });
  } catch (error) {
    useRunsStore.setState({ listError: t('state.runs.listFailed', { error: messageOf(error) }) });
  }
}

/** Fetches a run's curves once (again when `force`: a run that was still training). */
export async function loadCurves(engine: EngineApi, runId: string, force = false): Promise<void> {
  const had = useRunsStore.getState().curves[runId];
  if (had && !force && had.status !== 'error') return;
  const put = (f: Fetched<RunCurves>) => useRunsStore.setState({ curves: { ...useRunsStore.getState().curves, [runId]: f } });
  if (!had || had.status !== 'ok') put({ status: 'loading' });
  try {
    const r = await engine.runCurves(runId);
    put(
      r.ok
        ? { status: 'ok', value: r.value }
        : { status: 'error', message: r.error.message, code: r.error.code, ...(r.error.words ? { words: r.error.words } : {}) },
    );
  } catch (error) {
    put({ status: 'error', message: messageOf(error) });
  }
}

/** Fetches a finished run's test evaluation once (stored with the run, or computed by the host). */
export async function loadEvaluation(engine: EngineApi, runId: string, force = false): Promise<Fetched<SplitEvaluation>> {
  const had = useRunsStore.getState().evaluations[runId];
  if (had && !force && had.status !== 'error') return had;
  const put = (f: Fetched<SplitEvaluation>) => {
    useRunsStore.setState({ evaluations: { ...useRunsStore.getState().evaluations, [runId]: f } });
    return f;
  };
  put({ status: 'loading' });
  try {
    const r = await engine.evaluateRun(runId);
    if (r.ok) return put({ status: 'ok', value: r.value });
    return put({
      status: 'error',
      message: r.error.message,
      code: r.error.code,
      ...(r.error.code === 'files-not-allowed' ? { files: r.error.files } : {}),
      ...(r.error.words ? { words: r.error.words } : {}),
    });
  } catch (error) {
    return put({ status: 'error', message: messageOf(error) });
  }
}

/**
 * Grants the files a run's evaluation must read again (as its Document names them; the user
 * asked for it with a button that names them), then evaluates it.
 */
export async function allowRunFiles(engine: EngineApi, runId: string, files: readonly DocumentFile[]): Promise<void> {
  try {
    const doc = await engine.runDocument(runId);
    if (!doc.ok) throw new Error(doc.error.message);
    const granted = await engine.allowFiles(
      doc.value.documentText,
      files.map((f) => f.resolvedPath),
    );
    if (!granted.ok) throw new Error(granted.error.message);
  } catch (error) {
    useRunsStore.setState({ evaluations: { ...useRunsStore.getState().evaluations, [runId]: { status: 'error', message: messageOf(error) } } });
    return;
  }
  await loadEvaluation(engine, runId, true);
}

/** Renames a run and puts the answer in the list; an error message, or null. */
export async function renameRun(engine: EngineApi, runId: string, name: string): Promise<string | null> {
  try {
    const r = await engine.renameRun(runId, name);
    if (!r.ok) return sayError(r.error);
    const runs = useRunsStore.getState().runs?.map((run) => (run.runId === runId ? r.value : run)) ?? null;
    useRunsStore.setState({ runs });
    return null;
  } catch (error) {
    return messageOf(error);
  }
}

/** Deletes a run and forgets what was fetched of it; an error message, or null. */
export async function deleteRun(engine: EngineApi, runId: string): Promise<string | null> {
  try {
    const r = await engine.deleteRun(runId);
    if (!r.ok) return sayError(r.error);
    const s = useRunsStore.getState();
    const { [runId]: _curves, ...curves } = s.curves;
    const { [runId]: _evaluation, ...evaluations } = s.evaluations;
    useRunsStore.setState({
      runs: s.runs?.filter((run) => run.runId !== runId) ?? null,
      ticked: s.ticked.filter((id) => id !== runId),
      picked: s.picked === runId ? null : s.picked,
      curves,
      evaluations,
    });
    return null;
  } catch (error) {
    return messageOf(error);
  }
}

/** A run's name for people: the one it was given, else its model's name and start time. */
export function runLabel(run: Pick<RunSummary, 'name' | 'documentName' | 'createdAt' | 'runId'>): string {
  if (run.name) return run.name;
  const d = new Date(run.createdAt);
  const today = !Number.isNaN(d.getTime()) && d.toDateString() === new Date().toDateString();
  const when = Number.isNaN(d.getTime())
    ? run.runId
    : today
      ? d.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' })
      : d.toLocaleString(locale(), { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return `${run.documentName ?? t('runs.run')} · ${when}`;
}

/** The curves the runs overlay can compare. */
export const CURVE_METRICS = {
  devAcc: { label: 'dev accuracy', acc: true },
  trainAcc: { label: 'train accuracy', acc: true },
  devLoss: { label: 'dev loss', acc: false },
  trainLoss: { label: 'train loss', acc: false },
  batchLoss: { label: 'batch loss (every step)', acc: false },
} as const;
export type CurveMetric = keyof typeof CURVE_METRICS;

/** Points per run of the batch-loss overlay; longer runs are averaged in buckets of consecutive steps. */
export const MAX_BATCH_POINTS = 600;

/**
 * One run's series of `metric`: by epoch, or by step for the batch loss (thinned by averaging,
 * never dropped). `smoothing` (a weight, 0 for none) smooths the batch loss over every step
 * before it is thinned, as the single run's chart smooths its batch curve.
 */
export function curveSeries(curves: RunCurves, metric: CurveMetric, maxPoints = MAX_BATCH_POINTS, smoothing = 0): { x: number; y: number }[] {
  if (metric !== 'batchLoss') {
    return curves.epochs.flatMap((e) => {
      const y = e[metric];
      return y === null ? [] : [{ x: e.epoch, y }];
    });
  }
  const raw: { x: number; y: number }[] = [];
  for (const b of curves.batches) b.losses.forEach((loss, i) => loss !== null && raw.push({ x: b.firstStep + i, y: loss }));
  const points = smoothing > 0 ? smooth(raw, smoothing) : raw;
  if (points.length <= maxPoints) return points;
  const size = Math.ceil(points.length / maxPoints);
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    out.push({ x: bucket[bucket.length - 1]!.x, y: bucket.reduce((sum, p) => sum + p.y, 0) / bucket.length });
  }
  return out;
}
