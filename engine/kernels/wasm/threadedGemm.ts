/**
 * Our GEMM on two threads: the calling thread and one worker each compute half of C's rows.
 * tfjs-wasm's heap is not shared memory (its threaded build is off under Node), so operands
 * are copied into a shared WebAssembly memory that both threads' instances of our kernels
 * (simd/kernels-shared.wasm) work in, and C is copied back. Every row is computed by the same
 * code in the same order whichever thread runs it, so results do not depend on the thread
 * count at all. Used only where a product is large enough to repay the copies and the wake-up.
 */
import { Worker } from 'node:worker_threads';
import { KERNELS_SHARED_WASM_BASE64 } from './simd/kernelsWasm';

/** Control words at the start of the shared memory. */
const SEQ = 0;
const DONE = 1;
const A = 2;
const B = 3;
const C = 4;
const M = 5;
const K = 6;
const N = 7;
/** Data starts past the control block and the (unused) stack region of the kernels module. */
const DATA = 65536;
const PAGE = 65536;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { memory, bytes } = workerData;
const kernels = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
const ctl = new Int32Array(memory.buffer, 0, 16);
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${SEQ}, seen);
  seen = Atomics.load(ctl, ${SEQ});
  if (seen < 0) break;
  kernels.gemm_nn(ctl[${A}], ctl[${B}], ctl[${C}], ctl[${M}], ctl[${K}], ctl[${N}]);
  Atomics.store(ctl, ${DONE}, seen);
  Atomics.notify(ctl, ${DONE});
}
`;

interface GemmExports {
  gemm_nn(a: number, b: number, c: number, m: number, k: number, n: number): void;
}

export class ThreadedGemm {
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: GemmExports;
  private readonly worker: Worker;
  private readonly ctl: Int32Array;
  private seq = 0;

  constructor() {
    const bytes = Uint8Array.from(atob(KERNELS_SHARED_WASM_BASE64), (ch) => ch.charCodeAt(0));
    this.memory = new WebAssembly.Memory({ initial: 64, maximum: 32768, shared: true });
    const module = new WebAssembly.Module(bytes);
    this.kernels = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as GemmExports;
    this.ctl = new Int32Array(this.memory.buffer, 0, 16);
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { memory: this.memory, bytes } });
    // The worker sleeps in Atomics.wait between products; it must not keep the process alive.
    this.worker.unref();
  }

  private ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (have < bytes) this.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  /**
   * c = a[m,k]·b[k,n] where a, b, c are float32 views (c may be in another memory, e.g. the
   * tfjs heap). The worker takes the first rows, this thread the rest.
   */
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    const aOff = DATA;
    const bOff = aOff + m * k * 4;
    const cOff = bOff + ((k * n * 4 + 15) & ~15);
    this.ensure(cOff + m * n * 4);
    const buf = this.memory.buffer;
    new Float32Array(buf, aOff, m * k).set(a);
    new Float32Array(buf, bOff, k * n).set(b);
    const split = Math.min(m, Math.max(4, Math.round(m / 2 / 4) * 4));
    const ctl = this.ctl;
    ctl[A] = aOff;
    ctl[B] = bOff;
    ctl[C] = cOff;
    ctl[M] = split;
    ctl[K] = k;
    ctl[N] = n;
    const seq = ++this.seq;
    Atomics.store(ctl, SEQ, seq);
    Atomics.notify(ctl, SEQ);
    if (split < m) this.kernels.gemm_nn(aOff + split * k * 4, bOff, cOff + split * n * 4, m - split, k, n);
    // Wait on the value we compared, so a store between the check and the wait cannot be missed.
    for (let d = Atomics.load(ctl, DONE); d !== seq; d = Atomics.load(ctl, DONE)) Atomics.wait(ctl, DONE, d, 10_000);
    c.set(new Float32Array(this.memory.buffer, cOff, m * n));
  }

  dispose(): void {
    Atomics.store(this.ctl, SEQ, -1);
    Atomics.notify(this.ctl, SEQ);
    void this.worker.terminate();
  }
}

let pool: ThreadedGemm | null = null;
let threads = 1;
/** Products below this many multiply-adds stay on one thread (copies and wake-up cost ~0.1 ms). */
const MIN_MACS = 2_000_000;

/** Sets the threads our kernels may use (1 = no worker). Returns the count in effect. */
export function setKernelThreads(n: number): number {
  threads = n >= 2 ? 2 : 1;
  if (threads === 1 && pool) {
    pool.dispose();
    pool = null;
  }
  if (threads === 2 && !pool) {
    try {
      pool = new ThreadedGemm();
    } catch {
      threads = 1;
    }
  }
  return threads;
}

/** The two-thread GEMM when it is on and the product is big enough, else null. */
export function threadedGemmFor(m: number, k: number, n: number): ThreadedGemm | null {
  return threads === 2 && pool !== null && m >= 8 && m * k * n >= MIN_MACS ? pool : null;
}
