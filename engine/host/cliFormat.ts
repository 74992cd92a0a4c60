/** Text for people: tables, shapes, numbers and the progress bar of the CLI. */
import type { GraphIssue, Shape } from '../graph/types';
import type { ClassMetrics, DataSummary, RunSummary, SplitEvaluation, TrainEvent, ValidateResult } from '../api';

export function formatShape(shape: Shape | null): string {
  return shape ? `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]` : '?';
}

/** 1234567 → "1,234,567". */
export function formatInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 12_300_000 → "12.3 M". */
export function formatCompact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(Math.round(n));
}

export function formatNumber(v: number | null | undefined, digits = 4): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

/** Left-aligned columns, the last ones right-aligned where `right` says so. */
export function table(rows: string[][], right: boolean[] = []): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatIssue(issue: GraphIssue): string {
  const where = [issue.nodeId ? `node "${issue.nodeId}"` : null, issue.port ? `port "${issue.port}"` : null].filter(Boolean).join(', ');
  const head = `  ✗ ${where ? `${where}: ` : ''}${issue.message} [${issue.code}]`;
  return issue.hint ? `${head}\n      hint: ${issue.hint}` : head;
}

/** The model summary `validate` prints: each node's output shape and parameters, and totals. */
export function formatValidation(name: string, result: ValidateResult): string {
  const lines: string[] = [];
  const rows = [['node', 'type', 'output shape', 'params'], ...result.nodes.map((n) => [n.id, n.type, formatShape(n.outputShape), formatInt(n.paramCount)])];
  lines.push(table(rows, [false, false, false, true]));
  lines.push('');
  lines.push(`${formatInt(result.totals.params)} parameters, ${formatCompact(result.totals.macs)} multiply-adds per example`);
  if (result.ok) {
    lines.push(`${name}: valid`);
  } else {
    lines.push(`${name}: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}`);
    for (const issue of result.errors) lines.push(formatIssue(issue));
  }
  return lines.join('\n');
}

/** One line of progress for a terminal: `epoch 2/20 [#####-----] 50% loss 1.2345 acc 0.512 53 ms/step`. */
export function progressLine(event: Extract<TrainEvent, { type: 'batch' }>, epochs: number, stepsPerEpoch: number, width = 24): string {
  const frac = stepsPerEpoch > 0 ? Math.min(1, event.batch / stepsPerEpoch) : 0;
  const filled = Math.round(frac * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  return `epoch ${event.epoch}/${epochs} ${bar} ${String(Math.round(frac * 100)).padStart(3)}%  loss ${formatNumber(event.loss)}  acc ${formatNumber(event.acc, 3)}  ${event.msPerStep.toFixed(0)} ms/step`;
}

export const EPOCH_HEADER = ['epoch', 'train loss', 'train acc', 'dev loss', 'dev acc', 'seconds'];
const EPOCH_WIDTHS = [5, 10, 9, 10, 9, 7];

/** A row of the per-epoch table, padded to the header's widths so rows line up as they stream. */
export function epochRow(cells: string[]): string {
  return cells.map((c, i) => c.padStart(EPOCH_WIDTHS[i]!)).join('  ');
}

export function epochCells(e: Extract<TrainEvent, { type: 'epoch' }>, epochs: number): string[] {
  return [
    `${e.epoch}/${epochs}`,
    formatNumber(e.trainLoss),
    formatNumber(e.trainAcc, 3),
    formatNumber(e.devLoss),
    formatNumber(e.devAcc, 3),
    e.seconds.toFixed(1),
  ];
}

/** What `modelwright data` prints: the data a document binds to, at a glance. */
export function formatDataSummary(s: DataSummary): string {
  const lines = [
    `source       ${s.source}`,
    `rows         ${formatInt(s.rows)} (train ${formatInt(s.split.train)}, dev ${formatInt(s.split.dev)}, test ${formatInt(s.split.test)})`,
    `vocabulary   ${formatInt(s.vocabSize)} tokens, sequences up to ${s.maxLength}`,
    `input        ${formatShape([null, ...s.inputShape])} ${s.inputDtype}`,
    `classes      ${s.classes.length}`,
    '',
    table([['class', 'examples'], ...s.classes.map((c, i) => [c, formatInt(s.classCounts[i] ?? 0)])], [false, true]),
  ];
  if (s.sample.length > 0) {
    lines.push('', table([['text', 'label'], ...s.sample.map(([text, label]) => [text, label])]));
  }
  return lines.join('\n');
}

/**
 * The test evaluation for people: loss and accuracy, per-class precision, recall, F1 and
 * support with the macro and weighted averages, then the confusion matrix (rows true, columns
 * predicted, classes numbered so wide names need not head every column).
 */
export function formatEvaluation(e: SplitEvaluation, title = 'Test'): string {
  const labels = e.confusion.labels;
  const f = (v: number) => v.toFixed(3);
  const metricsRow = (name: string, m: ClassMetrics) => [name, f(m.precision), f(m.recall), f(m.f1), formatInt(m.support)];
  const lines = [
    `${title}: loss ${formatNumber(e.loss)}, accuracy ${formatNumber(e.accuracy, 3)} (${formatInt(e.macro.support)} examples)`,
    '',
    table(
      [
        ['class', 'precision', 'recall', 'f1', 'support'],
        ...labels.map((label) => metricsRow(label, e.perClass[label] ?? { precision: 0, recall: 0, f1: 0, support: 0 })),
        ['', '', '', '', ''],
        metricsRow('macro avg', e.macro),
        metricsRow('weighted avg', e.weighted),
      ],
      [false, true, true, true, true],
    ),
    '',
    'Confusion matrix (rows: true class, columns: predicted class):',
    table(
      [
        ['', '', ...labels.map((_, i) => String(i + 1))],
        ...e.confusion.matrix.map((row, t) => [String(t + 1), labels[t] ?? '', ...row.map((v) => (v === 0 ? '.' : String(v)))]),
      ],
      [true, false, ...labels.map(() => true)],
    ),
  ];
  return lines.join('\n');
}

/** A run's start time as "2026-11-27 20:17" in local time (the ISO text when it does not parse). */
function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** What `modelwright runs` prints: every run, newest first. */
export function formatRuns(runs: readonly RunSummary[]): string {
  const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
  return table(
    [
      ['run', 'name', 'started', 'ended', 'epochs', 'best dev acc', 'test acc', 'model'],
      ...runs.map((r) => [
        r.runId,
        r.name ?? '',
        localTime(r.createdAt),
        r.ended,
        r.plannedEpochs !== null && r.plannedEpochs !== r.epochs ? `${r.epochs}/${r.plannedEpochs}` : String(r.epochs),
        pct(r.bestDevAcc),
        pct(r.testAcc),
        r.documentName ?? '—',
      ]),
    ],
    [false, false, false, false, true, true, true, false],
  );
}
