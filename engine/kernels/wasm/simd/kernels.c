// Modelwright's WebAssembly SIMD kernels. They run on tfjs-backend-wasm's own heap (this module
// imports its memory), so tensors are passed as byte offsets and nothing is copied in or out.
// No static data and no libc: the module must not write anywhere but the buffers it is given.
// Rebuild with engine/kernels/wasm/simd/build.sh (clang + lld, wasm32, -msimd128).
#include "kernels.h"

// Rows [r0, r1) of im2col's columns, written from d on (d holds row r0):
// row (b*oh + oy)*ow + ox, column (ky*kw + kx)*cin + c = x[b, oy*sh - top + ky, ox*sw - left + kx, c], 0 outside.
// Where a window row lies wholly inside the image its kw·cin values are one contiguous run of x
// (NHWC), copied in one go: with few channels (an image's first layer: cin 1 or 3) copying cin
// floats at a time was most of the unrolling.
void unroll_rows(const float *x, float *d, int h, int w, int cin, int oh, int ow, int kh, int kw,
                 int sh, int sw, int top, int left, int r0, int r1) {
  const int run = kw * cin;
  for (int r = r0; r < r1; r++) {
    int b = r / (oh * ow), rem = r - b * oh * ow;
    int oy = rem / ow, ox = rem - oy * ow;
    int ix0 = ox * sw - left;
    int inside = ix0 >= 0 && ix0 + kw <= w;
    for (int ky = 0; ky < kh; ky++) {
      int iy = oy * sh - top + ky;
      if (iy < 0 || iy >= h) {
        zero_run(d, run);
        d += run;
      } else if (inside) {
        copy_run(d, x + ((b * h + iy) * w + ix0) * cin, run);
        d += run;
      } else {
        for (int kx = 0; kx < kw; kx++) {
          int ix = ix0 + kx;
          if (ix >= 0 && ix < w) copy_run(d, x + ((b * h + iy) * w + ix) * cin, cin);
          else zero_run(d, cin);
          d += cin;
        }
      }
    }
  }
}

// Rows [r0, r1) of im2col's cols (the two GEMM threads each unroll the rows they are about to
// multiply, in parallel and still in cache).
EXPORT(im2col_rows)
void im2col_rows(const float *x, float *cols, int n, int h, int w, int cin, int oh, int ow, int kh, int kw,
                 int sh, int sw, int top, int left, int r0, int r1) {
  (void)n;
  unroll_rows(x, cols + (long)r0 * kh * kw * cin, h, w, cin, oh, ow, kh, kw, sh, sw, top, left, r0, r1);
}

// All of cols (rows [0, n·oh·ow)).
EXPORT(im2col)
void im2col(const float *x, float *cols, int n, int h, int w, int cin, int oh, int ow, int kh, int kw,
            int sh, int sw, int top, int left) {
  im2col_rows(x, cols, n, h, w, cin, oh, ow, kh, kw, sh, sw, top, left, 0, n * oh * ow);
}

// dx += col2im of rows [r0, r1) of dcols (d holds row r0): the adjoint of im2col, overlapping
// windows adding up. A window row wholly inside the image adds as one run, as unroll_rows copies
// it; each value of dx still receives its terms in ascending row order.
void col2im_rows(const float *d, float *dx, int h, int w, int cin, int oh, int ow, int kh, int kw,
                 int sh, int sw, int top, int left, int r0, int r1) {
  const float *s = d;
  const int run = kw * cin;
  for (int r = r0; r < r1; r++) {
    int b = r / (oh * ow), rem = r - b * oh * ow;
    int oy = rem / ow, ox = rem - oy * ow;
    int ix0 = ox * sw - left;
    int inside = ix0 >= 0 && ix0 + kw <= w;
    for (int ky = 0; ky < kh; ky++) {
      int iy = oy * sh - top + ky;
      if (iy < 0 || iy >= h) {
        s += run;
      } else if (inside) {
        add_run(dx + ((b * h + iy) * w + ix0) * cin, s, run);
        s += run;
      } else {
        for (int kx = 0; kx < kw; kx++) {
          int ix = ix0 + kx;
          if (ix >= 0 && ix < w) add_run(dx + ((b * h + iy) * w + ix) * cin, s, cin);
          s += cin;
        }
      }
    }
  }
}

// dx = col2im(dcols), all rows.
EXPORT(col2im)
void col2im(const float *dcols, float *dx, int n, int h, int w, int cin, int oh, int ow, int kh, int kw,
            int sh, int sw, int top, int left) {
  zero_run(dx, n * h * w * cin);
  col2im_rows(dcols, dx, h, w, cin, oh, ow, kh, kw, sh, sw, top, left, 0, n * oh * ow);
}

// Rows [rs, re) of a [rows, cols] into columns [rs, re) of b [cols, rows]: b[c, r] = a[r, c], in
// 32×32 tiles so both sides stay in cache, each as 4×4 SIMD blocks.
static void transpose_rows(const float *restrict a, float *restrict b, int rows, int cols, int rs, int re) {
  const int T = 32;
  for (int r0 = rs; r0 < re; r0 += T) {
    int r1 = r0 + T < re ? r0 + T : re;
    for (int c0 = 0; c0 < cols; c0 += T) {
      int c1 = c0 + T < cols ? c0 + T : cols;
      int r = r0;
      for (; r + 4 <= r1; r += 4) {
        const float *s = a + r * cols;
        int c = c0;
        for (; c + 4 <= c1; c += 4) {
          v128_t x0 = wasm_v128_load(s + c), x1 = wasm_v128_load(s + cols + c);
          v128_t x2 = wasm_v128_load(s + 2 * cols + c), x3 = wasm_v128_load(s + 3 * cols + c);
          v128_t t0 = wasm_i32x4_shuffle(x0, x1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(x2, x3, 0, 4, 1, 5);
          v128_t t2 = wasm_i32x4_shuffle(x0, x1, 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(x2, x3, 2, 6, 3, 7);
          float *d = b + c * rows + r;
          wasm_v128_store(d, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
          wasm_v128_store(d + rows, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
          wasm_v128_store(d + 2 * rows, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
          wasm_v128_store(d + 3 * rows, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
        }
        for (; c < c1; c++)
          for (int q = r; q < r + 4; q++) b[c * rows + q] = a[q * cols + c];
      }
      for (; r < r1; r++)
        for (int c = c0; c < c1; c++) b[c * rows + r] = a[r * cols + c];
    }
  }
}

// b[c, r] = a[r, c] for a [rows, cols].
EXPORT(transpose2d)
void transpose2d(const float *restrict a, float *restrict b, int rows, int cols) { transpose_rows(a, b, rows, cols, 0, rows); }

// transpose2d of a's rows [r0, r1) only, as a chunk kernel of the two-thread pool (threadedGemm.ts).
EXPORT(transpose2d_rows)
void transpose2d_rows(float *unused, const float *a, float *b, int rows, int cols, int r0, int r1) {
  (void)unused;
  transpose_rows(a, b, rows, cols, r0, r1);
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

// adam on blocks [b0, b1) of ADAM_BLOCK elements of n only, as a chunk kernel of the two-thread
// pool (threadedGemm.ts), whose arguments are integers: the four scalars come as their float
// bits. Element by element, so any split gives adam's bits.
#define ADAM_BLOCK 64
EXPORT(adam_chunk)
void adam_chunk(float *unused, const float *w, float *w_out, float *m, float *v, const float *g, int n, int lr_bits,
                int b1_bits, int b2_bits, int eps_bits, int b0, int b1) {
  (void)unused;
  const int i0 = b0 * ADAM_BLOCK, i1 = b1 * ADAM_BLOCK < n ? b1 * ADAM_BLOCK : n;
  adam(w + i0, w_out + i0, m + i0, v + i0, g + i0, i1 - i0, __builtin_bit_cast(float, lr_bits),
       __builtin_bit_cast(float, b1_bits), __builtin_bit_cast(float, b2_bits), __builtin_bit_cast(float, eps_bits));
}

// dx for max pooling (NHWC): each output's gradient goes to the first largest input of its
// window, as in tfjs's cpu backend. (tfjs-wasm 4.22's MaxPoolGrad sends it to the wrong cell.)
// Four channels at a time: the first tap of the window (clipped to the image) starts each lane,
// a later tap replaces it only where strictly greater, as the one-lane loop does where c < 4.
// Windows that tile the image exactly write dx outright instead (see below).
// Images [b0, b1) only: an image's dx gets gradients from its own windows alone, so the two
// threads can take whole images (threadedGemm.ts) with the same result as one. `unused` is the
// per-thread scratch the two-thread loop hands every chunk kernel.
EXPORT(max_pool_grad_images)
void max_pool_grad_images(float *unused, const float *x, const float *dy, float *dx, int n, int h, int w, int c,
                          int oh, int ow, int fh, int fw, int sh, int sw, int top, int left, int b0, int b1) {
  (void)unused;
  (void)n;
  const v128_t lanes = wasm_i32x4_make(0, 1, 2, 3);
  if (c >= 4 && sh == fh && sw == fw && top == 0 && left == 0 && oh * fh == h && ow * fw == w) {
    // Windows that tile the image exactly (2×2 pooling of an even image): every x is in one
    // window, so each window writes its taps' dx outright (the gradient at the tap the search
    // picks, 0 at the others) with no zeroing pass and no scattered adds. The search is the
    // one below, lane by lane; a last part group of channels (c = 6: 2..5) is the four ending
    // at c, whose lanes repeat the earlier group's search and so write the same values again.
    for (int b = b0; b < b1; b++)
      for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++) {
          const float *g = dy + ((b * oh + oy) * ow + ox) * c;
          const int first = ((b * h + oy * fh) * w + ox * fw) * c;
          for (int ch = 0;; ch += 4) {
            if (ch + 4 > c) ch = c - 4;
            v128_t bestV = wasm_v128_load(x + first + ch);
            v128_t bestI = wasm_i32x4_splat(0);
            for (int ky = 0; ky < fh; ky++)
              for (int kx = ky == 0 ? 1 : 0; kx < fw; kx++) {
                v128_t v = wasm_v128_load(x + first + (ky * w + kx) * c + ch);
                v128_t gt = wasm_f32x4_gt(v, bestV);
                bestV = wasm_v128_bitselect(v, bestV, gt);
                bestI = wasm_v128_bitselect(wasm_i32x4_splat(ky * fw + kx), bestI, gt);
              }
            const v128_t gv = wasm_v128_load(g + ch), zero = wasm_f32x4_splat(0.f);
            for (int ky = 0; ky < fh; ky++)
              for (int kx = 0; kx < fw; kx++)
                wasm_v128_store(dx + first + (ky * w + kx) * c + ch,
                                wasm_v128_bitselect(gv, zero, wasm_i32x4_eq(bestI, wasm_i32x4_splat(ky * fw + kx))));
            if (ch + 4 >= c) break;
          }
        }
    return;
  }
  zero_run(dx + (long)b0 * h * w * c, (b1 - b0) * h * w * c);
  for (int b = b0; b < b1; b++)
    for (int oy = 0; oy < oh; oy++) {
      int y0 = oy * sh - top;
      int ky0 = y0 < 0 ? -y0 : 0, ky1 = h - y0 < fh ? h - y0 : fh;
      for (int ox = 0; ox < ow; ox++) {
        int x0 = ox * sw - left;
        int kx0 = x0 < 0 ? -x0 : 0, kx1 = w - x0 < fw ? w - x0 : fw;
        if (ky0 >= ky1 || kx0 >= kx1) continue;
        const float *g = dy + ((b * oh + oy) * ow + ox) * c;
        int ch = 0;
        // Four channels from ch, their gradients added from lane `from` on. A last part group of
        // channels (c = 6: 4 and 5) is the four ending at c with only its new lanes added: each
        // lane's search is the one-lane loop's, so nothing depends on which group a channel is in.
#define POOL_GRAD_4(ch, from)                                                             \
  do {                                                                                    \
    int first = ((b * h + y0 + ky0) * w + x0 + kx0) * c + (ch);                           \
    v128_t bestV = wasm_v128_load(x + first);                                             \
    v128_t bestI = wasm_i32x4_add(wasm_i32x4_splat(first), lanes);                        \
    for (int ky = ky0; ky < ky1; ky++)                                                    \
      for (int kx = ky == ky0 ? kx0 + 1 : kx0; kx < kx1; kx++) {                          \
        int at = ((b * h + y0 + ky) * w + x0 + kx) * c + (ch);                            \
        v128_t v = wasm_v128_load(x + at);                                                \
        v128_t gt = wasm_f32x4_gt(v, bestV);                                              \
        bestV = wasm_v128_bitselect(v, bestV, gt);                                        \
        bestI = wasm_v128_bitselect(wasm_i32x4_add(wasm_i32x4_splat(at), lanes), bestI, gt); \
      }                                                                                   \
    if ((from) <= 0) dx[wasm_i32x4_extract_lane(bestI, 0)] += g[(ch)];                    \
    if ((from) <= 1) dx[wasm_i32x4_extract_lane(bestI, 1)] += g[(ch) + 1];                \
    if ((from) <= 2) dx[wasm_i32x4_extract_lane(bestI, 2)] += g[(ch) + 2];                \
    dx[wasm_i32x4_extract_lane(bestI, 3)] += g[(ch) + 3];                                 \
  } while (0)
        for (; ch + 4 <= c; ch += 4) POOL_GRAD_4(ch, 0);
        if (ch < c && c >= 4) {
          POOL_GRAD_4(c - 4, 4 - (c - ch));
          ch = c;
        }
#undef POOL_GRAD_4
        for (; ch < c; ch++) {
          int best = ((b * h + y0 + ky0) * w + x0 + kx0) * c + ch;
          float bestV = x[best];
          for (int ky = ky0; ky < ky1; ky++)
            for (int kx = ky == ky0 ? kx0 + 1 : kx0; kx < kx1; kx++) {
              int at = ((b * h + y0 + ky) * w + x0 + kx) * c + ch;
              if (x[at] > bestV) { best = at; bestV = x[at]; }
            }
          dx[best] += g[ch];
        }
      }
    }
}

// ---- Max pooling forward with the winners kept, and its gradient from them (fusedMaxPool.ts) ----

// y[b, oy, ox, ch] = the largest tap of its window (taps outside the image are skipped, as
// tfjs's 'same' pooling does), and idx the window position ky·fw + kx of the first largest:
// the search max_pool_grad_images does (a tap wins only if greater, so a NaN first tap stays),
// so the gradient goes where that kernel sends it. Images [b0, b1) (both threads take whole
// images); `unused` is the per-thread scratch the two-thread loop hands every chunk kernel.
EXPORT(max_pool_forward_images)
void max_pool_forward_images(float *unused, const float *x, float *y, unsigned char *idx, int n, int h, int w, int c,
                             int oh, int ow, int fh, int fw, int sh, int sw, int top, int left, int b0, int b1) {
  (void)unused;
  (void)n;
  for (int b = b0; b < b1; b++)
    for (int oy = 0; oy < oh; oy++) {
      int y0 = oy * sh - top;
      int ky0 = y0 < 0 ? -y0 : 0, ky1 = h - y0 < fh ? h - y0 : fh;
      for (int ox = 0; ox < ow; ox++) {
        int x0 = ox * sw - left;
        int kx0 = x0 < 0 ? -x0 : 0, kx1 = w - x0 < fw ? w - x0 : fw;
        float *yo = y + ((long)(b * oh + oy) * ow + ox) * c;
        unsigned char *io = idx + ((long)(b * oh + oy) * ow + ox) * c;
        const float *first = x + ((long)(b * h + y0 + ky0) * w + x0 + kx0) * c;
        if (c >= 4) {
          // Four channels at a time; a last part group (c = 6: 2..5) is the four ending at c,
          // whose lanes repeat the earlier group's search and write the same values again.
          for (int ch = 0;; ch += 4) {
            if (ch + 4 > c) ch = c - 4;
            v128_t bestV = wasm_v128_load(first + ch);
            v128_t bestI = wasm_i32x4_splat(ky0 * fw + kx0);
            for (int ky = ky0; ky < ky1; ky++)
              for (int kx = ky == ky0 ? kx0 + 1 : kx0; kx < kx1; kx++) {
                v128_t v = wasm_v128_load(x + ((long)(b * h + y0 + ky) * w + x0 + kx) * c + ch);
                v128_t gt = wasm_f32x4_gt(v, bestV);
                bestV = wasm_v128_bitselect(v, bestV, gt);
                bestI = wasm_v128_bitselect(wasm_i32x4_splat(ky * fw + kx), bestI, gt);
              }
            wasm_v128_store(yo + ch, bestV);
            v128_t h16 = wasm_u16x8_narrow_i32x4(bestI, bestI);
            wasm_v128_store32_lane(io + ch, wasm_u8x16_narrow_i16x8(h16, h16), 0);
            if (ch + 4 >= c) break;
          }
          continue;
        }
        for (int ch = 0; ch < c; ch++) {
          float bestV = first[ch];
          int bestI = ky0 * fw + kx0;
          for (int ky = ky0; ky < ky1; ky++)
            for (int kx = ky == ky0 ? kx0 + 1 : kx0; kx < kx1; kx++) {
              float v = x[((long)(b * h + y0 + ky) * w + x0 + kx) * c + ch];
              if (v > bestV) { bestV = v; bestI = ky * fw + kx; }
            }
          yo[ch] = bestV;
          io[ch] = (unsigned char)bestI;
        }
      }
    }
}

// dx from dy and max_pool_forward_images' idx: each window's gradient to the tap that won it.
// Windows that tile the image exactly write every dx outright (dy at the winner, 0 at the other
// taps), four channels at a time; otherwise dx is zeroed and the gradients added (overlapping
// windows can share a tap).
EXPORT(max_pool_grad_index_images)
void max_pool_grad_index_images(float *unused, const unsigned char *idx, const float *dy, float *dx, int n, int h, int w,
                                int c, int oh, int ow, int fh, int fw, int sh, int sw, int top, int left, int b0, int b1) {
  (void)unused;
  (void)n;
  const int tiles = sh == fh && sw == fw && top == 0 && left == 0 && oh * fh == h && ow * fw == w;
  if (!tiles) zero_run(dx + (long)b0 * h * w * c, (b1 - b0) * h * w * c);
  const v128_t zero = wasm_f32x4_splat(0.f);
  for (int b = b0; b < b1; b++)
    for (int oy = 0; oy < oh; oy++) {
      int y0 = oy * sh - top;
      for (int ox = 0; ox < ow; ox++) {
        int x0 = ox * sw - left;
        const long o = ((long)(b * oh + oy) * ow + ox) * c;
        const float *g = dy + o;
        const unsigned char *io = idx + o;
        if (tiles && c >= 4) {
          float *d0 = dx + ((long)(b * h + y0) * w + x0) * c;
          for (int ch = 0;; ch += 4) {
            if (ch + 4 > c) ch = c - 4;
            v128_t iv = wasm_u32x4_extend_low_u16x8(wasm_u16x8_extend_low_u8x16(wasm_v128_load32_zero(io + ch)));
            v128_t gv = wasm_v128_load(g + ch);
            for (int ky = 0; ky < fh; ky++)
              for (int kx = 0; kx < fw; kx++)
                wasm_v128_store(d0 + ((long)ky * w + kx) * c + ch, wasm_v128_bitselect(gv, zero, wasm_i32x4_eq(iv, wasm_i32x4_splat(ky * fw + kx))));
            if (ch + 4 >= c) break;
          }
          continue;
        }
        if (tiles) {
          for (int ky = 0; ky < fh; ky++)
            for (int kx = 0; kx < fw; kx++) {
              float *d = dx + ((long)(b * h + y0 + ky) * w + x0 + kx) * c;
              for (int ch = 0; ch < c; ch++) d[ch] = io[ch] == ky * fw + kx ? g[ch] : 0.f;
            }
          continue;
        }
        for (int ch = 0; ch < c; ch++) {
          int t = io[ch], ky = t / fw, kx = t - ky * fw;
          dx[((long)(b * h + y0 + ky) * w + x0 + kx) * c + ch] += g[ch];
        }
      }
    }
}

// ---- GRU over a whole sequence (tfjs-layers' GRUCell math, reset gate before the product) ----

// C[M,N] = (acc ? C : 0) + A[M,K]·B[K,N], all row-major with leading dimensions; 4×8 register
// tiles for the small per-step products of a recurrent layer.
void gemm(const float *A, int lda, const float *B, int ldb, float *C, int ldc, int M, int K, int N, int acc) {
  int i = 0;
  for (; i + 4 <= M; i += 4) {
    int j = 0;
    for (; j + 8 <= N; j += 8) {
      v128_t c00, c01, c10, c11, c20, c21, c30, c31;
      if (acc) {
        c00 = wasm_v128_load(C + (i + 0) * ldc + j); c01 = wasm_v128_load(C + (i + 0) * ldc + j + 4);
        c10 = wasm_v128_load(C + (i + 1) * ldc + j); c11 = wasm_v128_load(C + (i + 1) * ldc + j + 4);
        c20 = wasm_v128_load(C + (i + 2) * ldc + j); c21 = wasm_v128_load(C + (i + 2) * ldc + j + 4);
        c30 = wasm_v128_load(C + (i + 3) * ldc + j); c31 = wasm_v128_load(C + (i + 3) * ldc + j + 4);
      } else {
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = wasm_f32x4_splat(0.f);
      }
      for (int k = 0; k < K; k++) {
        v128_t b0 = wasm_v128_load(B + k * ldb + j), b1 = wasm_v128_load(B + k * ldb + j + 4);
        v128_t a0 = wasm_f32x4_splat(A[(i + 0) * lda + k]), a1 = wasm_f32x4_splat(A[(i + 1) * lda + k]);
        v128_t a2 = wasm_f32x4_splat(A[(i + 2) * lda + k]), a3 = wasm_f32x4_splat(A[(i + 3) * lda + k]);
        c00 = MADD(a0, b0, c00); c01 = MADD(a0, b1, c01);
        c10 = MADD(a1, b0, c10); c11 = MADD(a1, b1, c11);
        c20 = MADD(a2, b0, c20); c21 = MADD(a2, b1, c21);
        c30 = MADD(a3, b0, c30); c31 = MADD(a3, b1, c31);
      }
      wasm_v128_store(C + (i + 0) * ldc + j, c00); wasm_v128_store(C + (i + 0) * ldc + j + 4, c01);
      wasm_v128_store(C + (i + 1) * ldc + j, c10); wasm_v128_store(C + (i + 1) * ldc + j + 4, c11);
      wasm_v128_store(C + (i + 2) * ldc + j, c20); wasm_v128_store(C + (i + 2) * ldc + j + 4, c21);
      wasm_v128_store(C + (i + 3) * ldc + j, c30); wasm_v128_store(C + (i + 3) * ldc + j + 4, c31);
    }
    for (; j + 4 <= N; j += 4) {
      v128_t c0, c1, c2, c3;
      if (acc) {
        c0 = wasm_v128_load(C + (i + 0) * ldc + j); c1 = wasm_v128_load(C + (i + 1) * ldc + j);
        c2 = wasm_v128_load(C + (i + 2) * ldc + j); c3 = wasm_v128_load(C + (i + 3) * ldc + j);
      } else {
        c0 = c1 = c2 = c3 = wasm_f32x4_splat(0.f);
      }
      for (int k = 0; k < K; k++) {
        v128_t b0 = wasm_v128_load(B + k * ldb + j);
        c0 = MADD(wasm_f32x4_splat(A[(i + 0) * lda + k]), b0, c0);
        c1 = MADD(wasm_f32x4_splat(A[(i + 1) * lda + k]), b0, c1);
        c2 = MADD(wasm_f32x4_splat(A[(i + 2) * lda + k]), b0, c2);
        c3 = MADD(wasm_f32x4_splat(A[(i + 3) * lda + k]), b0, c3);
      }
      wasm_v128_store(C + (i + 0) * ldc + j, c0); wasm_v128_store(C + (i + 1) * ldc + j, c1);
      wasm_v128_store(C + (i + 2) * ldc + j, c2); wasm_v128_store(C + (i + 3) * ldc + j, c3);
    }
    for (; j < N; j++)
      for (int r = 0; r < 4; r++) {
        float s = acc ? C[(i + r) * ldc + j] : 0.f;
        for (int k = 0; k < K; k++) s += A[(i + r) * lda + k] * B[k * ldb + j];
        C[(i + r) * ldc + j] = s;
      }
  }
  // Leftover rows, one at a time, still vectorised along the row.
  for (; i < M; i++) {
    int j = 0;
    for (; j + 4 <= N; j += 4) {
      v128_t c0 = acc ? wasm_v128_load(C + i * ldc + j) : wasm_f32x4_splat(0.f);
      for (int k = 0; k < K; k++)
        c0 = MADD(wasm_f32x4_splat(A[i * lda + k]), wasm_v128_load(B + k * ldb + j), c0);
      wasm_v128_store(C + i * ldc + j, c0);
    }
    for (; j < N; j++) {
      float s = acc ? C[i * ldc + j] : 0.f;
      for (int k = 0; k < K; k++) s += A[i * lda + k] * B[k * ldb + j];
      C[i * ldc + j] = s;
    }
  }
}


// Forward over T steps. gx [n,T,3u] = x·W + b (update, reset, candidate blocks); uk [u,3u] the
// recurrent kernel; mask [n,T] of 0/1 floats or 0 for none. Writes hs [n,T,u] (the state after
// each step, masked steps carry the previous state), and for the backward pass hprev, z, r, hh,
// rh (each [n,T,u]). scratch: n·3u floats. The activations take four lanes at a time (kernels.h),
// the last u mod 4 columns one at a time with the same math.
EXPORT(gru_forward)
void gru_forward(const float *gx, const float *uk, const float *mask, float *hs, float *hprev, float *z, float *r,
                 float *hh, float *rh, float *scratch, int n, int T, int u, int hard) {
  const int u3 = 3 * u, ldx = T * u3, ld = T * u;
  float *gh = scratch;           // [n, 2u]
  float *hr = scratch + n * 2 * u;  // [n, u]
  const v128_t one = wasm_f32x4_splat(1.f);
  for (int t = 0; t < T; t++) {
    float *hp = hprev + t * u;
    for (int i = 0; i < n; i++) {
      if (t == 0) zero_run(hp + i * ld, u);
      else copy_run(hp + i * ld, hs + i * ld + (t - 1) * u, u);
    }
    gemm(hp, ld, uk, u3, gh, 2 * u, n, u, 2 * u, 0);
    for (int i = 0; i < n; i++) {
      const float *g = gx + i * ldx + t * u3, *ghi = gh + i * 2 * u, *hpi = hp + i * ld;
      float *zi = z + i * ld + t * u, *ri = r + i * ld + t * u, *rhi = rh + i * ld + t * u;
      int j = 0;
      for (; j + 4 <= u; j += 4) {
        v128_t zz = gate4(wasm_f32x4_add(wasm_v128_load(g + j), wasm_v128_load(ghi + j)), hard);
        v128_t rr = gate4(wasm_f32x4_add(wasm_v128_load(g + u + j), wasm_v128_load(ghi + u + j)), hard);
        wasm_v128_store(zi + j, zz);
        wasm_v128_store(ri + j, rr);
        wasm_v128_store(rhi + j, wasm_f32x4_mul(rr, wasm_v128_load(hpi + j)));
      }
      for (; j < u; j++) {
        zi[j] = gate(g[j] + ghi[j], hard);
        ri[j] = gate(g[u + j] + ghi[u + j], hard);
        rhi[j] = ri[j] * hpi[j];
      }
    }
    gemm(rh + t * u, ld, uk + 2 * u, u3, hr, u, n, u, u, 0);
    for (int i = 0; i < n; i++) {
      const float *g = gx + i * ldx + t * u3, *hri = hr + i * u, *hpi = hp + i * ld, *zi = z + i * ld + t * u;
      float *hhi = hh + i * ld + t * u, *hsi = hs + i * ld + t * u;
      float m = mask ? mask[i * T + t] : 1.f;
      const v128_t mv = wasm_f32x4_splat(m), keep = wasm_f32x4_splat(1.f - m);
      int j = 0;
      for (; j + 4 <= u; j += 4) {
        v128_t hv = tanh4(wasm_f32x4_add(wasm_v128_load(g + 2 * u + j), wasm_v128_load(hri + j)));
        v128_t zz = wasm_v128_load(zi + j), p = wasm_v128_load(hpi + j);
        wasm_v128_store(hhi + j, hv);
        v128_t hn = MADD(zz, p, wasm_f32x4_mul(wasm_f32x4_sub(one, zz), hv));
        wasm_v128_store(hsi + j, MADD(mv, hn, wasm_f32x4_mul(keep, p)));
      }
      for (; j < u; j++) {
        float hv = tanh_(g[2 * u + j] + hri[j]);
        float zz = zi[j], p = hpi[j];
        hhi[j] = hv;
        float hn = zz * p + (1.f - zz) * hv;
        hsi[j] = m * hn + (1.f - m) * p;
      }
    }
  }
}

// Backward over T steps. ukT [3u,u] is the recurrent kernel transposed. dy is dL/dhs [n,T,u]
// (all steps) or, when last != 0, dL/dh_T [n,u]. Writes dgx [n,T,3u] = dL/d(x·W + b); the
// recurrent-kernel gradient is then hprevᵀ·dgx[:, :, :2u] and rhᵀ·dgx[:, :, 2u:] (done by the
// caller as two large matmuls). scratch: n·3u floats. Four lanes at a time, as the forward pass.
EXPORT(gru_backward)
void gru_backward(const float *ukT, const float *mask, const float *hprev, const float *z, const float *r,
                  const float *hh, const float *dy, int last, float *dgx, float *scratch, int n, int T, int u, int hard) {
  const int u3 = 3 * u, ldx = T * u3, ld = T * u;
  float *dh = scratch;               // [n,u] dL/dh_t
  float *dhp = scratch + n * u;      // [n,u] dL/dh_{t-1}
  float *drh = scratch + 2 * n * u;  // [n,u]
  const v128_t one = wasm_f32x4_splat(1.f);
  for (int i = 0; i < n; i++) {
    if (last) copy_run(dh + i * u, dy + i * u, u);
    else zero_run(dh + i * u, u);
  }
  for (int t = T - 1; t >= 0; t--) {
    for (int i = 0; i < n; i++) {
      if (!last) add_run(dh + i * u, dy + i * ld + t * u, u);
      float m = mask ? mask[i * T + t] : 1.f;
      float *g = dgx + i * ldx + t * u3;
      const float *zi = z + i * ld + t * u, *hhi = hh + i * ld + t * u, *hpi = hprev + i * ld + t * u;
      const float *dhi = dh + i * u;
      float *dhpi = dhp + i * u;
      const v128_t mv = wasm_f32x4_splat(m), keep = wasm_f32x4_splat(1.f - m);
      int j = 0;
      for (; j + 4 <= u; j += 4) {
        v128_t d = wasm_v128_load(dhi + j), dn = wasm_f32x4_mul(mv, d);
        v128_t zz = wasm_v128_load(zi + j), hv = wasm_v128_load(hhi + j), p = wasm_v128_load(hpi + j);
        v128_t dz = wasm_f32x4_mul(dn, wasm_f32x4_sub(p, hv));
        v128_t dah = wasm_f32x4_mul(wasm_f32x4_mul(dn, wasm_f32x4_sub(one, zz)), wasm_f32x4_sub(one, wasm_f32x4_mul(hv, hv)));
        wasm_v128_store(g + j, wasm_f32x4_mul(dz, gate_grad4(zz, hard)));
        wasm_v128_store(g + 2 * u + j, dah);
        wasm_v128_store(dhpi + j, MADD(dn, zz, wasm_f32x4_mul(keep, d)));
      }
      for (; j < u; j++) {
        float d = dhi[j], dn = m * d;
        float zz = zi[j], hv = hhi[j], p = hpi[j];
        float dz = dn * (p - hv);
        float dah = dn * (1.f - zz) * (1.f - hv * hv);
        g[j] = dz * gate_grad(zz, hard);
        g[2 * u + j] = dah;
        dhpi[j] = dn * zz + (1.f - m) * d;
      }
    }
    gemm(dgx + t * u3 + 2 * u, ldx, ukT + 2 * u * u, u, drh, u, n, u, u, 0);
    for (int i = 0; i < n; i++) {
      float *g = dgx + i * ldx + t * u3;
      const float *ri = r + i * ld + t * u, *hpi = hprev + i * ld + t * u, *drhi = drh + i * u;
      float *dhpi = dhp + i * u;
      int j = 0;
      for (; j + 4 <= u; j += 4) {
        v128_t rr = wasm_v128_load(ri + j), dr = wasm_v128_load(drhi + j);
        wasm_v128_store(g + u + j, wasm_f32x4_mul(wasm_f32x4_mul(dr, wasm_v128_load(hpi + j)), gate_grad4(rr, hard)));
        wasm_v128_store(dhpi + j, MADD(dr, rr, wasm_v128_load(dhpi + j)));
      }
      for (; j < u; j++) {
        g[u + j] = drhi[j] * hpi[j] * gate_grad(ri[j], hard);
        dhpi[j] += drhi[j] * ri[j];
      }
    }
    gemm(dgx + t * u3, ldx, ukT, u, dhp, u, n, 2 * u, u, 1);
    float *tmp = dh; dh = dhp; dhp = tmp;
  }
}

// Batch rows [r0, r1) of gru_forward / gru_backward: rows are independent over the whole
// sequence, so the two threads (threadedGemm.ts runChunks) each take whole rows, with no
// step-by-step handshake and the same bits however the rows are split (as lstm_forward_rows).
// scratch: 3·(r1 - r0)·u floats, this thread's own.
EXPORT(gru_forward_rows)
void gru_forward_rows(float *scratch, const float *gx, const float *uk, const float *mask, float *hs, float *hprev,
                      float *z, float *r, float *hh, float *rh, int n, int T, int u, int hard, int r0, int r1) {
  (void)n;
  const long ldx = (long)T * 3 * u, ld = (long)T * u;
  gru_forward(gx + r0 * ldx, uk, mask ? mask + (long)r0 * T : 0, hs + r0 * ld, hprev + r0 * ld, z + r0 * ld,
              r + r0 * ld, hh + r0 * ld, rh + r0 * ld, scratch, r1 - r0, T, u, hard);
}

EXPORT(gru_backward_rows)
void gru_backward_rows(float *scratch, const float *ukT, const float *mask, const float *hprev, const float *z,
                       const float *r, const float *hh, const float *dy, int last, float *dgx, int n, int T, int u,
                       int hard, int r0, int r1) {
  (void)n;
  const long ldx = (long)T * 3 * u, ld = (long)T * u;
  gru_backward(ukT, mask ? mask + (long)r0 * T : 0, hprev + r0 * ld, z + r0 * ld, r + r0 * ld, hh + r0 * ld,
               dy + (last ? (long)r0 * u : r0 * ld), last, dgx + r0 * ldx, scratch, r1 - r0, T, u, hard);
}

// ---- The large products: B packed into panels of 8 columns ----
// Bp holds ⌈N/8⌉ panels; panel p is B[:, 8p..8p+8) as K consecutive runs of 8 floats (the last
// panel padded with zeros). The 4×8 tile loop then streams one contiguous panel per column
// block instead of K rows N floats apart: ~8 % faster where B fits in cache, ~30 % where it
// does not (measured here). Rows [k0, k1) only, so both threads can pack.
EXPORT(pack_b_rows)
void pack_b_rows(const float *B, float *Bp, int K, int N, int k0, int k1) {
  int panels = (N + 7) / 8;
  for (int p = 0; p < panels; p++) {
    int j = p * 8, w = N - j < 8 ? N - j : 8;
    float *d = Bp + ((long)p * K + k0) * 8;
    const float *s = B + (long)k0 * N + j;
    for (int k = k0; k < k1; k++, d += 8, s += N) {
      if (w == 8) {
        wasm_v128_store(d, wasm_v128_load(s));
        wasm_v128_store(d + 4, wasm_v128_load(s + 4));
      } else {
        for (int q = 0; q < 8; q++) d[q] = q < w ? s[q] : 0.f;
      }
    }
  }
}

// pack_b_rows of rows [k0, k1), as a chunk kernel of the two-thread pool (threadedGemm.ts).
EXPORT(pack_b_chunk)
void pack_b_chunk(float *unused, const float *B, float *Bp, int K, int N, int k0, int k1) {
  (void)unused;
  pack_b_rows(B, Bp, K, N, k0, k1);
}

// C[M,N] = A[M,K]·B[K,N] with B packed by pack_b_rows; A and C row-major, dense.
EXPORT(gemm_packed)
void gemm_packed(const float *A, const float *Bp, float *C, int M, int K, int N) {
  int panels = (N + 7) / 8, i = 0;
  for (; i + 4 <= M; i += 4) {
    const float *a = A + (long)i * K;
    for (int p = 0; p < panels; p++) {
      const float *b = Bp + (long)p * K * 8;
      v128_t c00, c01, c10, c11, c20, c21, c30, c31;
      c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = wasm_f32x4_splat(0.f);
      for (int k = 0; k < K; k++, b += 8) {
        v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
        v128_t a0 = wasm_v128_load32_splat(a + k);
        c00 = MADD(a0, b0, c00); c01 = MADD(a0, b1, c01);
        a0 = wasm_v128_load32_splat(a + K + k);
        c10 = MADD(a0, b0, c10); c11 = MADD(a0, b1, c11);
        a0 = wasm_v128_load32_splat(a + 2 * K + k);
        c20 = MADD(a0, b0, c20); c21 = MADD(a0, b1, c21);
        a0 = wasm_v128_load32_splat(a + 3 * K + k);
        c30 = MADD(a0, b0, c30); c31 = MADD(a0, b1, c31);
      }
      int j = p * 8, w = N - j < 8 ? N - j : 8;
      float *c = C + (long)i * N + j;
      store_cols(c, c00, c01, w);
      store_cols(c + N, c10, c11, w);
      store_cols(c + 2 * N, c20, c21, w);
      store_cols(c + 3 * N, c30, c31, w);
    }
  }
  for (; i < M; i++) {
    const float *a = A + (long)i * K;
    for (int p = 0; p < panels; p++) {
      const float *b = Bp + (long)p * K * 8;
      v128_t c0 = wasm_f32x4_splat(0.f), c1 = c0;
      for (int k = 0; k < K; k++, b += 8) {
        v128_t a0 = wasm_v128_load32_splat(a + k);
        c0 = MADD(a0, wasm_v128_load(b), c0);
        c1 = MADD(a0, wasm_v128_load(b + 4), c1);
      }
      int j = p * 8;
      store_cols(C + (long)i * N + j, c0, c1, N - j < 8 ? N - j : 8);
    }
  }
}

// C[M,N] = A[M,K]·B[K,N] (row-major, dense): the GEMM the recurrent kernels use, for callers
// and benchmarks.
EXPORT(gemm_nn)
void gemm_nn(const float *A, const float *B, float *C, int M, int K, int N) { gemm(A, K, B, N, C, N, M, K, N, 0); }

// ---- Batch normalisation in training, channels last: x [R, C] normalised per channel ----
//
// The math is tfjs-layers' training path: the mean, then the biased variance as a second pass
// over x − mean, then y = x·scale + shift. Every per-channel sum runs over BN_CHUNKS chunks of
// rows (bn_chunk rows each, the last one shorter) whose sums are kept apart and then added in
// chunk order (bn_reduce): 16 partial sums of R/16 terms each rather than one of R terms.
// Within a chunk each channel's terms are added in row order, blocks of up to 16 channels
// summing in v128 locals while the rows stream past (sums in memory would be stored and
// reloaded every row); only a tail of C mod 4 channels goes a lane at a time. Splitting the
// chunks between two threads was no faster on this machine (docs/performance.md).

#define BN_INLINE static inline __attribute__((always_inline))
// Floats of x (and of dy) in a tile of rows where C > 16 or C is not a multiple of 4: the
// channel blocks take turns over a tile while it is in the first-level cache.
#define BN_TILE 2048
#define BN_CHUNKS 16

// Rows a chunk: R / BN_CHUNKS rounded up, at least 8 (so at most BN_CHUNKS chunks).
static inline int bn_chunk(int R) {
  int chunk = (R + BN_CHUNKS - 1) / BN_CHUNKS;
  return chunk > 8 ? chunk : 8;
}

static inline int bn_tile(int C, int rows) {
  if (C <= 16 && (C & 3) == 0) return rows;
  int t = BN_TILE / C;
  return t > 0 ? t : 1;
}

// What a sum pass adds up: Σx; Σ(x − m)²; Σdy and Σdy·(x − m).
enum { BN_SUM, BN_DEV2, BN_GRAD };

// Adds rows [r0, r1) of channels [c0, c0 + 4·nv) into s (and s2), which hold the sums so far.
BN_INLINE void bn_sum_block(int kind, int nv, const float *x, const float *dy, const float *m, float *s, float *s2,
                            int C, int c0, int r0, int r1) {
  v128_t a[4], b[4], mv[4];
  for (int j = 0; j < nv; j++) {
    a[j] = wasm_v128_load(s + c0 + 4 * j);
    b[j] = kind == BN_GRAD ? wasm_v128_load(s2 + c0 + 4 * j) : a[j];
    mv[j] = kind != BN_SUM ? wasm_v128_load(m + c0 + 4 * j) : a[j];
  }
  for (int r = r0; r < r1; r++) {
    const float *xr = x + (long)r * C + c0;
    for (int j = 0; j < nv; j++) {
      v128_t v = wasm_v128_load(xr + 4 * j);
      if (kind == BN_SUM) {
        a[j] = wasm_f32x4_add(a[j], v);
      } else if (kind == BN_DEV2) {
        v128_t d = wasm_f32x4_sub(v, mv[j]);
        a[j] = wasm_f32x4_add(a[j], wasm_f32x4_mul(d, d));
      } else {
        v128_t g = wasm_v128_load(dy + (long)r * C + c0 + 4 * j);
        a[j] = wasm_f32x4_add(a[j], g);
        b[j] = wasm_f32x4_add(b[j], wasm_f32x4_mul(g, wasm_f32x4_sub(v, mv[j])));
      }
    }
  }
  for (int j = 0; j < nv; j++) {
    wasm_v128_store(s + c0 + 4 * j, a[j]);
    if (kind == BN_GRAD) wasm_v128_store(s2 + c0 + 4 * j, b[j]);
  }
}

// The same for the one channel c.
BN_INLINE void bn_sum_lane(int kind, const float *x, const float *dy, const float *m, float *s, float *s2, int C, int c,
                           int r0, int r1) {
  float a = s[c], b = kind == BN_GRAD ? s2[c] : 0.f, mc = kind != BN_SUM ? m[c] : 0.f;
  for (int r = r0; r < r1; r++) {
    float v = x[(long)r * C + c];
    if (kind == BN_SUM) {
      a += v;
    } else if (kind == BN_DEV2) {
      float d = v - mc;
      a += d * d;
    } else {
      float g = dy[(long)r * C + c];
      a += g;
      b += g * (v - mc);
    }
  }
  s[c] = a;
  if (kind == BN_GRAD) s2[c] = b;
}

// s[0..C) (and s2) = the sums of rows [r0, r1).
BN_INLINE void bn_sums(int kind, const float *x, const float *dy, const float *m, float *s, float *s2, int C, int r0, int r1) {
  zero_run(s, C);
  if (kind == BN_GRAD) zero_run(s2, C);
  const int C4 = C & ~3, tile = bn_tile(C, r1 - r0);
  for (int t0 = r0; t0 < r1; t0 += tile) {
    int t1 = r1 - t0 < tile ? r1 : t0 + tile;
    int c0 = 0;
    for (; c0 + 16 <= C4; c0 += 16) bn_sum_block(kind, 4, x, dy, m, s, s2, C, c0, t0, t1);
    switch ((C4 - c0) >> 2) {
      case 3: bn_sum_block(kind, 3, x, dy, m, s, s2, C, c0, t0, t1); break;
      case 2: bn_sum_block(kind, 2, x, dy, m, s, s2, C, c0, t0, t1); break;
      case 1: bn_sum_block(kind, 1, x, dy, m, s, s2, C, c0, t0, t1); break;
      default: break;
    }
    for (int c = C4; c < C; c++) bn_sum_lane(kind, x, dy, m, s, s2, C, c, t0, t1);
  }
}

// Rows [r0, r1) of channels [c0, c0 + 4·nv) of y = x·scale + shift (k = [scale | shift], 2·C
// floats), or with grad of dx = k1·dy − k3 − (x − m)·k2 (k = [k1 | k2 | k3], 3·C floats).
BN_INLINE void bn_apply_block(int grad, int nv, const float *x, const float *dy, const float *m, const float *k, float *out,
                              int C, int c0, int r0, int r1) {
  v128_t p[4], q[4], u[4], mv[4];
  for (int j = 0; j < nv; j++) {
    p[j] = wasm_v128_load(k + c0 + 4 * j);
    q[j] = wasm_v128_load(k + C + c0 + 4 * j);
    u[j] = grad ? wasm_v128_load(k + 2 * C + c0 + 4 * j) : p[j];
    mv[j] = grad ? wasm_v128_load(m + c0 + 4 * j) : p[j];
  }
  for (int r = r0; r < r1; r++) {
    const float *xr = x + (long)r * C + c0;
    float *o = out + (long)r * C + c0;
    for (int j = 0; j < nv; j++) {
      v128_t v = wasm_v128_load(xr + 4 * j);
      if (!grad) {
        wasm_v128_store(o + 4 * j, wasm_f32x4_add(wasm_f32x4_mul(v, p[j]), q[j]));
      } else {
        v128_t g = wasm_v128_load(dy + (long)r * C + c0 + 4 * j);
        v128_t a = wasm_f32x4_sub(wasm_f32x4_mul(p[j], g), u[j]);
        wasm_v128_store(o + 4 * j, wasm_f32x4_sub(a, wasm_f32x4_mul(wasm_f32x4_sub(v, mv[j]), q[j])));
      }
    }
  }
}

BN_INLINE void bn_apply(int grad, const float *x, const float *dy, const float *m, const float *k, float *out, int C, int r0, int r1) {
  const int C4 = C & ~3, tile = bn_tile(C, r1 - r0);
  for (int t0 = r0; t0 < r1; t0 += tile) {
    int t1 = r1 - t0 < tile ? r1 : t0 + tile;
    int c0 = 0;
    for (; c0 + 16 <= C4; c0 += 16) bn_apply_block(grad, 4, x, dy, m, k, out, C, c0, t0, t1);
    switch ((C4 - c0) >> 2) {
      case 3: bn_apply_block(grad, 3, x, dy, m, k, out, C, c0, t0, t1); break;
      case 2: bn_apply_block(grad, 2, x, dy, m, k, out, C, c0, t0, t1); break;
      case 1: bn_apply_block(grad, 1, x, dy, m, k, out, C, c0, t0, t1); break;
      default: break;
    }
    for (int c = C4; c < C; c++)
      for (int r = t0; r < t1; r++) {
        long i = (long)r * C + c;
        out[i] = grad ? k[c] * dy[i] - k[2 * C + c] - (x[i] - m[c]) * k[C + c] : x[i] * k[c] + k[C + c];
      }
  }
}

// out[0..n) = Σ over the chunks of partial[ch·stride ..], added in chunk order.
static void bn_reduce(const float *partial, int stride, float *out, int chunks, int n) {
  if (chunks == 0) {
    zero_run(out, n);
    return;
  }
  copy_run(out, partial, n);
  for (int ch = 1; ch < chunks; ch++) add_run(out, partial + (long)ch * stride, n);
}

// The passes below, each over rows or chunks of rows, are what bn_forward and bn_backward do in
// order; threadedGemm.ts runs the row passes on two threads (fusedBatchNorm.ts). The chunks are
// fixed by R alone and their partial sums are added in chunk order, so the bits do not depend on
// how the chunks are shared out.

// Partial sums of chunks [ch0, ch1) of rows: chunk ch's at partial + ch·C (BN_SUM, BN_DEV2, with m
// the mean) or partial + ch·2C, Σdy then Σdy·(x − m) (BN_GRAD). A chunk kernel of the pool.
EXPORT(bn_sum_chunks)
void bn_sum_chunks(float *unused, int kind, const float *x, const float *dy, const float *m, float *partial, int R, int C,
                   int ch0, int ch1) {
  (void)unused;
  const int chunk = bn_chunk(R);
  for (int ch = ch0; ch < ch1; ch++) {
    int r0 = ch * chunk, r1 = R - r0 < chunk ? R : r0 + chunk;
    if (kind == BN_GRAD) bn_sums(BN_GRAD, x, dy, m, partial + (long)ch * 2 * C, partial + (long)ch * 2 * C + C, C, r0, r1);
    else bn_sums(kind, x, 0, m, partial + (long)ch * C, 0, C, r0, r1);
  }
}

// Rows [r0, r1) of y = x·k[c] + k[C + c] (grad 0), or of dx = k1·dy − k3 − (x − m)·k2 (grad 1). A
// chunk kernel of the pool.
EXPORT(bn_apply_rows)
void bn_apply_rows(float *unused, int grad, const float *x, const float *dy, const float *m, const float *k, float *out,
                   int C, int r0, int r1) {
  (void)unused;
  bn_apply(grad, x, dy, m, k, out, C, r0, r1);
}

static inline int bn_chunks(int R) { return (R + bn_chunk(R) - 1) / bn_chunk(R); }

// mean = the chunks' Σx (bn_sum_chunks BN_SUM) added in order, over R.
EXPORT(bn_mean)
void bn_mean(const float *partial, float *mean, int R, int C) {
  const float invR = 1.f / (float)R;
  bn_reduce(partial, C, mean, bn_chunks(R), C);
  for (int c = 0; c < C; c++) mean[c] *= invR;
}

// var = the chunks' Σ(x − mean)² added in order, over R; k = [scale | shift] of y = x·scale + shift.
EXPORT(bn_forward_coeffs)
void bn_forward_coeffs(const float *partial, const float *gamma, const float *beta, const float *mean, float *var, float *k,
                       int R, int C, float eps) {
  const float invR = 1.f / (float)R;
  bn_reduce(partial, C, var, bn_chunks(R), C);
  for (int c = 0; c < C; c++) {
    var[c] *= invR;
    k[c] = gamma[c] / __builtin_sqrtf(var[c] + eps);
    k[C + c] = beta[c] - mean[c] * k[c];
  }
}

// dbeta, dgamma from the chunks' sums (bn_sum_chunks BN_GRAD), and k = [k1 | k2 | k3] of
// dx = k1·dy − k3 − (x − mean)·k2.
EXPORT(bn_backward_coeffs)
void bn_backward_coeffs(const float *partial, const float *gamma, const float *var, float *dgamma, float *dbeta, float *k,
                        int R, int C, float eps) {
  const int chunks = bn_chunks(R);
  const float invR = 1.f / (float)R;
  bn_reduce(partial, 2 * C, dbeta, chunks, C);
  bn_reduce(partial + C, 2 * C, dgamma, chunks, C);
  for (int c = 0; c < C; c++) {
    float inv = 1.f / __builtin_sqrtf(var[c] + eps), k1 = gamma[c] * inv;
    dgamma[c] *= inv;
    k[c] = k1;
    k[C + c] = k1 * invR * dgamma[c] * inv;
    k[2 * C + c] = k1 * invR * dbeta[c];
  }
}

// mean and (biased) variance per channel, y = (x - mean)·gamma/√(var + eps) + beta.
// scratch: (2 + BN_CHUNKS)·C floats: k, then the chunks' partial sums.
EXPORT(bn_forward)
void bn_forward(const float *x, const float *gamma, const float *beta, float *y, float *mean, float *var,
                float *scratch, int R, int C, float eps) {
  float *k = scratch, *partial = scratch + 2 * C;
  bn_sum_chunks(0, BN_SUM, x, 0, 0, partial, R, C, 0, bn_chunks(R));
  bn_mean(partial, mean, R, C);
  bn_sum_chunks(0, BN_DEV2, x, 0, mean, partial, R, C, 0, bn_chunks(R));
  bn_forward_coeffs(partial, gamma, beta, mean, var, k, R, C, eps);
  bn_apply(0, x, 0, 0, k, y, C, 0, R);
}

// Gradients of bn_forward's y (mean and variance from the batch itself):
// dbeta = Σdy, dgamma = inv·Σdy·(x − mean), dx = gamma·inv/R·(R·dy − dbeta − x̂·dgamma),
// x̂ = (x − mean)·inv, inv = 1/√(var + eps). scratch: (3 + 2·BN_CHUNKS)·C floats: k, then the
// chunks' partial sums.
EXPORT(bn_backward)
void bn_backward(const float *x, const float *dy, const float *gamma, const float *mean, const float *var,
                 float *dx, float *dgamma, float *dbeta, float *scratch, int R, int C, float eps) {
  float *k = scratch, *partial = scratch + 3 * C;
  bn_sum_chunks(0, BN_GRAD, x, dy, mean, partial, R, C, 0, bn_chunks(R));
  bn_backward_coeffs(partial, gamma, var, dgamma, dbeta, k, R, C, eps);
  bn_apply(1, x, dy, mean, k, dx, C, 0, R);
}

// ---- Convolutions over a mostly-zero input (one-hot characters): only nonzeros do work ----

// Number of nonzero floats in x[0..n), or some number above limit once it passes it (so a dense
// input costs a fraction of a pass).
EXPORT(count_nonzero)
int count_nonzero(const float *x, int n, int limit) {
  int count = 0, i = 0;
  v128_t z = wasm_f32x4_splat(0.f);
  for (; i + 4 <= n; i += 4) {
    if ((i & 255) == 0 && count > limit) return count;
    v128_t ne = wasm_f32x4_ne(wasm_v128_load(x + i), z);
    count -= wasm_i32x4_extract_lane(ne, 0) + wasm_i32x4_extract_lane(ne, 1) + wasm_i32x4_extract_lane(ne, 2) + wasm_i32x4_extract_lane(ne, 3);
  }
  for (; i < n; i++) count += x[i] != 0.f;
  return count;
}

// d[0..n) += v·s[0..n)
static inline void axpy_run(float *restrict d, float v, const float *restrict s, int n) {
  v128_t V = wasm_f32x4_splat(v);
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(d + i, wasm_f32x4_add(wasm_v128_load(d + i), wasm_f32x4_mul(V, wasm_v128_load(s + i))));
  for (; i < n; i++) d[i] += v * s[i];
}

// Calls body(p, k, v) for every nonzero v = cols[p, k] of im2col(x), in row-major order of cols,
// without building cols: the same (p, k) order as the dense GEMMs' sums, so results match them
// bit for bit (a skipped zero adds exactly nothing).
#define FOR_NONZERO_COLS(body)                                                              \
  {                                                                                         \
    int p = 0;                                                                              \
    for (int b = 0; b < n; b++)                                                             \
      for (int oy = 0; oy < oh; oy++)                                                       \
        for (int ox = 0; ox < ow; ox++, p++)                                                \
          for (int ky = 0; ky < kh; ky++) {                                                 \
            int iy = oy * sh - top + ky;                                                    \
            if (iy < 0 || iy >= h) continue;                                                \
            for (int kx = 0; kx < kw; kx++) {                                               \
              int ix = ox * sw - left + kx;                                                 \
              if (ix < 0 || ix >= w) continue;                                              \
              const float *xs = x + ((b * h + iy) * w + ix) * cin;                          \
              int k0 = (ky * kw + kx) * cin;                                                \
              int c = 0;                                                                    \
              for (; c + 4 <= cin; c += 4) {                                                \
                if (!wasm_v128_any_true(wasm_f32x4_ne(wasm_v128_load(xs + c), wasm_f32x4_splat(0.f)))) continue; \
                for (int q = c; q < c + 4; q++) {                                           \
                  float v = xs[q];                                                          \
                  if (v != 0.f) { int k = k0 + q; body; }                                   \
                }                                                                           \
              }                                                                             \
              for (; c < cin; c++) {                                                        \
                float v = xs[c];                                                            \
                if (v != 0.f) { int k = k0 + c; body; }                                     \
              }                                                                             \
            }                                                                               \
          }                                                                                 \
  }

// y[P, cout] = im2col(x)[P, K] · W[K, cout] for a sparse x.
EXPORT(conv_sparse_forward)
void conv_sparse_forward(const float *x, const float *W, float *y, int n, int h, int w, int cin, int oh, int ow,
                         int kh, int kw, int sh, int sw, int top, int left, int cout) {
  zero_run(y, n * oh * ow * cout);
  FOR_NONZERO_COLS(axpy_run(y + p * cout, v, W + k * cout, cout))
}

// dW[K, cout] = im2col(x)ᵀ[K, P] · dy[P, cout] for a sparse x.
EXPORT(conv_sparse_filter_grad)
void conv_sparse_filter_grad(const float *x, const float *dy, float *dW, int n, int h, int w, int cin, int oh, int ow,
                             int kh, int kw, int sh, int sw, int top, int left, int cout) {
  zero_run(dW, kh * kw * cin * cout);
  FOR_NONZERO_COLS(axpy_run(dW + k * cout, v, dy + p * cout, cout))
}

// out[c] = Σ_r x[r, c] for x [R, C]: a sum over leading axes (a bias gradient) in one pass.
EXPORT(sum_leading)
void sum_leading(const float *x, float *out, int R, int C) {
  zero_run(out, C);
  for (int r = 0; r < R; r++) add_run(out, x + r * C, C);
}

// out[j] = a[j·ia] == b[j·ib] for j < n (one row of a broadcast Equal; ia, ib are 0 or 1).
EXPORT(equal_run)
void equal_run(const float *a, int ia, const float *b, int ib, unsigned char *out, int n) {
  if (ia == 1 && ib == 1) for (int j = 0; j < n; j++) out[j] = a[j] == b[j];
  else if (ia == 1) { float v = b[0]; for (int j = 0; j < n; j++) out[j] = a[j] == v; }
  else if (ib == 1) { float v = a[0]; for (int j = 0; j < n; j++) out[j] = v == b[j]; }
  else for (int j = 0; j < n; j++) out[j] = a[j * ia] == b[j * ib];
}

// out[o, j] = max over r of x[o, r, j] for x [outer, R, inner] (a max over middle axes, e.g.
// GlobalMaxPool over time); a NaN wins, as in tfjs's cpu backend.
EXPORT(max_middle)
void max_middle(const float *x, float *out, int outer, int R, int inner) {
  for (int o = 0; o < outer; o++) {
    const float *xs = x + o * R * inner;
    float *d = out + o * inner;
    copy_run(d, xs, inner);
    for (int r = 1; r < R; r++) {
      const float *row = xs + r * inner;
      int j = 0;
      for (; j + 4 <= inner; j += 4) {
        v128_t m = wasm_v128_load(d + j), v = wasm_v128_load(row + j);
        v128_t take = wasm_v128_or(wasm_f32x4_gt(v, m), wasm_f32x4_ne(v, v));
        wasm_v128_store(d + j, wasm_v128_bitselect(v, m, take));
      }
      for (; j < inner; j++) {
        float v = row[j];
        if (v != v || v > d[j]) d[j] = v;
      }
    }
  }
}

// dx[o, r, j] = dy[o, j] · (x[o, r, j] == y[o, j] ? 1 : 0): the gradient of max_middle exactly as
// tfjs computes it (mul(dy, cast(equal(x, y)))): every tied maximum gets dy, a NaN gets 0·dy.
EXPORT(max_middle_grad)
void max_middle_grad(const float *x, const float *y, const float *dy, float *dx, int outer, int R, int inner) {
  v128_t one = wasm_f32x4_splat(1.f), zero = wasm_f32x4_splat(0.f);
  for (int o = 0; o < outer; o++) {
    const float *ym = y + o * inner, *g = dy + o * inner;
    for (int r = 0; r < R; r++) {
      const float *xr = x + (o * R + r) * inner;
      float *d = dx + (o * R + r) * inner;
      int j = 0;
      for (; j + 4 <= inner; j += 4) {
        v128_t eq = wasm_f32x4_eq(wasm_v128_load(xr + j), wasm_v128_load(ym + j));
        wasm_v128_store(d + j, wasm_f32x4_mul(wasm_v128_load(g + j), wasm_v128_bitselect(one, zero, eq)));
      }
      for (; j < inner; j++) d[j] = g[j] * (xr[j] == ym[j] ? 1.f : 0.f);
    }
  }
}

// out[o, j] = (Σ_r x[o, r, j]) / R for x [outer, R, inner]: a mean over middle axes (global
// average pooling over time, or over an image's positions).
EXPORT(mean_middle)
void mean_middle(const float *x, float *out, int outer, int R, int inner) {
  const v128_t r4 = wasm_f32x4_splat((float)R);
  for (int o = 0; o < outer; o++) {
    const float *xs = x + (long)o * R * inner;
    float *d = out + o * inner;
    copy_run(d, xs, inner);
    for (int r = 1; r < R; r++) add_run(d, xs + (long)r * inner, inner);
    int j = 0;
    for (; j + 4 <= inner; j += 4) wasm_v128_store(d + j, wasm_f32x4_div(wasm_v128_load(d + j), r4));
    for (; j < inner; j++) d[j] /= (float)R;
  }
}

// dx[o, r, j] = dy[o, j] / R: the gradient of mean_middle, as tfjs's (dy spread, divided by R).
EXPORT(mean_middle_grad)
void mean_middle_grad(const float *dy, float *dx, int outer, int R, int inner) {
  const v128_t r4 = wasm_f32x4_splat((float)R);
  for (int o = 0; o < outer; o++) {
    float *d0 = dx + (long)o * R * inner;
    const float *g = dy + o * inner;
    int j = 0;
    for (; j + 4 <= inner; j += 4) wasm_v128_store(d0 + j, wasm_f32x4_div(wasm_v128_load(g + j), r4));
    for (; j < inner; j++) d0[j] = g[j] / (float)R;
    for (int r = 1; r < R; r++) copy_run(d0 + (long)r * inner, d0, inner);
  }
}

// out = a + b (op 0) or a · b (op 1) for a [n] and b [nb] repeated (nb divides n: the same
// shape, a scalar, or a row broadcast over leading axes such as a bias).
#define BCAST_LOOPS(VOP, SOP)                                                                   \
  if (nb == 1) {                                                                                \
    v128_t v = wasm_f32x4_splat(b[0]);                                                          \
    int j = 0;                                                                                  \
    for (; j + 4 <= n; j += 4) wasm_v128_store(out + j, VOP(wasm_v128_load(a + j), v));         \
    for (; j < n; j++) out[j] = a[j] SOP b[0];                                                  \
    return;                                                                                     \
  }                                                                                             \
  for (int o = 0; o < n; o += nb) {                                                             \
    const float *ar = a + o;                                                                    \
    float *d = out + o;                                                                         \
    int j = 0;                                                                                  \
    for (; j + 4 <= nb; j += 4) wasm_v128_store(d + j, VOP(wasm_v128_load(ar + j), wasm_v128_load(b + j))); \
    for (; j < nb; j++) d[j] = ar[j] SOP b[j];                                                  \
  }

EXPORT(binary_bcast)
void binary_bcast(const float *a, const float *b, float *out, int n, int nb, int op) {
  if (op == 0) { BCAST_LOOPS(wasm_f32x4_add, +) }
  else { BCAST_LOOPS(wasm_f32x4_mul, *) }
}

// ---- Bias and activation of a convolution, fused: act 0 linear, 1 relu, 2 elu ----

// y[r, c] = act(z[r, c] + bias[c]) for z [R, C].
// Rows per group so that a group is whole vectors (G·C a multiple of 4): 1, 2 or 4.
static inline int flat_group(int C) { return (C & 3) == 0 ? 1 : (C & 1) == 0 ? 2 : 4; }

// The longest bias pattern (G·C floats) the flat paths below keep on the stack: C ≤ 64.
#define FLAT_MAX 256

EXPORT(bias_act_forward)
void bias_act_forward(const float *z, const float *bias, float *y, int R, int C, int act) {
  int r = 0;
  if ((C & 3) != 0 && C <= FLAT_MAX / 4 && act != 2) {
    // Few channels, not a multiple of 4 (a first image layer's 6): groups of G rows as whole
    // vectors against the bias repeated G times, instead of a vector and a scalar tail a row.
    const int G = flat_group(C), L = G * C;
    float pat[FLAT_MAX];
    for (int i = 0; i < L; i++) pat[i] = bias[i % C];
    const v128_t zero = wasm_f32x4_splat(0.f);
    const long end = (long)(R / G) * L;
    for (long i = 0; i < end; i += L)
      for (int q = 0; q < L; q += 4) {
        v128_t v = wasm_f32x4_add(wasm_v128_load(z + i + q), wasm_v128_load(pat + q));
        if (act == 1) v = wasm_v128_bitselect(v, zero, wasm_f32x4_gt(v, zero));
        wasm_v128_store(y + i + q, v);
      }
    r = R / G * G;
  }
  for (; r < R; r++) {
    const float *zr = z + r * C;
    float *yr = y + r * C;
    int c = 0;
    v128_t zero = wasm_f32x4_splat(0.f);
    if (act == 2) {
      for (; c + 4 <= C; c += 4) {
        v128_t v = wasm_f32x4_add(wasm_v128_load(zr + c), wasm_v128_load(bias + c));
        v128_t e = wasm_f32x4_sub(exp4(v), wasm_f32x4_splat(1.f));
        wasm_v128_store(yr + c, wasm_v128_bitselect(v, e, wasm_f32x4_ge(v, zero)));
      }
      for (; c < C; c++) {
        float v = zr[c] + bias[c];
        yr[c] = v >= 0.f ? v : exp_(v) - 1.f;
      }
      continue;
    }
    for (; c + 4 <= C; c += 4) {
      v128_t v = wasm_f32x4_add(wasm_v128_load(zr + c), wasm_v128_load(bias + c));
      if (act == 1) v = wasm_v128_bitselect(v, zero, wasm_f32x4_gt(v, zero));
      wasm_v128_store(yr + c, v);
    }
    for (; c < C; c++) {
      float v = zr[c] + bias[c];
      yr[c] = act == 1 ? (v > 0.f ? v : 0.f) : v;
    }
  }
}

// bias_act_forward of rows [r0, r1) only, as a chunk kernel of the two-thread pool; element by
// element, so any split gives its bits.
EXPORT(bias_act_forward_rows)
void bias_act_forward_rows(float *unused, const float *z, const float *bias, float *y, int C, int act, int r0, int r1) {
  (void)unused;
  bias_act_forward(z + (long)r0 * C, bias, y + (long)r0 * C, r1 - r0, C, act);
}

// From y = act(z + bias) and dy: dz = dy·act'(z + bias) (from y, as tfjs's Relu/Elu gradients),
// dbias[c] = Σ_r dz[r, c].
EXPORT(bias_act_backward)
void bias_act_backward(const float *y, const float *dy, float *dz, float *dbias, int R, int C, int act) {
  zero_run(dbias, C);
  v128_t zero = wasm_f32x4_splat(0.f), one = wasm_f32x4_splat(1.f);
  int r = 0;
  if ((C & 3) != 0 && C <= FLAT_MAX / 4 && act != 2) {
    // As in the forward: groups of G rows as whole vectors. dbias is summed per position of the
    // group, then those G partial sums of each channel are added in order.
    const int G = flat_group(C), L = G * C;
    float part[FLAT_MAX];
    zero_run(part, L);
    const long end = (long)(R / G) * L;
    for (long i = 0; i < end; i += L)
      for (int q = 0; q < L; q += 4) {
        v128_t g = wasm_v128_load(dy + i + q);
        v128_t d = act == 1 ? wasm_v128_and(g, wasm_f32x4_gt(wasm_v128_load(y + i + q), zero)) : g;
        wasm_v128_store(dz + i + q, d);
        wasm_v128_store(part + q, wasm_f32x4_add(wasm_v128_load(part + q), d));
      }
    for (int i = 0; i < L; i++) dbias[i % C] += part[i];
    r = R / G * G;
  }
  for (; r < R; r++) {
    const float *yr = y + r * C, *gr = dy + r * C;
    float *dr = dz + r * C;
    int c = 0;
    for (; c + 4 <= C; c += 4) {
      v128_t v = wasm_v128_load(yr + c), g = wasm_v128_load(gr + c), d;
      if (act == 1) d = wasm_v128_and(g, wasm_f32x4_gt(v, zero));
      else if (act == 2) d = wasm_v128_bitselect(g, wasm_f32x4_mul(g, wasm_f32x4_add(v, one)), wasm_f32x4_ge(v, zero));
      else d = g;
      wasm_v128_store(dr + c, d);
      wasm_v128_store(dbias + c, wasm_f32x4_add(wasm_v128_load(dbias + c), d));
    }
    for (; c < C; c++) {
      float v = yr[c], g = gr[c];
      float d = act == 1 ? (v > 0.f ? g : 0.f) : act == 2 ? (v >= 0.f ? g : g * (v + 1.f)) : g;
      dr[c] = d;
      dbias[c] += d;
    }
  }
}

// ---- An activation on its own (an Activation layer): act 1 relu, 2 elu, as bias_act's ----

// y = act(x) over n floats.
EXPORT(act_forward)
void act_forward(const float *x, float *y, int n, int act) {
  const v128_t zero = wasm_f32x4_splat(0.f), one = wasm_f32x4_splat(1.f);
  int i = 0;
  if (act == 2) {
    for (; i + 4 <= n; i += 4) {
      v128_t v = wasm_v128_load(x + i);
      wasm_v128_store(y + i, wasm_v128_bitselect(v, wasm_f32x4_sub(exp4(v), one), wasm_f32x4_ge(v, zero)));
    }
    for (; i < n; i++) y[i] = x[i] >= 0.f ? x[i] : exp_(x[i]) - 1.f;
    return;
  }
  // x < 0 ? 0 : x, as tfjs's Relu: a NaN stays NaN (the run's NaN stop must see it).
  for (; i + 4 <= n; i += 4) {
    v128_t v = wasm_v128_load(x + i);
    wasm_v128_store(y + i, wasm_v128_bitselect(zero, v, wasm_f32x4_lt(v, zero)));
  }
  for (; i < n; i++) y[i] = x[i] < 0.f ? 0.f : x[i];
}

// dx = dy·act'(x) from y = act(x), as tfjs's Relu (Step) and Elu (EluGrad) gradients.
EXPORT(act_backward)
void act_backward(const float *y, const float *dy, float *dx, int n, int act) {
  const v128_t zero = wasm_f32x4_splat(0.f), one = wasm_f32x4_splat(1.f);
  int i = 0;
  if (act == 2) {
    for (; i + 4 <= n; i += 4) {
      v128_t v = wasm_v128_load(y + i), g = wasm_v128_load(dy + i);
      wasm_v128_store(dx + i, wasm_v128_bitselect(g, wasm_f32x4_mul(g, wasm_f32x4_add(v, one)), wasm_f32x4_ge(v, zero)));
    }
    for (; i < n; i++) dx[i] = y[i] >= 0.f ? dy[i] : dy[i] * (y[i] + 1.f);
    return;
  }
  // dy where y > 0, 0 elsewhere, NaN where y is NaN (tfjs's Step is NaN there).
  for (; i + 4 <= n; i += 4) {
    v128_t v = wasm_v128_load(y + i);
    v128_t d = wasm_v128_and(wasm_v128_load(dy + i), wasm_f32x4_gt(v, zero));
    wasm_v128_store(dx + i, wasm_v128_or(d, wasm_v128_and(v, wasm_f32x4_ne(v, v))));
  }
  for (; i < n; i++) dx[i] = y[i] > 0.f ? dy[i] : y[i] != y[i] ? y[i] : 0.f;
}

// colsT [K, P] = im2col(x)ᵀ for a one-row convolution (h = kh = 1, as tfjs runs Conv1D) from
// xT [cin, n·w], x transposed: colsT[kx·cin + c, b·ow + ox] = xT[c, b·w + ox·sw − left + kx],
// 0 outside the row. Transposing x and copying runs moves far less than transposing cols.
// Rows [r0, r1) of colsT (row kx·cin + c), so the two GEMM threads can each build the rows they
// are about to multiply.
EXPORT(im2col_t1_rows)
void im2col_t1_rows(const float *xT, float *colsT, int n, int w, int cin, int ow, int kw, int sw, int left, int r0, int r1) {
  (void)kw;
  int P = n * ow;
  for (int r = r0; r < r1; r++) {
    int kx = r / cin, c = r - kx * cin;
    int lo = 0, hi = ow;
    while (lo < ow && lo * sw - left + kx < 0) lo++;
    while (hi > lo && (hi - 1) * sw - left + kx >= w) hi--;
    float *d = colsT + (long)r * P;
    const float *s = xT + c * n * w;
    for (int b = 0; b < n; b++, d += ow, s += w) {
      for (int ox = 0; ox < lo; ox++) d[ox] = 0.f;
      if (sw == 1) copy_run(d + lo, s + lo - left + kx, hi - lo);
      else for (int ox = lo; ox < hi; ox++) d[ox] = s[ox * sw - left + kx];
      for (int ox = hi; ox < ow; ox++) d[ox] = 0.f;
    }
  }
}

// out = v − (v − value)·decay for C channels: a batch norm's moving average, the operations of
// tfjs-layers' doMovingAverage in its order.
EXPORT(moving_average)
void moving_average(const float *v, const float *value, float *out, int C, float decay) {
  for (int c = 0; c < C; c++) out[c] = v[c] - (v[c] - value[c]) * decay;
}

// ---- Dropout's mask (seededDropout.ts), four draws of mulberry32 at a time ----

// mulberry32's output for the generator state s (engine/data/prng.ts, before its division by 2³²).
static inline unsigned mulberry_out(unsigned s) {
  unsigned t = (s ^ (s >> 15)) * (s | 1u);
  t ^= t + (t ^ (t >> 7)) * (t | 61u);
  return t ^ (t >> 14);
}

// out[i] = scale where the generator's draw i after state a (its state a + (i + 1)·0x6d2b79f5) is
// at least cut / 2³², else 0: seededDropout.ts's maskValues, bit for bit. The states are a
// counter, so four lanes draw four values at once.
EXPORT(dropout_mask)
void dropout_mask(float *out, int n, unsigned a, unsigned cut, float scale) {
  const unsigned C = 0x6d2b79f5u;
  const v128_t step = wasm_i32x4_splat((int)(4u * C)), cv = wasm_i32x4_splat((int)cut), sv = wasm_f32x4_splat(scale);
  const v128_t one = wasm_i32x4_splat(1), k61 = wasm_i32x4_splat(61);
  v128_t s = wasm_i32x4_make((int)(a + C), (int)(a + 2u * C), (int)(a + 3u * C), (int)(a + 4u * C));
  int i = 0;
  for (; i + 4 <= n; i += 4, s = wasm_i32x4_add(s, step)) {
    v128_t t = wasm_i32x4_mul(wasm_v128_xor(s, wasm_u32x4_shr(s, 15)), wasm_v128_or(s, one));
    t = wasm_v128_xor(t, wasm_i32x4_add(t, wasm_i32x4_mul(wasm_v128_xor(t, wasm_u32x4_shr(t, 7)), wasm_v128_or(t, k61))));
    t = wasm_v128_xor(t, wasm_u32x4_shr(t, 14));
    wasm_v128_store(out + i, wasm_v128_and(wasm_u32x4_ge(t, cv), sv));
  }
  for (; i < n; i++) out[i] = mulberry_out(a + (unsigned)(i + 1) * C) >= cut ? scale : 0.f;
}
