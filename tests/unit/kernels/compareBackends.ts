// Shared by the kernel tests that check a wasm result against the cpu backend's: the comparison
// (largest difference over the reference's largest magnitude) and the fused-kernel harness.
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';

/** Largest |got − ref| over the reference's largest magnitude (at least 1e-3, so zeros compare absolutely). */
export function relativeError(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  let err = 0;
  let scale = 1e-3;
  for (let i = 0; i < ref.length; i++) {
    err = Math.max(err, Math.abs((got[i] as number) - (ref[i] as number)));
    scale = Math.max(scale, Math.abs(ref[i] as number));
  }
  return err / scale;
}

/** As many arrays as the reference, each within `tolerance` of it; failures name `${label} ${index}`. */
export function expectAllClose(got: Float32Array[], ref: Float32Array[], tolerance: number, label: string): void {
  expect(got.length).toBe(ref.length);
  got.forEach((v, k) => {
    expect(relativeError(v, ref[k] as Float32Array), `${label} ${k}`).toBeLessThan(tolerance);
  });
}

/** What a fused-kernel test's `run` returns: its outputs and gradients, and the weights it started from (kept). */
export interface LayerRun {
  values: Float32Array[];
  weights: tf.Tensor[];
}

/**
 * Runs `run` on wasm (fresh weights; `calls` must show the fused kernel ran), then on cpu from
 * the weights the wasm run started with, and expects the same values within `tolerance`.
 */
export async function expectWasmMatchesCpu(run: (weights: tf.Tensor[] | null) => LayerRun, calls: () => number, tolerance: number): Promise<void> {
  await tf.setBackend('wasm');
  const before = calls();
  const wasm = run(null);
  expect(calls()).toBeGreaterThan(before);
  await tf.setBackend('cpu');
  const cpu = run(wasm.weights);
  await tf.setBackend('wasm');
  expectAllClose(wasm.values, cpu.values, tolerance, 'value');
  tf.dispose(wasm.weights);
}
