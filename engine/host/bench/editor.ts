/**
 * Issue 14's editor speed, as part of `npm run bench`: tests/perf/editorPerf.mjs (Playwright,
 * real Chromium against the web host, 300 blocks) run as a child process, its JSON read back.
 * The drag's frame rate and the time from a keystroke to the next frame are reported, never
 * asserted. Needs the renderer built (`npm run bench` builds it) and a Chromium Playwright can
 * drive; without one the bench says why and goes on.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Median, 95th percentile and largest of a set of times, in ms. */
export interface EditorTimes {
  n: number;
  median: number;
  p95: number;
  max: number;
}

export interface EditorDrag {
  block: string;
  zoom?: number;
  movedPx: number;
  fps: number;
  frameMs: EditorTimes;
  framesOver20ms: number;
  longTasks: number;
}

/** What editorPerf.mjs prints (the fields read here). */
export interface EditorResult {
  blocks: number;
  loadAverage: { before: number[]; after: number[] };
  /** In the view the document opens with (300 blocks: React Flow's least zoom, the far view), then at 100%. */
  drag: EditorDrag;
  dragNear?: EditorDrag;
  typing: { keyToFrameMs: EditorTimes; keysOver50ms: number; longTasks: number; longestTaskMs: number };
}

export type EditorBench = { ok: true; result: EditorResult } | { ok: false; reason: string };

/** The drag is "at 60 fps" when its frame rate is within 5% of 60 (the rAF clock's own jitter). */
const FPS_GOAL = 57;

/** Runs the editor bench script beside the bundle (dist/ → tests/perf/) with `blocks` blocks. */
export async function benchEditor(opts: { blocks: number; log: (s: string) => void }): Promise<EditorBench> {
  const script = join(__dirname, '..', 'tests', 'perf', 'editorPerf.mjs');
  if (!existsSync(script)) return { ok: false, reason: `${script} not found (the editor bench runs from a checkout of the repository)` };
  opts.log(`editor at ${opts.blocks} blocks in Chromium (tests/perf/editorPerf.mjs) …`);
  const child = spawn(process.execPath, [script, '--blocks', String(opts.blocks)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) {
    const tail = err.trim().split('\n').slice(-6).join('\n');
    return { ok: false, reason: `editorPerf.mjs exited with ${code}${tail ? `:\n${tail}` : ''}` };
  }
  try {
    return { ok: true, result: JSON.parse(out) as EditorResult };
  } catch {
    return { ok: false, reason: `editorPerf.mjs printed no JSON: ${out.slice(0, 200)}` };
  }
}

/** The editor's lines of the bench's report. */
export function formatEditorBench(bench: EditorBench): string[] {
  if (!bench.ok) return [`Editor (issue 14): not measured: ${bench.reason}`];
  const r = bench.result;
  const times = (t: EditorTimes) => `median ${t.median}, p95 ${t.p95}, max ${t.max}`;
  const load = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
  return [
    `Editor at ${r.blocks} blocks (Chromium, web host; load average ${load(r.loadAverage.before)} → ${load(r.loadAverage.after)}):`,
    ...[r.drag, r.dragNear].flatMap((d) =>
      d
        ? [
            `  drag of ${d.block} at zoom ${d.zoom ?? '?'} (moved ${d.movedPx} px): ${d.fps} fps (goal 60: ${d.fps >= FPS_GOAL ? 'met' : 'MISSED'}); ms between frames ${times(d.frameMs)}; ${d.framesOver20ms} of ${d.frameMs.n} over 20 ms, ${d.longTasks} long tasks`,
          ]
        : [],
    ),
    `  typing in the inspector: ms from a keystroke to the next frame ${times(r.typing.keyToFrameMs)}; ${r.typing.keysOver50ms} of ${r.typing.keyToFrameMs.n} over 50 ms; ${r.typing.longTasks} long tasks (longest ${r.typing.longestTaskMs} ms)`,
  ];
}
