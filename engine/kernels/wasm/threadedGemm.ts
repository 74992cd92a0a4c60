/**
 * Our GEMM on two threads: the calling thread and one worker take chunks of C's rows from a
 * shared counter until none are left, so neither waits for the other (a worker that wakes late
 * simply takes fewer chunks). Every row is computed by the same code in the same order whichever
 * thread runs it and however the rows are chunked, so results do not depend on the thread count
 * at all. Used only where a product is large enough to repay the wake-up (threadedGemmFor).
 *
 * Both threads run our kernels (simd/kernels-shared.wasm) on one shared WebAssembly memory:
 * - By default that is tfjs's heap itself: the engine loads tfjs's threaded build, whose heap is
 *   a SharedArrayBuffer (sharedHeap.ts), and setWasmKernelThreads hands it here. Operands and
 *   results are the tensors where they lie (put and output return their offsets, get copies
 *   nothing); scratch (B packed, a convolution's columns) and the worker's stack come from
 *   tfjs's malloc.
 * - Where that build did not load, or with MODELWRIGHT_SHARED_HEAP=0, tfjs's heap is not shared,
 *   so the pool has a shared memory of its own: operands are copied into it and C is copied
 *   back. The convolutions also run their im2col, transposes and col2im in it
 *   (begin/put/alloc/get), so what crosses between the two memories is x, dy, the filter and
 *   the result, not the unrolled columns.
 * The control words the threads coordinate by are a small SharedArrayBuffer of their own.
 */
import { Worker } from 'node:worker_threads';
import { kernelModule } from './simdModule';
import type { UnrollArgs } from './convGeometry';
import type { SimdKernels } from './simdKernels';

/** Control words (indices into the control buffer, not the memory). */
const SEQ = 0;
const A = 2;
const B = 3;
const C = 4;
const M = 5;
const K = 6;
const N = 7;
/** Next free row, tagged with the product's sequence number in bits 20–30 (see claim()). */
const NEXT = 8;
/** Rows finished so far in the current product. */
const ROWS = 9;
const CHUNK = 10;
/** 1 while the worker sleeps (or is about to) in Atomics.wait: only then is a notify needed. */
const SLEEPING = 11;
/** Where x (or xᵀ) lies when each thread unrolls the rows it claims (see Unroll), 0 when a is given. */
const IM2COL_X = 12;
/** The unrolling's geometry, up to 12 words. */
const GEO = 16;
/** Which work: 1 im2col (rows of cols), 2 im2col_t1 (rows of colsᵀ from x transposed), before the GEMM; 3 a chunk kernel (runChunks). */
const UNROLL = 13;
/** 1 after park(): the worker stops spinning and sleeps until the next product. */
const PARK = 14;
/** Per-thread scratch of a chunk kernel (runChunks): SCRATCH the caller's, SCRATCH + 1 the worker's. */
const SCRATCH = 28;
/** For UNROLL 3 (a chunk kernel, see runChunks): which of ROW_KERNELS, its argument count, and its arguments. */
const FN = 30;
const NARGS = 31;
const ARGS = 32;
const MAX_ARGS = 32;
/**
 * Kernels of simd/conv2d.c, simd/lstm.c and simd/kernels.c (the GRU's) that take (per-thread scratch, ...arguments, r0, r1) and compute rows
 * [r0, r1) of a result the same way whichever thread runs them and however the rows are split.
 */
const ROW_KERNELS = [
  'conv2d_forward_rows',
  'conv2d_filter_grad_rows',
  'conv2d_input_grad_images',
  'max_pool_grad_images',
  'max_pool_forward_images',
  'max_pool_grad_index_images',
  'lstm_forward_rows',
  'lstm_backward_rows',
  'gru_forward_rows',
  'gru_backward_rows',
  'pack_b_chunk',
  'transpose2d_rows',
  'bn_sum_chunks',
  'bn_apply_rows',
  'bias_act_forward_rows',
  'adam_chunk',
  'conv2d_pad_images',
] as const;
export type RowKernel = (typeof ROW_KERNELS)[number];
const ROW_BITS = 20;
/** Fewer units (rows, chunks, blocks) than this a product or chunk kernel: a claim's row must fit in ROW_BITS. */
const MAX_UNITS = 1 << 19;
const TAG_MASK = 0x7ff;
/** In a memory of our own, data starts past the first 64 KiB, where the kernels module's own (unused) stack lies. */
const DATA = 65536;
const PAGE = 65536;
/**
 * How long the worker spins after a product before it sleeps in Atomics.wait: longer than the
 * gaps between the products of one training step, and between steps. A sleeping worker is slow
 * to wake on a virtual machine, whose idle core its host deschedules: here it started 20–100 µs
 * after the product was posted for 40% of products, 0.1–1 ms for 40%, and over 1 ms for 17%,
 * against ~1 ms for a whole product on two threads. Spinning through the step took 5–14% off
 * most convolutional steps in in-process A/Bs against 0.3 ms (docs/performance.md). OpenMP runtimes do the same
 * (Intel's KMP_BLOCKTIME is 200 ms). park() ends the spin at once; the training loop parks when
 * a run ends, and the bench before it times PyTorch.
 */
export const WORKER_SPIN_MS = 20;
/** How long this thread spins for the worker's last chunk before it sleeps in Atomics.wait. */
const SPIN_MS = 2;
/**
 * From this many floats a pass around the products runs on both threads: a transpose, B's packing
 * or the zero-padding (ThreadedGemm.transpose, packB, pad), and batch normalisation, bias and
 * activation, Adam (threadsForPasses). A filter gradient's x and dy, [positions, channels], are
 * ~0.5 MB at batch 64, and their transposes and packing alone took 0.5–0.9 ms a step of one
 * thread's time in an Embedding + Conv1D step of ~15 ms.
 */
const PARALLEL_MOVE_FLOATS = 64 * 1024;

/**
 * The chunk loop both threads run (as source, so the worker gets the same code). A chunk is
 * claimed by compare-and-swap on NEXT only while NEXT carries the tag of the product this
 * thread woke for and has rows left, so a thread that arrives after its product is done (and
 * another may have started) takes nothing. The operands are read again after each claim: a
 * claimed chunk keeps its product from finishing, so they are that product's.
 */
const CLAIM_LOOP = `(ctl, kernels, tag, me) => {
  const m0 = ctl[${M}];
  for (;;) {
    const v = Atomics.load(ctl, ${NEXT});
    const row = v & ${(1 << ROW_BITS) - 1};
    if ((v >>> ${ROW_BITS}) !== tag || row >= m0) return;
    const chunk = ctl[${CHUNK}];
    if (Atomics.compareExchange(ctl, ${NEXT}, v, v + chunk) !== v) continue;
    const a = ctl[${A}], b = ctl[${B}], c = ctl[${C}], m = ctl[${M}], k = ctl[${K}], n = ctl[${N}];
    const rows = Math.min(chunk, m - row);
    if (rows <= 0) continue;
    if (ctl[${UNROLL}] === 3) {
      const args = [ctl[${SCRATCH} + me]];
      for (let i = 0, n = ctl[${NARGS}]; i < n; i++) args.push(ctl[${ARGS} + i]);
      args.push(row, row + rows);
      kernels[${JSON.stringify(ROW_KERNELS)}[ctl[${FN}]]](...args);
      Atomics.add(ctl, ${ROWS}, rows);
      Atomics.notify(ctl, ${ROWS});
      continue;
    }
    const xp = ctl[${IM2COL_X}];
    if (xp !== 0 && ctl[${UNROLL}] === 2) {
      kernels.im2col_t1_rows(xp, a, ctl[${GEO}], ctl[${GEO + 1}], ctl[${GEO + 2}], ctl[${GEO + 3}], ctl[${GEO + 4}],
        ctl[${GEO + 5}], ctl[${GEO + 6}], row, row + rows);
    } else if (xp !== 0) {
      kernels.im2col_rows(xp, a, ctl[${GEO}], ctl[${GEO + 1}], ctl[${GEO + 2}], ctl[${GEO + 3}], ctl[${GEO + 4}],
        ctl[${GEO + 5}], ctl[${GEO + 6}], ctl[${GEO + 7}], ctl[${GEO + 8}], ctl[${GEO + 9}], ctl[${GEO + 10}],
        ctl[${GEO + 11}], row, row + rows);
    }
    kernels.gemm_packed(a + row * k * 4, b, c + row * n * 4, rows, k, n);
    Atomics.add(ctl, ${ROWS}, rows);
    Atomics.notify(ctl, ${ROWS});
  }
}`;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { memory, bytes, control, stack } = workerData;
const kernels = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
if (stack !== 0) kernels.__stack_pointer.value = stack;
const ctl = new Int32Array(control);
const claim = ${CLAIM_LOOP};
let seen = 0;
for (;;) {
  // Spin before sleeping (WORKER_SPIN_MS), unless parked.
  const until = performance.now() + ${WORKER_SPIN_MS};
  while (Atomics.load(ctl, ${SEQ}) === seen && Atomics.load(ctl, ${PARK}) === 0 && performance.now() < until);
  // Flag first, then wait on SEQ: a product posted after the flag is seen by the wait itself,
  // one posted before it made the poster find the flag clear and skip the notify, but then
  // the wait sees the new SEQ and returns at once.
  if (Atomics.load(ctl, ${SEQ}) === seen) {
    Atomics.store(ctl, ${SLEEPING}, 1);
    Atomics.wait(ctl, ${SEQ}, seen);
    Atomics.store(ctl, ${SLEEPING}, 0);
  }
  seen = Atomics.load(ctl, ${SEQ});
  if (seen < 0) break;
  claim(ctl, kernels, seen & ${TAG_MASK}, 1);
}
`;

interface GemmExports {
  gemm_nn(a: number, b: number, c: number, m: number, k: number, n: number): void;
  /** c = a·b with b packed by pack_b_rows (panels of 8 columns, kernels.c). */
  gemm_packed(a: number, bp: number, c: number, m: number, k: number, n: number): void;
  pack_b_rows(b: number, bp: number, k: number, n: number, k0: number, k1: number): void;
  im2col_rows(x: number, cols: number, ...geometry: [...UnrollArgs, r0: number, r1: number]): void;
  im2col_t1_rows(xT: number, colsT: number, n: number, w: number, cin: number, ow: number, kw: number, sw: number, left: number, r0: number, r1: number): void;
}

/**
 * How a is filled while it is multiplied: `im2col` (geometry n, h, w, cin, oh, ow, kh, kw, sh,
 * sw, top, left) or `im2col_t1` (n, w, cin, ow, kw, sw, left) of x.
 */
export interface Unroll {
  kind: 'im2col' | 'im2col_t1';
  x: number;
  geometry: readonly number[];
}

/** Our kernels on the shared memory (this thread's instance); pointers are byte offsets in it. */
export type SharedKernels = GemmExports & Pick<SimdKernels, 'im2col' | 'col2im' | 'transpose2d' | 'conv2d_pad' | 'conv2d_filter_grad_reduce' | RowKernel>;

const claimRows = new Function(`return ${CLAIM_LOOP}`)() as (ctl: Int32Array, kernels: SharedKernels, tag: number, me: number) => void;

/** Rows per claim: about 16 chunks per product, whole 4-row tiles, at least 8 rows. */
export function chunkRows(m: number): number {
  return Math.max(8, Math.ceil(m / 16 / 4) * 4);
}

/**
 * tfjs's heap when it is itself shared (sharedHeap.ts): the worker then works on tensors where
 * they lie, and scratch buffers come from tfjs's allocator.
 */
export interface SharedTfjsHeap {
  memory: WebAssembly.Memory;
  /** Our kernels' instance on that memory (simdKernels.ts), for this thread. */
  kernels: SharedKernels;
  malloc(bytes: number): number;
  free(ptr: number): void;
}

const STACK_BYTES = 4096;

export class ThreadedGemm {
  private readonly memory: WebAssembly.Memory;
  /** This thread's kernels on the shared memory, for the work around a product (im2col, …). */
  readonly kernels: SharedKernels;
  private readonly worker: Worker;
  private readonly ctl: Int32Array;
  private seq = 0;
  /** tfjs's shared heap when we work in it; null when we have a memory of our own. */
  private readonly heap: SharedTfjsHeap | null;
  /** Scratch for the current operation: [base, base + size) in the memory, used up to top. */
  private base = DATA;
  private size = Number.POSITIVE_INFINITY;
  private top = DATA;
  /** Scratch blocks of tfjs's heap to free at the next begin() (heap mode), and the worker's stack. */
  private retired: number[] = [];
  /** What tfjs's malloc returned for the current scratch block (base is it rounded up to 16). */
  private block = 0;
  private readonly workerStack: number;
  /** The tensor (tfjs dataId) copied to DATA first by this operation and by the one before. */
  private first: { key: unknown; floats: number } | null = null;
  private previousFirst: { key: unknown; floats: number } | null = null;

  constructor(heap: SharedTfjsHeap | null = null) {
    const bytes = kernelModule().shared;
    this.heap = heap;
    const control = new SharedArrayBuffer(64 * 4);
    this.ctl = new Int32Array(control);
    if (heap !== null) {
      this.memory = heap.memory;
      this.kernels = heap.kernels;
      this.base = this.top = 0;
      this.size = 0;
      this.workerStack = heap.malloc(STACK_BYTES);
    } else {
      this.memory = new WebAssembly.Memory({ initial: 64, maximum: 32768, shared: true });
      const module = new WebAssembly.Module(bytes);
      this.kernels = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as SharedKernels;
      this.workerStack = 0;
    }
    const stack = heap !== null ? (this.workerStack + STACK_BYTES) & ~15 : 0;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { memory: this.memory, bytes, control, stack } });
    // The worker sleeps in Atomics.wait between products; it must not keep the process alive.
    this.worker.unref();
  }

  /** Whether this pool works in `heap` (or in a memory of its own, for null). */
  works(heap: SharedTfjsHeap | null): boolean {
    return (this.heap?.memory ?? null) === (heap?.memory ?? null);
  }

  /** True when operands are tfjs's tensors themselves (put and get copy nothing). */
  get inPlace(): boolean {
    return this.heap !== null;
  }

  private ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (have < bytes) this.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  /** Starts an operation in the shared memory: the last one's buffers are free again. */
  begin(): void {
    this.top = this.base;
    this.previousFirst = this.first;
    this.first = null;
    if (this.heap !== null) {
      for (const p of this.retired) this.heap.free(p);
      this.retired = [];
    }
  }

  /** A buffer of `floats` floats in the shared memory (16-byte aligned), valid until begin(). */
  alloc(floats: number): number {
    const bytes = (floats * 4 + 15) & ~15;
    if (this.heap !== null && this.top + bytes > this.base + this.size) {
      // A bigger block from tfjs's allocator; the old one may still hold this operation's
      // buffers, so it is freed at the next begin(). Blocks only move at a begin().
      if (this.block !== 0) this.retired.push(this.block);
      this.size = Math.max(bytes, 2 * this.size, 1 << 20);
      this.block = this.heap.malloc(this.size + 16);
      if (this.block === 0) throw new Error('the wasm heap is out of memory');
      this.base = this.top = (this.block + 15) & ~15;
    }
    const at = this.top;
    this.top = at + bytes;
    if (this.heap === null) this.ensure(this.top);
    return at;
  }

  /** `src` (a view of the tfjs heap) in the shared memory: itself when the heap is shared, else a copy. */
  put(src: Float32Array): number {
    if (this.heap !== null) return src.byteOffset;
    const at = this.alloc(src.length);
    new Float32Array(this.memory.buffer, at, src.length).set(src);
    return at;
  }

  /**
   * put() as the operation's first buffer, of a tensor whose data cannot change while its
   * tfjs dataId lives (on the wasm backend every kernel writes a new buffer). When the
   * operation before copied the same tensor first, it is still there (operations only read
   * their inputs) and is not copied again: a convolution's input gradient and filter gradient
   * both start with dy.
   */
  putFirst(key: unknown, src: Float32Array): number {
    if (this.heap !== null) return src.byteOffset;
    if (this.top !== DATA) return this.put(src);
    const prev = this.previousFirst;
    this.first = { key, floats: src.length };
    if (prev !== null && prev.key === key && prev.floats === src.length) return this.alloc(src.length);
    return this.put(src);
  }

  /**
   * Where to write a result that ends in `dst` (a view of the tfjs heap): dst itself when the
   * heap is shared, else a new buffer; get() then copies it into dst, or nothing.
   */
  output(dst: Float32Array): number {
    return this.heap !== null ? dst.byteOffset : this.alloc(dst.length);
  }

  /** Copies dst.length floats from the shared buffer at `at` into dst (nothing when dst is there). */
  get(at: number, dst: Float32Array): void {
    if (this.heap !== null && dst.byteOffset === at) return;
    dst.set(new Float32Array(this.memory.buffer, at, dst.length));
  }

  /**
   * c = a[m,k]·b[k,n] on both threads, all three in the shared memory. With `unroll`, a is
   * first filled as im2col(x) would fill it, or for `im2col_t1` as colsᵀ from xᵀ (kernels.c's
   * im2col_t1_rows), each thread unrolling the rows it claims just
   * before multiplying them (the same values: the product does not change).
   */
  gemmShared(a: number, b: number, c: number, m: number, k: number, n: number, unroll?: Unroll): void {
    // B is packed once here (both threads then stream contiguous panels of it); the copy costs
    // k·n moves against m·k·n multiply-adds. First: on two threads it is a product of its own.
    const bp = this.alloc(Math.ceil(n / 8) * 8 * k);
    this.packB(b, bp, k, n);
    const ctl = this.ctl;
    ctl[IM2COL_X] = unroll ? unroll.x : 0;
    ctl[UNROLL] = unroll?.kind === 'im2col_t1' ? 2 : 1;
    if (unroll) for (let i = 0; i < unroll.geometry.length; i++) ctl[GEO + i] = unroll.geometry[i]!;
    ctl[A] = a;
    ctl[B] = bp;
    ctl[C] = c;
    ctl[M] = m;
    ctl[K] = k;
    ctl[N] = n;
    ctl[CHUNK] = chunkRows(m);
    this.run(m);
  }

  /**
   * B [k, n] packed into bp as pack_b_rows does, on both threads where B is large (a filter
   * gradient's B is dy, [positions, channels]), else here.
   */
  packB(b: number, bp: number, k: number, n: number): void {
    if (k * n < PARALLEL_MOVE_FLOATS) this.kernels.pack_b_rows(b, bp, k, n, 0, k);
    else this.runChunks('pack_b_chunk', [b, bp, k, n], k, chunkRows(k), 0);
  }

  /** xp [n, hb, wb, cin] = x zero-padded as conv2d_pad does, on both threads (by images) where xp is large, else here. */
  pad(x: number, xp: number, n: number, h: number, w: number, cin: number, hb: number, wb: number, top: number, left: number): void {
    if (n < 2 || n * hb * wb * cin < PARALLEL_MOVE_FLOATS) this.kernels.conv2d_pad(x, xp, n, h, w, cin, hb, wb, top, left);
    else this.runChunks('conv2d_pad_images', [x, xp, h, w, cin, hb, wb, top, left], n, Math.max(1, Math.ceil(n / 16)), 0);
  }

  /** b [cols, rows] = a [rows, cols] transposed, on both threads where a is large, else here. */
  transpose(a: number, b: number, rows: number, cols: number): void {
    if (rows * cols < PARALLEL_MOVE_FLOATS) this.kernels.transpose2d(a, b, rows, cols);
    // Chunks of whole 32-row tiles, as transpose2d tiles them.
    else this.runChunks('transpose2d_rows', [a, b, rows, cols], rows, Math.max(32, Math.ceil(rows / 16 / 32) * 32), 0);
  }

  /**
   * Runs `kernel`(scratch, ...args, r0, r1) over rows [0, m) on both threads, `chunk` rows a
   * claim (chunks start at multiples of it), each thread with `scratchFloats` floats of scratch
   * of its own. Pointers in args are offsets in the shared memory.
   */
  runChunks(kernel: RowKernel, args: readonly number[], m: number, chunk: number, scratchFloats: number): void {
    if (args.length > MAX_ARGS) throw new Error(`runChunks: ${kernel} has ${args.length} arguments, at most ${MAX_ARGS}`);
    // More would overflow the claim counter's row bits, and its product would never finish.
    if (m >= MAX_UNITS) throw new Error(`runChunks: ${kernel} over ${m} units, fewer than ${MAX_UNITS} allowed`);
    const ctl = this.ctl;
    ctl[UNROLL] = 3;
    ctl[FN] = ROW_KERNELS.indexOf(kernel);
    ctl[NARGS] = args.length;
    for (let i = 0; i < args.length; i++) ctl[ARGS + i] = args[i]!;
    ctl[SCRATCH] = scratchFloats > 0 ? this.alloc(scratchFloats) : 0;
    ctl[SCRATCH + 1] = scratchFloats > 0 ? this.alloc(scratchFloats) : 0;
    ctl[M] = m;
    ctl[CHUNK] = chunk;
    this.run(m);
  }

  /** Hands the product set up in ctl (rows [0, m)) to the worker and claims chunks of it here too. */
  private run(m: number): void {
    const ctl = this.ctl;
    const seq = (this.seq = (this.seq + 1) & 0x3fffffff);
    const tag = seq & TAG_MASK;
    Atomics.store(ctl, PARK, 0);
    Atomics.store(ctl, ROWS, 0);
    Atomics.store(ctl, NEXT, tag << ROW_BITS);
    Atomics.store(ctl, SEQ, seq);
    // Waking a sleeping thread is a system call (~50 µs here); a spinning one sees SEQ change.
    if (Atomics.load(ctl, SLEEPING) !== 0) Atomics.notify(ctl, SEQ);
    claimRows(ctl, this.kernels, tag, 0);
    // The worker's last chunk is usually done within a chunk's time: spin, then sleep. Wait on
    // the value we compared, so a store between the check and the wait cannot be missed.
    const until = performance.now() + SPIN_MS;
    while (Atomics.load(ctl, ROWS) < m && performance.now() < until);
    for (let d = Atomics.load(ctl, ROWS); d < m; d = Atomics.load(ctl, ROWS)) Atomics.wait(ctl, ROWS, d, 10_000);
  }

  /**
   * c = a[m,k]·b[k,n] where a, b, c are float32 views of the tfjs heap: multiplied in place on
   * both threads when that heap is the shared memory, else copied in, multiplied, copied back.
   */
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    this.begin();
    if (this.heap !== null) {
      this.gemmShared(a.byteOffset, b.byteOffset, c.byteOffset, m, k, n);
      return;
    }
    const aOff = this.put(a);
    const bOff = this.put(b);
    const cOff = this.alloc(m * n);
    this.gemmShared(aOff, bOff, cOff, m, k, n);
    this.get(cOff, c);
  }

  /** Ends the worker's spin now: it sleeps until the next product (which wakes it as usual). */
  park(): void {
    Atomics.store(this.ctl, PARK, 1);
  }

  /** Whether the worker sleeps in Atomics.wait (or is about to), rather than spinning or working. */
  get workerSleeping(): boolean {
    return Atomics.load(this.ctl, SLEEPING) !== 0;
  }

  dispose(): void {
    Atomics.store(this.ctl, SEQ, -1);
    Atomics.notify(this.ctl, SEQ);
    void this.worker.terminate().then(() => {
      // The worker's stack and the scratch are tfjs's heap: free them once it has stopped.
      if (this.heap === null) return;
      this.begin();
      if (this.block !== 0) this.heap.free(this.block);
      this.heap.free(this.workerStack);
    });
  }
}

let pool: ThreadedGemm | null = null;
let threads = 1;
/** Products below this many multiply-adds stay on one thread (the wake-up, and any copies, cost ~0.1 ms). */
const MIN_MACS = 2_000_000;
/**
 * A plain matrix product (BatchMatMul, _FusedMatMul: Dense layers, the recurrent layers'
 * projections) stays on one thread below this: its one-thread path packs nothing, while two
 * threads pack B first and pay the handoff. A digits LeNet's Dense products (3M multiply-adds
 * and less, batch 64) took 2.1–2.3 ms a step on two threads against 1.3–1.5 ms on one
 * (three alternating pairs of profiles, load 2.4–3).
 */
export const MIN_MATMUL_MACS = 5_000_000;

/**
 * Sets the threads our kernels may use (1 = no worker). Returns the count in effect. With
 * `heap`, the worker works in tfjs's shared heap (the wasm backend's, see sharedHeap.ts).
 */
export function setKernelThreads(n: number, heap: SharedTfjsHeap | null = null): number {
  threads = n >= 2 ? 2 : 1;
  if (pool && (threads === 1 || !pool.works(heap))) {
    pool.dispose();
    pool = null;
  }
  if (threads === 2 && !pool) {
    try {
      pool = new ThreadedGemm(heap);
    } catch {
      threads = 1;
    }
  }
  return threads;
}

/**
 * Lets the kernels' worker thread sleep now instead of spinning for the next product (see
 * WORKER_SPIN_MS): at the end of a training run, and before timing anything else on this machine.
 */
export function parkKernelThreads(): void {
  pool?.park();
}

/** The worker thread's state, for tests: none (one thread), sleeping, or awake (spinning or working). */
export function kernelWorkerState(): 'none' | 'sleeping' | 'awake' {
  if (pool === null || threads !== 2) return 'none';
  return pool.workerSleeping ? 'sleeping' : 'awake';
}

/**
 * The two threads for a chunk kernel (runChunks) over `m` units whose work is about `cost`
 * multiply-adds' worth in all, when threads are on and that repays the wake-up, else null.
 */
export function threadsForWork(m: number, cost: number): ThreadedGemm | null {
  return threads === 2 && pool !== null && m >= 2 && m < MAX_UNITS && cost >= MIN_MACS ? pool : null;
}

/**
 * The two threads for passes over `floats` floats of tfjs's heap in place, claimed in `units`
 * (rows, chunks or blocks), when threads are on, the heap is the pool's memory, and there is
 * enough to share (PARALLEL_MOVE_FLOATS); else null. Over an unshared heap the copies in and out
 * would cost more than the pass.
 */
export function threadsForPasses(floats: number, units: number): ThreadedGemm | null {
  return threads === 2 && pool !== null && pool.inPlace && floats >= PARALLEL_MOVE_FLOATS && units >= 2 && units < MAX_UNITS ? pool : null;
}

/** y = act(z + bias) (kernels.c bias_act_forward) on both threads where threadsForPasses allows, else on this one. */
export function biasActForward(
  simd: Pick<SimdKernels, 'bias_act_forward'>,
  z: number,
  bias: number,
  y: number,
  rows: number,
  channels: number,
  act: number,
): void {
  const t = threadsForPasses(rows * channels, rows);
  if (t === null) simd.bias_act_forward(z, bias, y, rows, channels, act);
  else t.runChunks('bias_act_forward_rows', [z, bias, y, channels, act], rows, chunkRows(rows), 0);
}

/** Elements a unit of adam_chunk (ADAM_BLOCK in simd/kernels.c). */
const ADAM_BLOCK = 64;

const bitsF32 = new Float32Array(1);
const bitsI32 = new Int32Array(bitsF32.buffer);
/** The bits of x rounded to float32, as an integer (a chunk kernel's arguments are integers). */
function floatBits(x: number): number {
  bitsF32[0] = x;
  return bitsI32[0]!;
}

/** One Adam update of n weights (kernels.c adam) on both threads where threadsForPasses allows, else on this one. */
export function adamUpdate(
  simd: Pick<SimdKernels, 'adam'>,
  w: number,
  wOut: number,
  m: number,
  v: number,
  g: number,
  n: number,
  lrT: number,
  beta1: number,
  beta2: number,
  epsT: number,
): void {
  const blocks = Math.ceil(n / ADAM_BLOCK);
  const t = threadsForPasses(n, blocks);
  if (t === null) simd.adam(w, wOut, m, v, g, n, lrT, beta1, beta2, epsT);
  else t.runChunks('adam_chunk', [w, wOut, m, v, g, n, floatBits(lrT), floatBits(beta1), floatBits(beta2), floatBits(epsT)], blocks, chunkRows(blocks), 0);
}

/** The two-thread GEMM when it is on and the product is big enough (`minMacs`), else null. */
export function threadedGemmFor(m: number, k: number, n: number, minMacs = MIN_MACS): ThreadedGemm | null {
  return threads === 2 && pool !== null && m >= 8 && m < MAX_UNITS && m * k * n >= minMacs ? pool : null;
}
