/**
 * Curves for display: every point is kept in the store, and what is drawn is made from all of
 * them. Smoothing is TensorBoard's debiased exponential moving average over the whole series;
 * thinning is Largest-Triangle-Three-Buckets (Steinarsson, 2013), which keeps the points that
 * shape the curve — a spike, a plateau's ends — where averaging buckets would flatten them.
 * Both are O(n), so 100,000 batches redraw in a few milliseconds.
 */

export interface XY {
  x: number;
  y: number;
}

/**
 * `points` smoothed with weight `weight` (0: none, 0.99: heavy), debiased so the start is not
 * pulled towards 0. Non-finite values are passed over (they neither count nor break the average).
 */
export function smooth(points: readonly XY[], weight: number): XY[] {
  if (weight <= 0) return points.slice();
  const out: XY[] = new Array(points.length);
  let last = 0;
  let n = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (Number.isFinite(p.y)) {
      last = last * weight + (1 - weight) * p.y;
      n++;
    }
    out[i] = { x: p.x, y: n === 0 ? p.y : last / (1 - Math.pow(weight, n)) };
  }
  return out;
}

/** At most `threshold` (≥ 3) of `points`, chosen by LTTB; the first and the last always kept. */
export function downsample(points: readonly XY[], threshold: number): XY[] {
  const n = points.length;
  if (threshold >= n || threshold < 3) return points.slice();
  const out: XY[] = [points[0]!];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    // The average of the next bucket is the third corner of the triangles.
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let ax = 0;
    let ay = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      ax += points[j]!.x;
      ay += points[j]!.y;
    }
    const len = Math.max(nextEnd - nextStart, 1);
    ax /= len;
    ay /= len;
    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    const pa = points[a]!;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const p = points[j]!;
      const area = Math.abs((pa.x - ax) * (p.y - pa.y) - (pa.x - p.x) * (ay - pa.y));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(points[best]!);
    a = best;
  }
  out.push(points[n - 1]!);
  return out;
}

/** For a log axis: values that are not above 0 cannot be drawn, so they become gaps. */
export function positive(y: number | undefined): number | undefined {
  return y !== undefined && y > 0 && Number.isFinite(y) ? y : undefined;
}
