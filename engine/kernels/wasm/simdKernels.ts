/**
 * Loads our SIMD kernels (built from simd/*.c; kernels.wasm, or kernels-shared.wasm when the
 * heap is tfjs's shared one, in the build simdModule.ts chose) into the same memory as
 * tfjs-backend-wasm, so our kernels and tfjs's share tensors by heap offset. Null where this
 * WebAssembly engine lacks SIMD or the module fails to load; callers then keep tfjs's kernels.
 */
import type { ImplicitArgs, UnrollArgs } from './convGeometry';
import { kernelModule } from './simdModule';
import { heapIsShared, heapMemory, setGemmProvider, type WasmBackend } from './wasmBackend';

/** A convolution's geometry as the C kernels take it after their pointers: an unroll's, then the output channels. */
type ConvArgs = [...UnrollArgs, cout: number];

/** All pointers are byte offsets into the tfjs heap. */
export interface SimdKernels {
  im2col(x: number, cols: number, ...geometry: UnrollArgs): void;
  col2im(dcols: number, dx: number, ...geometry: UnrollArgs): void;
  transpose2d(a: number, b: number, rows: number, cols: number): void;
  gather_rows(table: number, ids: number, out: number, count: number, inner: number, rows: number): void;
  segment_sum_rows(x: number, ids: number, out: number, count: number, inner: number, nseg: number): void;
  /** dx of images [b0, b1); the pool's geometry in an unroll's order: channels for cin, the window for the kernel. */
  max_pool_grad_images(unused: number, x: number, dy: number, dx: number, ...geometry: [...UnrollArgs, b0: number, b1: number]): void;
  max_pool_forward_images(unused: number, x: number, y: number, idx: number, ...geometry: [...UnrollArgs, b0: number, b1: number]): void;
  max_pool_grad_index_images(unused: number, idx: number, dy: number, dx: number, ...geometry: [...UnrollArgs, b0: number, b1: number]): void;
  /** The GRU recurrence on batch rows [r0, r1) (simd/kernels.c): every buffer [n, T, ·] from its row r0, scratch 3·(r1 - r0)·u floats. */
  gru_forward_rows(
    scratch: number,
    gx: number,
    uk: number,
    mask: number,
    hs: number,
    hprev: number,
    z: number,
    r: number,
    hh: number,
    rh: number,
    n: number,
    t: number,
    u: number,
    hard: number,
    r0: number,
    r1: number,
  ): void;
  /** Its backward on rows [r0, r1); dy is [n, u] when last, else [n, T, u]; scratch 3·(r1 - r0)·u floats. */
  gru_backward_rows(
    scratch: number,
    ukT: number,
    mask: number,
    hprev: number,
    z: number,
    r: number,
    hh: number,
    dy: number,
    last: number,
    dgx: number,
    n: number,
    t: number,
    u: number,
    hard: number,
    r0: number,
    r1: number,
  ): void;
  /**
   * The LSTM recurrence on batch rows [r0, r1) (simd/lstm.c): every buffer [n, T, ·] from its
   * row r0, scratch (r1 - r0)·u floats; hlast (or 0) gets h_T [n, u].
   */
  lstm_forward_rows(
    scratch: number,
    gx: number,
    uk: number,
    mask: number,
    hs: number,
    hprev: number,
    cprev: number,
    gates: number,
    tc: number,
    hlast: number,
    n: number,
    t: number,
    u: number,
    hard: number,
    r0: number,
    r1: number,
  ): void;
  /** Its backward on rows [r0, r1); dy is [n, u] when last, else [n, T, u]; scratch 3·(r1 - r0)·u floats. */
  lstm_backward_rows(
    scratch: number,
    ukT: number,
    mask: number,
    cprev: number,
    gates: number,
    tc: number,
    dy: number,
    last: number,
    dgx: number,
    n: number,
    t: number,
    u: number,
    hard: number,
    r0: number,
    r1: number,
  ): void;
  gemm_nn(a: number, b: number, c: number, m: number, k: number, n: number): void;
  /** c = a·b with b packed by pack_b_rows (panels of 8 columns). */
  gemm_packed(a: number, bp: number, c: number, m: number, k: number, n: number): void;
  bn_forward(
    x: number,
    gamma: number,
    beta: number,
    y: number,
    mean: number,
    variance: number,
    scratch: number,
    rows: number,
    channels: number,
    eps: number,
  ): void;
  bn_backward(
    x: number,
    dy: number,
    gamma: number,
    mean: number,
    variance: number,
    dx: number,
    dgamma: number,
    dbeta: number,
    scratch: number,
    rows: number,
    channels: number,
    eps: number,
  ): void;
  equal_run(a: number, ia: number, b: number, ib: number, out: number, n: number): void;
  bias_act_forward(z: number, bias: number, y: number, rows: number, channels: number, act: number): void;
  /** bias_act_forward of rows [r0, r1), a chunk kernel. */
  bias_act_forward_rows(unused: number, z: number, bias: number, y: number, channels: number, act: number, r0: number, r1: number): void;
  /** adam on blocks [b0, b1) of 64 of the n elements, the scalars as float bits, a chunk kernel. */
  adam_chunk(
    unused: number,
    w: number,
    wOut: number,
    m: number,
    v: number,
    g: number,
    n: number,
    lrBits: number,
    b1Bits: number,
    b2Bits: number,
    epsBits: number,
    b0: number,
    b1: number,
  ): void;
  bias_act_backward(y: number, dy: number, dz: number, dbias: number, rows: number, channels: number, act: number): void;
  act_forward(x: number, y: number, n: number, act: number): void;
  act_backward(y: number, dy: number, dx: number, n: number, act: number): void;
  max_middle(x: number, out: number, outer: number, reduced: number, inner: number): void;
  mean_middle(x: number, out: number, outer: number, reduced: number, inner: number): void;
  mean_middle_grad(dy: number, dx: number, outer: number, reduced: number, inner: number): void;
  binary_bcast(a: number, b: number, out: number, n: number, nb: number, op: number): void;
  /** Chunks [ch0, ch1) of batch normalisation's partial sums (kind 0 Σx, 1 Σ(x − m)², 2 Σdy and Σdy·(x − m)), a chunk kernel. */
  bn_sum_chunks(
    unused: number,
    kind: number,
    x: number,
    dy: number,
    m: number,
    partial: number,
    rows: number,
    channels: number,
    ch0: number,
    ch1: number,
  ): void;
  /** Rows [r0, r1) of y = x·scale + shift (grad 0) or of batch normalisation's dx (grad 1), a chunk kernel. */
  bn_apply_rows(unused: number, grad: number, x: number, dy: number, m: number, k: number, out: number, channels: number, r0: number, r1: number): void;
  bn_mean(partial: number, mean: number, rows: number, channels: number): void;
  bn_forward_coeffs(partial: number, gamma: number, beta: number, mean: number, variance: number, k: number, rows: number, channels: number, eps: number): void;
  bn_backward_coeffs(
    partial: number,
    gamma: number,
    variance: number,
    dgamma: number,
    dbeta: number,
    k: number,
    rows: number,
    channels: number,
    eps: number,
  ): void;
  /** Dropout's mask of n floats from mulberry32's state a: scale where a draw is at least cut/2³², else 0 (kernels.c). */
  dropout_mask(out: number, n: number, a: number, cut: number, scale: number): void;
  max_middle_grad(x: number, y: number, dy: number, dx: number, outer: number, reduced: number, inner: number): void;
  moving_average(v: number, value: number, out: number, channels: number, decay: number): void;
  sum_leading(x: number, out: number, rows: number, cols: number): void;
  count_nonzero(x: number, n: number, limit: number): number;
  conv_sparse_forward(x: number, w: number, y: number, ...geometry: ConvArgs): void;
  conv_sparse_filter_grad(x: number, dy: number, dw: number, ...geometry: ConvArgs): void;
  /** x zero-padded to [n, hb, wb, cin] for the implicit convolutions (conv2d.c). */
  conv2d_pad(x: number, xp: number, n: number, h: number, w: number, cin: number, hb: number, wb: number, top: number, left: number): void;
  /** conv2d_pad of images [b0, b1), a chunk kernel. */
  conv2d_pad_images(
    unused: number,
    x: number,
    xp: number,
    h: number,
    w: number,
    cin: number,
    hb: number,
    wb: number,
    top: number,
    left: number,
    b0: number,
    b1: number,
  ): void;
  /** Rows [p0, p1) of y = im2col(x) · W read from the padded x, W packed by pack_b_rows (conv2d.c). */
  conv2d_forward_rows(unused: number, xp: number, wp: number, y: number, ...geometry: [...ImplicitArgs, p0: number, p1: number]): void;
  /** One chunk's partial filter gradient [K, ⌈cout/8⌉·8] at acc + (p0 / chunk)·K·⌈cout/8⌉·8 (conv2d.c). */
  conv2d_filter_grad_rows(dyp: number, xp: number, dy: number, acc: number, ...geometry: [...ImplicitArgs, chunk: number, p0: number, p1: number]): void;
  /** dW [K, cout] as the chunks' partial sums added in order (conv2d.c). */
  conv2d_filter_grad_reduce(acc: number, dw: number, chunks: number, k: number, cout: number): void;
  /** dx of images [b0, b1) from dy and Wᵀ [cout, K] packed, `pb` rows of dcols at a time in scratch (conv2d.c). */
  conv2d_input_grad_images(dcols: number, dy: number, wTp: number, dx: number, ...geometry: [...ConvArgs, pb: number, b0: number, b1: number]): void;
  pack_b_rows(b: number, bp: number, k: number, n: number, k0: number, k1: number): void;
  /** pack_b_rows of rows [k0, k1), as a chunk kernel of the two-thread pool. */
  pack_b_chunk(unused: number, b: number, bp: number, k: number, n: number, k0: number, k1: number): void;
  /** transpose2d of a's rows [r0, r1) only, as a chunk kernel of the two-thread pool. */
  transpose2d_rows(unused: number, a: number, b: number, rows: number, cols: number, r0: number, r1: number): void;
  /** Wf [kh, kw, cout, cin] = W [kh, kw, cin, cout] turned half a turn, channels swapped (conv2d.c). */
  conv2d_flip_filter(w: number, wf: number, kh: number, kw: number, cin: number, cout: number): void;
  adam(w: number, wOut: number, m: number, v: number, g: number, n: number, lrT: number, b1: number, b2: number, epsT: number): void;
}

const STACK_BYTES = 4096;
const loaded = new WeakMap<WebAssembly.Memory, SimdKernels | null>();

export function simdKernelsFor(backend: WasmBackend): SimdKernels | null {
  const memory = heapMemory(backend);
  const have = loaded.get(memory);
  if (have !== undefined) return have;
  let kernels: SimdKernels | null;
  try {
    // A shared heap (sharedHeap.ts) needs the build that imports a shared memory.
    const module = new WebAssembly.Module(heapIsShared(backend) ? kernelModule().shared : kernelModule().heap);
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    const ex = instance.exports as unknown as SimdKernels & { __stack_pointer: WebAssembly.Global };
    // The kernels use no stack today; should a compiler change make them, it lands in memory
    // we own rather than at the bottom of tfjs's heap.
    const stack = backend.wasm.asm.malloc(STACK_BYTES);
    ex.__stack_pointer.value = (stack + STACK_BYTES) & ~15;
    kernels = ex;
  } catch {
    kernels = null;
  }
  loaded.set(memory, kernels);
  return kernels;
}

setGemmProvider(simdKernelsFor);
