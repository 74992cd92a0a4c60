// Modelwright's WebAssembly SIMD kernels. They run on tfjs-backend-wasm's own heap (this module
// imports its memory), so tensors are passed as byte offsets and nothing is copied in or out.
// No static data and no libc: the module must not write anywhere but the buffers it is given.
// Rebuild with engine/kernels/wasm/simd/build.sh (clang + lld, wasm32, -msimd128).
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

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

// cols[((b*oh + oy)*ow + ox), (ky*kw + kx)*cin + c] = x[b, oy*sh - top + ky, ox*sw - left + kx, c], 0 outside.
EXPORT(im2col)
void im2col(const float *x, float *cols, int n, int h, int w, int cin, int oh, int ow, int kh, int kw,
            int sh, int sw, int top, int left) {
  float *d = cols;
  for (int b = 0; b < n; b++)
    for (int oy = 0; oy < oh; oy++)
      for (int ox = 0; ox < ow; ox++)
        for (int ky = 0; ky < kh; ky++) {
          int iy = oy * sh - top + ky;
          for (int kx = 0; kx < kw; kx++) {
            int ix = ox * sw - left + kx;
            if (iy >= 0 && iy < h && ix >= 0 && ix < w) copy_run(d, x + ((b * h + iy) * w + ix) * cin, cin);
            else zero_run(d, cin);
            d += cin;
          }
        }
}

// dx = col2im(dcols): the adjoint of im2col (overlapping windows add up).
EXPORT(col2im)
void col2im(const float *dcols, float *dx, int n, int h, int w, int cin, int oh, int ow, int kh, int kw,
            int sh, int sw, int top, int left) {
  zero_run(dx, n * h * w * cin);
  const float *s = dcols;
  for (int b = 0; b < n; b++)
    for (int oy = 0; oy < oh; oy++)
      for (int ox = 0; ox < ow; ox++)
        for (int ky = 0; ky < kh; ky++) {
          int iy = oy * sh - top + ky;
          for (int kx = 0; kx < kw; kx++) {
            int ix = ox * sw - left + kx;
            if (iy >= 0 && iy < h && ix >= 0 && ix < w) add_run(dx + ((b * h + iy) * w + ix) * cin, s, cin);
            s += cin;
          }
        }
}

// b[c, r] = a[r, c], in tiles so both sides stay in cache.
EXPORT(transpose2d)
void transpose2d(const float *restrict a, float *restrict b, int rows, int cols) {
  const int T = 32;
  for (int r0 = 0; r0 < rows; r0 += T) {
    int r1 = r0 + T < rows ? r0 + T : rows;
    for (int c0 = 0; c0 < cols; c0 += T) {
      int c1 = c0 + T < cols ? c0 + T : cols;
      for (int r = r0; r < r1; r++)
        for (int c = c0; c < c1; c++) b[c * rows + r] = a[r * cols + c];
    }
  }
}

// out[i, :] = table[ids[i], :]; an id outside [0, rows) gives a row of zeros.
EXPORT(gather_rows)
void gather_rows(const float *table, const int *ids, float *out, int count, int inner, int rows) {
  for (int i = 0; i < count; i++) {
    int id = ids[i];
    if (id >= 0 && id < rows) copy_run(out + i * inner, table + id * inner, inner);
    else zero_run(out + i * inner, inner);
  }
}

// out[s, :] = sum of x[i, :] over i with ids[i] == s (ids outside [0, nseg) are dropped).
EXPORT(segment_sum_rows)
void segment_sum_rows(const float *x, const int *ids, float *out, int count, int inner, int nseg) {
  zero_run(out, nseg * inner);
  for (int i = 0; i < count; i++) {
    int id = ids[i];
    if (id >= 0 && id < nseg) add_run(out + id * inner, x + i * inner, inner);
  }
}

// One Adam step: m, v in place; w_out = w - lr_t m / (sqrt(v) + eps_t). The weights go to a new
// buffer because tfjs-wasm caches XNNPACK operators (with packed weights) per weight tensor id.
// where the caller folds the bias corrections into lr_t and eps_t, exactly as tfjs's AdamOptimizer:
//   w -= lr / (1 - b1^t) * m / (sqrt(v / (1 - b2^t)) + eps)
//      = (lr sqrt(1-b2^t) / (1-b1^t)) * m / (sqrt(v) + eps sqrt(1-b2^t)).
EXPORT(adam)
void adam(const float *w, float *w_out, float *m, float *v, const float *g, int n, float lr_t, float b1, float b2, float eps_t) {
  v128_t B1 = wasm_f32x4_splat(b1), C1 = wasm_f32x4_splat(1.f - b1);
  v128_t B2 = wasm_f32x4_splat(b2), C2 = wasm_f32x4_splat(1.f - b2);
  v128_t LR = wasm_f32x4_splat(lr_t), EPS = wasm_f32x4_splat(eps_t);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t gi = wasm_v128_load(g + i);
    v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(B1, wasm_v128_load(m + i)), wasm_f32x4_mul(C1, gi));
    v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(B2, wasm_v128_load(v + i)), wasm_f32x4_mul(C2, wasm_f32x4_mul(gi, gi)));
    wasm_v128_store(m + i, mi);
    wasm_v128_store(v + i, vi);
    v128_t step = wasm_f32x4_div(wasm_f32x4_mul(LR, mi), wasm_f32x4_add(wasm_f32x4_sqrt(vi), EPS));
    wasm_v128_store(w_out + i, wasm_f32x4_sub(wasm_v128_load(w + i), step));
  }
  for (; i < n; i++) {
    float gi = g[i];
    float mi = b1 * m[i] + (1.f - b1) * gi;
    float vi = b2 * v[i] + (1.f - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w_out[i] = w[i] - lr_t * mi / (__builtin_sqrtf(vi) + eps_t);
  }
}

// dx for max pooling (NHWC): each output's gradient goes to the first largest input of its
// window, as in tfjs's cpu backend. (tfjs-wasm 4.22's MaxPoolGrad sends it to the wrong cell.)
EXPORT(max_pool_grad)
void max_pool_grad(const float *x, const float *dy, float *dx, int n, int h, int w, int c, int oh, int ow,
                   int fh, int fw, int sh, int sw, int top, int left) {
  zero_run(dx, n * h * w * c);
  for (int b = 0; b < n; b++)
    for (int oy = 0; oy < oh; oy++)
      for (int ox = 0; ox < ow; ox++) {
        const float *g = dy + ((b * oh + oy) * ow + ox) * c;
        for (int ch = 0; ch < c; ch++) {
          int best = -1;
          float bestV = 0.f;
          for (int ky = 0; ky < fh; ky++) {
            int iy = oy * sh - top + ky;
            if (iy < 0 || iy >= h) continue;
            for (int kx = 0; kx < fw; kx++) {
              int ix = ox * sw - left + kx;
              if (ix < 0 || ix >= w) continue;
              int at = ((b * h + iy) * w + ix) * c + ch;
              if (best < 0 || x[at] > bestV) { best = at; bestV = x[at]; }
            }
          }
          if (best >= 0) dx[best] += g[ch];
        }
      }
}
