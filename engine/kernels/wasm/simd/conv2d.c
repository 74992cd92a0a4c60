// The filter gradient of an image convolution (NHWC) without the whole column matrix:
//   dW[K, cout] = Σ_p cols[p, :]ᵀ · dy[p, :],  cols = im2col(x), K = kh·kw·cin, p over n·oh·ow.
// As one GEMM, colsᵀ[K, P] · dy[P, cout] has a huge inner dimension and few rows and columns, so
// every 4 rows of the product streamed all of dy (megabytes for a 28×28 image batch) again, and
// cols had to be unrolled and transposed in full first. Here the rows p go by in blocks of pb:
// a block of cols is unrolled into scratch (cache-sized), multiplied into dW with dy's block,
// and overwritten by the next. The sum over p runs in ascending order for every element, the
// same on any thread count (this kernel runs on one).
#include "kernels.h"

// C[K, N] += Aᵀ·B for A [R, K] and B [R, N], row-major: 4×8 register tiles of C held across
// the R rows, then 4-wide and single columns, then single rows.
static void gemm_tn_acc(const float *A, const float *B, float *C, int R, int K, int N) {
  int k = 0;
  for (; k + 4 <= K; k += 4) {
    float *c = C + (long)k * N;
    int j = 0;
    for (; j + 8 <= N; j += 8) {
      v128_t c00 = wasm_v128_load(c + j), c01 = wasm_v128_load(c + j + 4);
      v128_t c10 = wasm_v128_load(c + N + j), c11 = wasm_v128_load(c + N + j + 4);
      v128_t c20 = wasm_v128_load(c + 2 * N + j), c21 = wasm_v128_load(c + 2 * N + j + 4);
      v128_t c30 = wasm_v128_load(c + 3 * N + j), c31 = wasm_v128_load(c + 3 * N + j + 4);
      const float *a = A + k, *b = B + j;
      for (int r = 0; r < R; r++, a += K, b += N) {
        v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
        v128_t a0 = wasm_v128_load32_splat(a);
        c00 = MADD(a0, b0, c00); c01 = MADD(a0, b1, c01);
        a0 = wasm_v128_load32_splat(a + 1);
        c10 = MADD(a0, b0, c10); c11 = MADD(a0, b1, c11);
        a0 = wasm_v128_load32_splat(a + 2);
        c20 = MADD(a0, b0, c20); c21 = MADD(a0, b1, c21);
        a0 = wasm_v128_load32_splat(a + 3);
        c30 = MADD(a0, b0, c30); c31 = MADD(a0, b1, c31);
      }
      wasm_v128_store(c + j, c00); wasm_v128_store(c + j + 4, c01);
      wasm_v128_store(c + N + j, c10); wasm_v128_store(c + N + j + 4, c11);
      wasm_v128_store(c + 2 * N + j, c20); wasm_v128_store(c + 2 * N + j + 4, c21);
      wasm_v128_store(c + 3 * N + j, c30); wasm_v128_store(c + 3 * N + j + 4, c31);
    }
    for (; j + 4 <= N; j += 4) {
      v128_t c0 = wasm_v128_load(c + j), c1 = wasm_v128_load(c + N + j);
      v128_t c2 = wasm_v128_load(c + 2 * N + j), c3 = wasm_v128_load(c + 3 * N + j);
      const float *a = A + k, *b = B + j;
      for (int r = 0; r < R; r++, a += K, b += N) {
        v128_t b0 = wasm_v128_load(b);
        c0 = MADD(wasm_v128_load32_splat(a), b0, c0);
        c1 = MADD(wasm_v128_load32_splat(a + 1), b0, c1);
        c2 = MADD(wasm_v128_load32_splat(a + 2), b0, c2);
        c3 = MADD(wasm_v128_load32_splat(a + 3), b0, c3);
      }
      wasm_v128_store(c + j, c0); wasm_v128_store(c + N + j, c1);
      wasm_v128_store(c + 2 * N + j, c2); wasm_v128_store(c + 3 * N + j, c3);
    }
    for (; j < N; j++) {
      // Four rows of C in the lanes of one vector: A's four values are contiguous in each row.
      v128_t acc = wasm_f32x4_make(c[j], c[N + j], c[2 * N + j], c[3 * N + j]);
      const float *a = A + k, *b = B + j;
      for (int r = 0; r < R; r++, a += K, b += N) acc = MADD(wasm_v128_load(a), wasm_v128_load32_splat(b), acc);
      c[j] = wasm_f32x4_extract_lane(acc, 0);
      c[N + j] = wasm_f32x4_extract_lane(acc, 1);
      c[2 * N + j] = wasm_f32x4_extract_lane(acc, 2);
      c[3 * N + j] = wasm_f32x4_extract_lane(acc, 3);
    }
  }
  for (; k < K; k++) {
    float *c = C + (long)k * N;
    int j = 0;
    for (; j + 4 <= N; j += 4) {
      v128_t acc = wasm_v128_load(c + j);
      const float *a = A + k, *b = B + j;
      for (int r = 0; r < R; r++, a += K, b += N) acc = MADD(wasm_v128_load32_splat(a), wasm_v128_load(b), acc);
      wasm_v128_store(c + j, acc);
    }
    for (; j < N; j++) {
      float s = c[j];
      const float *a = A + k, *b = B + j;
      for (int r = 0; r < R; r++, a += K, b += N) s += *a * *b;
      c[j] = s;
    }
  }
}

// dW [kh, kw, cin, cout] for x [n, h, w, cin] and dy [n, oh, ow, cout]. scratch: pb·K floats,
// and K·cout more when swap. swap computes dWᵀ[cout, K] = dyᵀ·cols instead and transposes it at
// the end: the product's 8-wide tiles then run along K, for a cout (such as 6) that fills them
// badly.
EXPORT(conv2d_filter_grad)
void conv2d_filter_grad(const float *x, const float *dy, float *dW, float *scratch, int n, int h, int w, int cin,
                        int oh, int ow, int kh, int kw, int sh, int sw, int top, int left, int cout, int pb,
                        int swap) {
  const int K = kh * kw * cin, P = n * oh * ow;
  float *cols = scratch;
  float *dWT = scratch + (long)pb * K;
  float *acc = swap ? dWT : dW;
  zero_run(acc, K * cout);
  for (int p0 = 0; p0 < P; p0 += pb) {
    int rows = P - p0 < pb ? P - p0 : pb;
    unroll_rows(x, cols, h, w, cin, oh, ow, kh, kw, sh, sw, top, left, p0, p0 + rows);
    if (swap) gemm_tn_acc(dy + (long)p0 * cout, cols, dWT, rows, cout, K);
    else gemm_tn_acc(cols, dy + (long)p0 * cout, dW, rows, K, cout);
  }
  if (swap)
    for (int o = 0; o < cout; o++)
      for (int q = 0; q < K; q++) dW[(long)q * cout + o] = dWT[(long)o * K + q];
}

// y [n, oh, ow, cout] = im2col(x) · W for W [kh, kw, cin, cout], a block of pb rows of the
// column matrix at a time in scratch, multiplied by W packed once (the GEMM of the two-thread
// path, gemm_packed, so each row is the same bits either way). scratch: pb·K + K·⌈cout/8⌉·8 floats.
EXPORT(conv2d_forward)
void conv2d_forward(const float *x, const float *W, float *y, float *scratch, int n, int h, int w, int cin, int oh,
                    int ow, int kh, int kw, int sh, int sw, int top, int left, int cout, int pb) {
  const int K = kh * kw * cin, P = n * oh * ow;
  float *cols = scratch, *Wp = scratch + (long)pb * K;
  pack_b_rows(W, Wp, K, cout, 0, K);
  for (int p0 = 0; p0 < P; p0 += pb) {
    int rows = P - p0 < pb ? P - p0 : pb;
    unroll_rows(x, cols, h, w, cin, oh, ow, kh, kw, sh, sw, top, left, p0, p0 + rows);
    gemm_packed(cols, Wp, y + (long)p0 * cout, rows, K, cout);
  }
}

// dx [n, h, w, cin] = col2im(dy · Wᵀ) for W [kh, kw, cin, cout], a block of pb rows of dcols at
// a time in scratch, added into dx before the next is made: the column matrix's gradient is
// never whole. WT: Wᵀ [cout, K] (the caller transposes it). scratch: pb·K + cout·⌈K/8⌉·8 floats.
EXPORT(conv2d_input_grad)
void conv2d_input_grad(const float *dy, const float *WT, float *dx, float *scratch, int n, int h, int w, int cin,
                       int oh, int ow, int kh, int kw, int sh, int sw, int top, int left, int cout, int pb) {
  const int K = kh * kw * cin, P = n * oh * ow;
  float *dcols = scratch, *WTp = scratch + (long)pb * K;
  pack_b_rows(WT, WTp, cout, K, 0, cout);
  zero_run(dx, n * h * w * cin);
  for (int p0 = 0; p0 < P; p0 += pb) {
    int rows = P - p0 < pb ? P - p0 : pb;
    gemm_packed(dy + (long)p0 * cout, WTp, dcols, rows, cout, K);
    col2im_rows(dcols, dx, h, w, cin, oh, ow, kh, kw, sh, sw, top, left, p0, p0 + rows);
  }
}
