// What every kernel source shares: the SIMD intrinsics, the export attribute, short vector runs,
// the small GEMM of the recurrent kernels, and the scalar activations. Header-only (static
// inline) except gemm, which kernels.c defines once.
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

// C[M,N] = (acc ? C : 0) + A[M,K]·B[K,N], all row-major with leading dimensions (kernels.c).
void gemm(const float *A, int lda, const float *B, int ldb, float *C, int ldc, int M, int K, int N, int acc);

// e^x to ~1e-7 relative: x = k·ln2 + r, |r| ≤ ln2/2, degree-7 Taylor polynomial, then ·2^k.
static inline float exp_(float x) {
  if (x > 88.f) x = 88.f;
  if (x < -87.f) x = -87.f;
  float q = x * 1.44269504f;
  float kf = (float)(int)(q + (q >= 0.f ? 0.5f : -0.5f));
  float r = (x - kf * 0.693145752f) - kf * 1.42860677e-6f;
  float p = 1.f + r * (1.f + r * (0.5f + r * (0.166666667f + r * (0.0416666667f + r * (0.00833333333f + r * (0.00138888889f + r * 0.000198412698f))))));
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
// The recurrent activation's derivative from its output y.
static inline float gate_grad(float y, int hard) {
  if (hard) return (y > 0.f && y < 1.f) ? 0.2f : 0.f;
  return y * (1.f - y);
}

#endif
