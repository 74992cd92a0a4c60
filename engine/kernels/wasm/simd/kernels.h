// What every kernel source shares: the SIMD intrinsics, the export attribute, short vector runs,
// the small GEMM of the recurrent kernels, and the activations on one lane and on four.
// Header-only (static inline) except gemm, which kernels.c defines once.
#ifndef MODELWRIGHT_KERNELS_H
#define MODELWRIGHT_KERNELS_H
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

// c + a·b per lane. Built with -mrelaxed-simd (kernels-relaxed*.wasm) it is one fused
// multiply-add where the CPU has one (the loader picks that module only where the engine
// validates relaxed SIMD); otherwise a multiply then an add. Results differ only in rounding.
#ifdef __wasm_relaxed_simd__
#define MADD(a, b, c) wasm_f32x4_relaxed_madd((a), (b), (c))
#else
#define MADD(a, b, c) wasm_f32x4_add((c), wasm_f32x4_mul((a), (b)))
#endif

static inline void copy_run(float *restrict d, const float *restrict s, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(d + i, wasm_v128_load(s + i));
  for (; i < n; i++) d[i] = s[i];
}

static inline void zero_run(float *d, int n) {
  int i = 0;
  v128_t z = wasm_f32x4_splat(0.f);
  for (; i + 4 <= n; i += 4) wasm_v128_store(d + i, z);
  for (; i < n; i++) d[i] = 0.f;
}

static inline void add_run(float *restrict d, const float *restrict s, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(d + i, wasm_f32x4_add(wasm_v128_load(d + i), wasm_v128_load(s + i)));
  for (; i < n; i++) d[i] += s[i];
}

// Stores the first w (1..8) of 8 floats. No stack array: the two GEMM threads' instances share
// one stack region.
static inline void store_cols(float *c, v128_t lo, v128_t hi, int w) {
  if (w == 8) {
    wasm_v128_store(c, lo);
    wasm_v128_store(c + 4, hi);
    return;
  }
  v128_t rest = lo;
  if (w >= 4) {
    wasm_v128_store(c, lo);
    c += 4;
    w -= 4;
    rest = hi;
  }
  if (w >= 1) c[0] = wasm_f32x4_extract_lane(rest, 0);
  if (w >= 2) c[1] = wasm_f32x4_extract_lane(rest, 1);
  if (w >= 3) c[2] = wasm_f32x4_extract_lane(rest, 2);
}

// Rows [r0, r1) of im2col's column matrix for an NHWC x, written from d on (kernels.c).
void unroll_rows(const float *x, float *d, int h, int w, int cin, int oh, int ow, int kh, int kw,
                 int sh, int sw, int top, int left, int r0, int r1);

// dx += col2im of rows [r0, r1) of the column matrix, read from d on (kernels.c).
void col2im_rows(const float *d, float *dx, int h, int w, int cin, int oh, int ow, int kh, int kw,
                 int sh, int sw, int top, int left, int r0, int r1);

// b [cols, rows] = a [rows, cols] transposed, in SIMD tiles (kernels.c).
void transpose2d(const float *restrict a, float *restrict b, int rows, int cols);

// B [K, N] packed into panels of 8 columns (rows [k0, k1)), and C = A·B from the packed B (kernels.c).
void pack_b_rows(const float *B, float *Bp, int K, int N, int k0, int k1);
void gemm_packed(const float *A, const float *Bp, float *C, int M, int K, int N);

// C[M,N] = (acc ? C : 0) + A[M,K]·B[K,N], all row-major with leading dimensions (kernels.c).
void gemm(const float *A, int lda, const float *B, int ldb, float *C, int ldc, int M, int K, int N, int acc);

// ---- Activations, one lane and four: the four-lane forms do the scalar ones' operations in the
// same order, so a loop's scalar tail for u mod 4 agrees with its vector body bit for bit; only
// MADD's fusing in the relaxed build rounds differently. ----

// k = round(q) to nearest, ties to even, by adding and subtracting 1.5·2^23 (|q| < 2^22): the
// sum's low mantissa bits then hold k, which the vector form reads from the bits.
#define ROUND_MAGIC 12582912.f

// e^x to ~1e-7 relative: x = k·ln2 + r, |r| ≤ ln2/2 (ln2 split in two for an exact k·ln2),
// degree-7 Taylor polynomial, then ·2^k. x is clamped to [-87, 88], where 2^k stays normal.
static inline float exp_(float x) {
  if (x < -87.f) x = -87.f;
  if (x > 88.f) x = 88.f;
  float kf = (x * 1.44269504f + ROUND_MAGIC) - ROUND_MAGIC;
  float r = (x - kf * 0.693145752f) - kf * 1.42860677e-6f;
  float p = 0.000198412698f;
  p = 0.00138888889f + p * r;
  p = 0.00833333333f + p * r;
  p = 0.0416666667f + p * r;
  p = 0.166666667f + p * r;
  p = 0.5f + p * r;
  p = 1.f + p * r;
  p = 1.f + p * r;
  union { float f; int i; } s;
  s.i = ((int)kf + 127) << 23;
  return p * s.f;
}
static inline float sigmoid_(float x) { return 1.f / (1.f + exp_(-x)); }
static inline float tanh_(float x) {
  float a = x < 0 ? -x : x;
  float e = exp_(-2.f * a);
  float t = (1.f - e) / (1.f + e);
  return x < 0 ? -t : t;
}
static inline float hard_sigmoid_(float x) {
  float y = 0.2f * x + 0.5f;
  return y < 0.f ? 0.f : y > 1.f ? 1.f : y;
}
// The recurrent activation (the gates of a GRU or LSTM): sigmoid, or hardSigmoid when hard.
static inline float gate(float x, int hard) { return hard ? hard_sigmoid_(x) : sigmoid_(x); }
// The recurrent activation's derivative from its output y.
static inline float gate_grad(float y, int hard) {
  if (hard) return (y > 0.f && y < 1.f) ? 0.2f : 0.f;
  return y * (1.f - y);
}

// exp_ on four lanes. pmin/pmax (pmax(a, b) = a < b ? b : a) are the scalar clamps' own
// comparisons and one instruction each on x86, where min/max need fix-ups for NaN and -0.
static inline v128_t exp4(v128_t x) {
  x = wasm_f32x4_pmin(wasm_f32x4_pmax(x, wasm_f32x4_splat(-87.f)), wasm_f32x4_splat(88.f));
  const v128_t magic = wasm_f32x4_splat(ROUND_MAGIC);
  v128_t qm = wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504f)), magic);
  v128_t kf = wasm_f32x4_sub(qm, magic);
  v128_t r = wasm_f32x4_sub(wasm_f32x4_sub(x, wasm_f32x4_mul(kf, wasm_f32x4_splat(0.693145752f))),
                            wasm_f32x4_mul(kf, wasm_f32x4_splat(1.42860677e-6f)));
  v128_t p = wasm_f32x4_splat(0.000198412698f);
  p = MADD(p, r, wasm_f32x4_splat(0.00138888889f));
  p = MADD(p, r, wasm_f32x4_splat(0.00833333333f));
  p = MADD(p, r, wasm_f32x4_splat(0.0416666667f));
  p = MADD(p, r, wasm_f32x4_splat(0.166666667f));
  p = MADD(p, r, wasm_f32x4_splat(0.5f));
  p = MADD(p, r, wasm_f32x4_splat(1.f));
  p = MADD(p, r, wasm_f32x4_splat(1.f));
  v128_t k = wasm_i32x4_sub(qm, magic);  // the integer k, from the bits
  return wasm_f32x4_mul(p, wasm_i32x4_shl(wasm_i32x4_add(k, wasm_i32x4_splat(127)), 23));
}

static inline v128_t tanh4(v128_t x) {
  const v128_t one = wasm_f32x4_splat(1.f), sign = wasm_i32x4_splat((int)0x80000000);
  v128_t e = exp4(wasm_f32x4_mul(wasm_f32x4_splat(-2.f), wasm_f32x4_abs(x)));
  v128_t t = wasm_f32x4_div(wasm_f32x4_sub(one, e), wasm_f32x4_add(one, e));
  return wasm_v128_or(t, wasm_v128_and(x, sign));  // t ≥ 0: x's sign bit makes it -t
}

static inline v128_t gate4(v128_t x, int hard) {
  const v128_t one = wasm_f32x4_splat(1.f);
  if (hard) {
    v128_t y = MADD(x, wasm_f32x4_splat(0.2f), wasm_f32x4_splat(0.5f));
    return wasm_f32x4_pmin(wasm_f32x4_pmax(y, wasm_f32x4_splat(0.f)), one);
  }
  return wasm_f32x4_div(one, wasm_f32x4_add(one, exp4(wasm_f32x4_neg(x))));
}

static inline v128_t gate_grad4(v128_t y, int hard) {
  if (hard) {
    v128_t inside = wasm_v128_and(wasm_f32x4_gt(y, wasm_f32x4_splat(0.f)), wasm_f32x4_lt(y, wasm_f32x4_splat(1.f)));
    return wasm_v128_and(inside, wasm_f32x4_splat(0.2f));
  }
  return wasm_f32x4_mul(y, wasm_f32x4_sub(wasm_f32x4_splat(1.f), y));
}

#endif
