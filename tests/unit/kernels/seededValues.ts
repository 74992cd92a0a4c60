// Reproducible test inputs: the same numerical-recipes LCG every kernel test used to write out.

/** `n` values `map(u)`, u uniform in [0, 1) from an LCG seeded with `seed` (a non-negative integer). */
export function seededValues(n: number, seed: number, map: (u: number) => number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = map(s / 2 ** 32);
  }
  return out;
}

/** The element count of `shape`. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
