/**
 * Issue 12's data bench: a 120,000-row AG-News-shaped CSV (about 30 MB: class, title,
 * description) written to a temporary file, then read the way the app reads a user's file (the fs
 * file port, streamed in 1 MB chunks, detected encoding, word tokens with punctuation, a
 * vocabulary on train, index encoding at the 95th-percentile length), against a plain Python
 * `csv` + `collections.Counter` pass over the same file in the same run (the same word pattern,
 * lowercased). Reports seconds, rows and MB per second, and memory: the peak resident size
 * while reading next to the file and the encoded data it keeps.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareData } from '../../data/dataset';
import { DataSchema } from '../../graph/document';
import { createFilePort } from '../fsPorts';

export interface DataImportOptions {
  rows?: number;
  /** The Python to time; default `python3` on the PATH (skipped when there is none). */
  python?: string;
  log?: (line: string) => void;
}

export interface DataImportResult {
  rows: number;
  megabytes: number;
  ours: {
    seconds: number;
    rowsPerSecond: number;
    megabytesPerSecond: number;
    /** The most resident memory seen while reading, and before. */
    peakRssMb: number;
    startRssMb: number;
    /** The most JS heap + typed-array memory seen while reading, above what was held before. */
    peakHeldMb: number;
    /** The token ids, labels and row numbers the prepared data keeps (all splits). */
    encodedMb: number;
    vocabulary: number;
    maxLength: number;
    encoding: string;
  };
  python: { seconds: number; rows: number; tokens: number; distinct: number; version: string } | null;
  /** Python's seconds over ours: above 1 means we are faster. */
  speedup: number | null;
  note: string;
}

/**
 * Writes the file a few thousand rows at a time (so the bench holds no 30 MB string): 4 classes,
 * titles and descriptions of words drawn Zipf-like from 60,000, with punctuation and numbers.
 */
export function writeAgNewsCsv(path: string, rows: number): void {
  let s = 77;
  const rand = (m: number): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % m;
  };
  const letters = 'etaoinshrdlcumwfgypbvkjxqz';
  // Word i spells i in a 26-letter alphabet, the frequent ones short, as in real text.
  const wordOf = (i: number): string => {
    let w = '';
    let n = i + 26;
    while (n > 0) {
      w += letters[n % 26];
      n = Math.floor(n / 26);
    }
    return i % 11 === 0 ? `${w}'s` : w;
  };
  const vocab = Array.from({ length: 60_000 }, (_, i) => wordOf(i));
  const pick = (): string => vocab[Math.floor(Math.pow(rand(1_000_000) / 1_000_000, 2.2) * vocab.length)]!;
  const sentence = (n: number): string => {
    const words: string[] = [];
    for (let i = 0; i < n; i++) {
      let w = pick();
      if (i === 0) w = w.charAt(0).toUpperCase() + w.slice(1);
      if (rand(9) === 0) w += ',';
      if (rand(40) === 0) w = `(${w})`;
      if (rand(30) === 0) w = String(rand(2000) + (rand(3) === 0 ? 0.5 : 0));
      words.push(w);
    }
    return `${words.join(' ')}.`;
  };
  writeFileSync(path, '');
  for (let start = 0; start < rows; start += 5000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(rows, start + 5000); i++) {
      const title = sentence(5 + rand(8));
      const body = `${sentence(14 + rand(16))} ${sentence(10 + rand(14))}`;
      lines.push(`"${1 + rand(4)}","${title.replaceAll('"', '""')}","${body.replaceAll('"', '""')}"\n`);
    }
    appendFileSync(path, lines.join(''));
  }
}

const PYTHON = String.raw`
import collections, csv, json, re, sys, time
t0 = time.perf_counter()
word = re.compile(r"\d+(?:[.,]\d+)+|\w+(?:['’]\w+)*|[^\w\s]")
counts = collections.Counter()
rows = 0
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    for row in csv.reader(f):
        rows += 1
        for cell in row[1:]:
            counts.update(word.findall(cell.lower()))
print(json.dumps({'seconds': time.perf_counter() - t0, 'rows': rows, 'tokens': sum(counts.values()), 'distinct': len(counts), 'version': sys.version.split()[0]}))
`;

export async function benchDataImport(opts: DataImportOptions = {}): Promise<DataImportResult> {
  const rows = opts.rows ?? 120_000;
  const log = opts.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'mw-bench-data-'));
  const file = join(dir, 'ag_news_train.csv');
  try {
    log(`writing ${rows.toLocaleString('en-US')} AG-News-shaped rows …`);
    writeAgNewsCsv(file, rows);
    const bytes = statSync(file).size;
    const spec = DataSchema.parse({
      source: { path: file },
      text: ['column 2', 'column 3'],
      label: 'column 1',
      header: false,
      tokenizer: 'word',
      punctuation: true,
      encoding: 'index',
      maxLength: { percentile: 95 },
      minCount: 2,
      labelNames: { '1': 'World', '2': 'Sports', '3': 'Business', '4': 'Sci/Tech' },
    });

    log('reading it as the app does (streamed, word tokens, vocabulary on train, index encoding) …');
    // What the read holds: the JS heap and the typed arrays (resident size never shrinks back, so
    // it says less); sampled while reading, after a collection before (with --expose-gc).
    (globalThis as { gc?: () => void }).gc?.();
    const held = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const startRss = process.memoryUsage().rss;
    const startHeld = held();
    let peak = startRss;
    let peakHeld = startHeld;
    const sample = () => {
      peak = Math.max(peak, process.memoryUsage().rss);
      peakHeld = Math.max(peakHeld, held());
    };
    const timer = setInterval(sample, 20);
    const t0 = performance.now();
    const prepared = await prepareData(spec, createFilePort({ baseDir: dir }), { onProgress: sample, progressMs: 20 });
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(timer);
    sample();
    const encoded = [prepared.train, prepared.dev, prepared.test].reduce((a, sp) => a + sp.ids.byteLength + sp.labels.byteLength + sp.rows.byteLength, 0);

    let python: DataImportResult['python'] = null;
    const py = opts.python ?? 'python3';
    log(`the same file through Python's csv + Counter (${py}) …`);
    const r = spawnSync(py, ['-c', PYTHON, file], { encoding: 'utf8', timeout: 600_000 });
    if (r.status === 0) python = JSON.parse(r.stdout.trim()) as NonNullable<DataImportResult['python']>;
    else log(`  no Python result: ${(r.error?.message ?? r.stderr).trim().split('\n').at(-1)}`);

    return {
      rows,
      megabytes: bytes / 1e6,
      ours: {
        seconds,
        rowsPerSecond: rows / seconds,
        megabytesPerSecond: bytes / 1e6 / seconds,
        peakRssMb: peak / 1e6,
        startRssMb: startRss / 1e6,
        peakHeldMb: (peakHeld - startHeld) / 1e6,
        encodedMb: encoded / 1e6,
        vocabulary: prepared.vocab.size,
        maxLength: prepared.summary.maxLength,
        encoding: prepared.summary.fileEncoding?.name ?? '?',
      },
      python,
      speedup: python ? python.seconds / seconds : null,
      note: python
        ? `Python ${python.version} counted ${python.tokens.toLocaleString('en-US')} tokens, ${python.distinct.toLocaleString('en-US')} distinct`
        : 'no Python found',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatDataImport(r: DataImportResult): string[] {
  const o = r.ours;
  const lines = [
    `Data import, ${r.rows.toLocaleString('en-US')} AG-News-shaped rows (${r.megabytes.toFixed(1)} MB), streamed, word tokens, vocabulary on train, index encoding:`,
    `  Modelwright   ${o.seconds.toFixed(2)} s  ${Math.round(o.rowsPerSecond).toLocaleString('en-US')} rows/s  ${o.megabytesPerSecond.toFixed(1)} MB/s; vocabulary ${o.vocabulary.toLocaleString('en-US')}, length ${o.maxLength} (95th percentile), read as ${o.encoding}`,
    `                memory: at most ${o.peakHeldMb.toFixed(0)} MB more heap and typed arrays while reading a ${r.megabytes.toFixed(0)} MB file, ${o.peakRssMb.toFixed(0)} MB resident (${o.startRssMb.toFixed(0)} MB before); the encoded data it keeps is ${o.encodedMb.toFixed(1)} MB`,
  ];
  if (r.python)
    lines.push(
      `  Python csv + Counter  ${r.python.seconds.toFixed(2)} s (${r.note}); Modelwright is ${r.speedup!.toFixed(2)}× ${r.speedup! >= 1 ? 'as fast' : 'the speed'}`,
    );
  else lines.push(`  Python csv + Counter  — (${r.note})`);
  return lines;
}

/** The bench run and formatted, for bench.ts's one line: the lines to print. */
export async function dataImportReport(opts: DataImportOptions = {}): Promise<string[]> {
  return formatDataImport(await benchDataImport(opts));
}
