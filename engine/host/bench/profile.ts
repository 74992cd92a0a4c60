/**
 * `npm run bench -- --profile`: where a tfjs training step's time goes (issue 16). Every kernel
 * registered for the backend is wrapped with a timer for the profiled steps, and so is the
 * engine's runKernelFunc, which every op (a registered kernel or a customGrad, such as the fused
 * recurrent and batch-norm layers) passes through. A step then splits into:
 *   - each kernel's own time (exclusive of kernels it runs inside it), by name, with its calls;
 *   - the fused customGrad ops' own time, by scope name;
 *   - the engine's bookkeeping around them (tensor records, tape nodes, scopes): the time inside
 *     runKernelFunc that no kernel or customGrad body accounts for;
 *   - the rest of the step outside any op: layers' JavaScript, the tape walk, the optimizer's
 *     own JavaScript, reading the loss back.
 * The timers add two performance.now() calls a kernel, a fraction of a microsecond.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface KernelTime {
  name: string;
  /** Calls per step. */
  calls: number;
  /** Exclusive ms per step. */
  ms: number;
}

export interface StepProfile {
  steps: number;
  /** Wall-clock ms per step. */
  stepMs: number;
  /** Registered kernels and customGrad bodies, slowest first; customGrad ones are named `customGrad:<scope>`. */
  kernels: KernelTime[];
  /** ms per step inside runKernelFunc not spent in a kernel or customGrad body. */
  bookkeepingMs: number;
  /** Top-level op calls per step (what the bookkeeping is paid on). */
  opCalls: number;
  /** ms per step outside any op. */
  outsideMs: number;
}

interface EngineInternals {
  runKernelFunc: (params: { kernelName?: string; forwardFunc?: unknown }) => unknown;
  state: { activeScope: { name: string } | null };
}

/**
 * Runs `step` `steps` times with every kernel of `backend` timed, and restores the kernels and
 * the engine afterwards, also when a step throws.
 */
export async function profileSteps(backend: string, steps: number, step: () => Promise<void>): Promise<StepProfile> {
  const own = new Map<string, { calls: number; ms: number }>();
  // Time spent in nested timed regions, per depth, so a region's own time excludes its children.
  const childMs: number[] = [];
  const add = (name: string, ms: number): void => {
    const e = own.get(name) ?? { calls: 0, ms: 0 };
    e.calls++;
    e.ms += ms;
    own.set(name, e);
  };
  const timed = <T>(name: string, f: () => T): T => {
    childMs.push(0);
    const t0 = performance.now();
    try {
      return f();
    } finally {
      const total = performance.now() - t0;
      const children = childMs.pop()!;
      add(name, total - children);
      if (childMs.length) childMs[childMs.length - 1]! += total;
    }
  };

  const originals = tf.getKernelsForBackend(backend);
  for (const k of originals) {
    tf.unregisterKernel(k.kernelName, backend);
    tf.registerKernel({ ...k, kernelFunc: (args) => timed(k.kernelName, () => k.kernelFunc(args)) });
  }
  const engine = tf.engine() as unknown as EngineInternals;
  const runKernelFunc = engine.runKernelFunc;
  let opMs = 0;
  let opCalls = 0;
  let depth = 0;
  engine.runKernelFunc = function (this: EngineInternals, params) {
    const custom = params.kernelName === undefined;
    const name = custom ? `customGrad:${engine.state.activeScope?.name ?? '?'}` : null;
    const top = depth === 0;
    depth++;
    const t0 = performance.now();
    try {
      // A customGrad body's own time (its nested kernels are subtracted by `timed`) counts as a kernel.
      return name === null ? runKernelFunc.call(this, params) : timed(name, () => runKernelFunc.call(this, params));
    } finally {
      depth--;
      if (top) {
        opMs += performance.now() - t0;
        opCalls++;
      }
    }
  };
  let wall = 0;
  try {
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      await step();
      wall += performance.now() - t0;
    }
  } finally {
    engine.runKernelFunc = runKernelFunc;
    for (const k of originals) {
      tf.unregisterKernel(k.kernelName, backend);
      tf.registerKernel(k);
    }
  }
  const kernels = [...own].map(([name, e]) => ({ name, calls: e.calls / steps, ms: e.ms / steps })).sort((a, b) => b.ms - a.ms);
  const kernelMs = kernels.reduce((s, k) => s + k.ms, 0);
  return {
    steps,
    stepMs: wall / steps,
    kernels,
    bookkeepingMs: (opMs - kernelMs * steps) / steps,
    opCalls: opCalls / steps,
    outsideMs: (wall - opMs) / steps,
  };
}

/** The profile as text: the slowest `top` kernels, then the bookkeeping and the rest. */
export function formatProfile(title: string, p: StepProfile, top = 15): string[] {
  const pct = (ms: number): string => `${((100 * ms) / p.stepMs).toFixed(1)}%`.padStart(6);
  const kernelMs = p.kernels.reduce((s, k) => s + k.ms, 0);
  const lines = [`${title}: ${p.stepMs.toFixed(2)} ms a step (mean of ${p.steps}), ${p.opCalls.toFixed(0)} ops a step`];
  lines.push(`  ${'kernel'.padEnd(40)} ${'calls'.padStart(6)} ${'ms/step'.padStart(8)} ${'share'.padStart(6)}`);
  for (const k of p.kernels.slice(0, top)) lines.push(`  ${k.name.padEnd(40)} ${k.calls.toFixed(0).padStart(6)} ${k.ms.toFixed(3).padStart(8)} ${pct(k.ms)}`);
  const rest = p.kernels.slice(top);
  if (rest.length) {
    const ms = rest.reduce((s, k) => s + k.ms, 0);
    lines.push(
      `  ${`(${rest.length} more kernels)`.padEnd(40)} ${rest
        .reduce((s, k) => s + k.calls, 0)
        .toFixed(0)
        .padStart(6)} ${ms.toFixed(3).padStart(8)} ${pct(ms)}`,
    );
  }
  lines.push(
    `  ${'all kernels'.padEnd(40)} ${p.kernels
      .reduce((s, k) => s + k.calls, 0)
      .toFixed(0)
      .padStart(6)} ${kernelMs.toFixed(3).padStart(8)} ${pct(kernelMs)}`,
  );
  lines.push(
    `  ${'engine bookkeeping around the ops'.padEnd(40)} ${p.opCalls.toFixed(0).padStart(6)} ${p.bookkeepingMs.toFixed(3).padStart(8)} ${pct(p.bookkeepingMs)}  (${((1000 * p.bookkeepingMs) / Math.max(1, p.opCalls)).toFixed(1)} µs an op)`,
  );
  lines.push(`  ${'outside any op (layers, tape, optimizer JS)'.padEnd(40)} ${''.padStart(6)} ${p.outsideMs.toFixed(3).padStart(8)} ${pct(p.outsideMs)}`);
  return lines;
}
