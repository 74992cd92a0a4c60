// Where a CPU profile's time went, by part of the app: each sample's own ("self") time is put to
// the source file of the function it was in, found through the renderer bundle's source map
// (the built bundle's names are minified; its files are not), then grouped into areas (React,
// React Flow, live validation, our canvas, …). Time the browser spends outside JavaScript
// (style, layout, paint) is Chromium's "(program)". Used by editorPerf.mjs's --profile.
import { readFileSync } from 'node:fs';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...B64].map((c, i) => [c, i]));

/** One generated line's segments, [generated column, source index] each, from a source map's VLQ `mappings`. */
function decodeMappings(mappings) {
  const lines = [];
  let source = 0;
  for (const line of mappings.split(';')) {
    const segments = [];
    let column = 0;
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const c of segment) {
        const d = DIGIT.get(c);
        if (d === undefined) throw new Error(`source map: bad character ${JSON.stringify(c)} in mappings`);
        value += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0];
      if (fields.length >= 4) {
        source += fields[1];
        segments.push([column, source]);
      }
      // Fields 2–4 (line, column, name) are deltas too, but only the file is wanted here; the
      // source index is the one that must be carried across segments and lines.
    }
    lines.push(segments);
  }
  return lines;
}

/** A lookup from a generated (line, column), both 0-based, to the original file, for one bundle's map. */
export function sourceFinder(mapFile) {
  const map = JSON.parse(readFileSync(mapFile, 'utf8'));
  const lines = decodeMappings(map.mappings);
  return (line, column) => {
    const segments = lines[line];
    if (!segments || segments.length === 0) return null;
    let lo = 0;
    let hi = segments.length - 1;
    if (segments[0][0] > column) return null;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segments[mid][0] <= column) lo = mid;
      else hi = mid - 1;
    }
    return map.sources[segments[lo][1]] ?? null;
  };
}

/** The area a source file belongs to, for the breakdown. */
export function areaOf(source) {
  if (source === null) return 'app bundle, unmapped';
  const s = source.replace(/\\/g, '/');
  const pkg = s.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) {
    const name = pkg[1];
    if (name === 'react-dom' || name === 'react' || name === 'scheduler') return 'React (render, commit, scheduler)';
    if (name.startsWith('@xyflow/')) return 'React Flow (@xyflow)';
    if (name === 'zustand' || name === 'use-sync-external-store') return 'stores (zustand)';
    if (name.startsWith('d3-')) return 'React Flow (d3 zoom/drag)';
    return `package ${name}`;
  }
  const at = s.indexOf('engine/');
  if (at >= 0) return s.includes('engine/graph/') || s.includes('engine/blocks/') ? 'live validation (engine/graph, engine/blocks)' : `engine ${s.slice(at)}`;
  const r = s.match(/renderer\/([^/]+)\//);
  if (r) return `renderer/${r[1]}`;
  return s.replace(/^(\.\.\/)+/, '');
}

/**
 * Self time (ms) per area of one CDP profile (Profiler.stop's `profile`), with "(program)" (the
 * browser's own work: style, layout, paint, input), "(garbage collector)" and native DOM calls
 * apart. `validation` is inclusive: every sample with live validation anywhere on its stack.
 */
export function breakdown(profile, findSource) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const area = new Map();
  const areaOfNode = (id) => {
    let a = area.get(id);
    if (a !== undefined) return a;
    const { url, functionName, lineNumber, columnNumber } = nodes.get(id).callFrame;
    if (!url) a = functionName.startsWith('(') ? functionName : functionName ? 'browser DOM/native calls' : '(root)';
    else if (!url.includes('/assets/')) a = 'other scripts';
    else a = areaOf(findSource(lineNumber, columnNumber));
    area.set(id, a);
    return a;
  };
  const self = new Map();
  let validation = 0;
  let total = 0;
  const VALIDATION = areaOf('engine/graph/x.ts');
  const onStack = new Map();
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const a = areaOfNode(id);
    if (a === '(idle)') return;
    total += dt;
    self.set(a, (self.get(a) ?? 0) + dt);
    let v = onStack.get(id);
    if (v === undefined) {
      v = false;
      for (let x = id; x !== undefined; x = parent.get(x)) if (areaOfNode(x) === VALIDATION) v = true;
      onStack.set(id, v);
    }
    if (v) validation += dt;
  });
  const areas = Object.fromEntries(
    [...self.entries()]
      .filter(([, ms]) => ms >= 0.5)
      .sort((a, b) => b[1] - a[1])
      .map(([a, ms]) => [a, +ms.toFixed(1)]),
  );
  return { busyMs: +total.toFixed(1), validationMs: +validation.toFixed(1), selfMsByArea: areas };
}
