// Image convolutions (NHWC) without a column matrix. im2col's row p = (b, oy, ox) of x is,
// once x is zero-padded (conv2d_pad), kh runs of kw·cin contiguous floats of the padded image,
// starting at one corner per output position:
//   cols[p, ky·kw·cin + r] = xp[b, oy·sh + ky, ox·sw, 0][r],  r < kw·cin.
// So the forward and the filter gradient read their A operand straight from xp through a row
// pointer per output position (implicit im2col): unrolling cols, even a block at a time, cost
// more than the products for a first layer of one channel (25 floats a row, copied in runs of 5).
// The input gradient still goes through col2im, a block of rows of dcols at a time.
#include "kernels.h"

// xp [n, hb, wb, cin] = x [n, h, w, cin] shifted by (top, left) with zeros around it: xp[b, yy, xx]
// = x[b, yy - top, xx - left], 0 outside x. hb = (oh - 1)·sh + kh and wb = (ow - 1)·sw + kw cover
// every window (the caller skips this where x itself does: no padding, windows inside x).
EXPORT(conv2d_pad)
void conv2d_pad(const float *x, float *xp, int n, int h, int w, int cin, int hb, int wb, int top, int left) {
  int x0 = left < wb ? left : wb;
  int x1 = left + w < wb ? left + w : wb;
  for (int b = 0; b < n; b++)
    for (int yy = 0; yy < hb; yy++) {
      float *d = xp + (long)(b * hb + yy) * wb * cin;
      int iy = yy - top;
      if (iy < 0 || iy >= h) {
        zero_run(d, wb * cin);
        continue;
      }
      zero_run(d, x0 * cin);
      copy_run(d + x0 * cin, x + (long)(b * h + iy) * w * cin, (x1 - x0) * cin);
      zero_run(d + x1 * cin, (wb - x1) * cin);
    }
}

// conv2d_pad of images [b0, b1) only, as a chunk kernel of the two-thread pool (threadedGemm.ts).
EXPORT(conv2d_pad_images)
void conv2d_pad_images(float *unused, const float *x, float *xp, int h, int w, int cin, int hb, int wb, int top, int left,
                       int b0, int b1) {
  (void)unused;
  conv2d_pad(x + (long)b0 * h * w * cin, xp + (long)b0 * hb * wb * cin, b1 - b0, h, w, cin, hb, wb, top, left);
}

// The window corner of output position p in xp (oh, ow the output's size; hb, wb xp's).
static inline const float *corner(const float *xp, int p, int oh, int ow, int cin, int hb, int wb, int sh, int sw) {
  int b = p / (oh * ow), rem = p - b * oh * ow;
  int oy = rem / ow, ox = rem - oy * ow;
  return xp + ((long)(b * hb + oy * sh) * wb + ox * sw) * cin;
}

// Moves a window corner a from position (oy, ox) to the next output position.
#define NEXT_CORNER(a, b, oy, ox)                                      \
  do {                                                                 \
    if (++(ox) < ow) {                                                 \
      (a) += step;                                                     \
    } else {                                                           \
      (ox) = 0;                                                        \
      if (++(oy) == oh) {                                              \
        (oy) = 0;                                                      \
        (b)++;                                                         \
      }                                                                \
      (a) = xp + (long)((b) * hb + (oy) * sh) * wb * cin;              \
    }                                                                  \
  } while (0)

// y rows [p0, p1) = cols · W for W packed by pack_b_rows (panels of 8 columns, zero-padded), cols
// read from xp. Each element is the same sequence of multiply-adds, k ascending from 0, as
// gemm_packed's on unrolled cols, so it has the same bits on any thread and any split of the rows.
// `unused` is the per-thread scratch the two-thread loop hands every chunk kernel.
EXPORT(conv2d_forward_rows)
void conv2d_forward_rows(float *unused, const float *xp, const float *Wp, float *y, int oh, int ow, int cin, int hb,
                         int wb, int kh, int kw, int sh, int sw, int cout, int p0, int p1) {
  (void)unused;
  const int run = kw * cin, K = kh * run, rowStride = wb * cin, step = sw * cin, panels = (cout + 7) / 8;
  int b = p0 / (oh * ow), oy = (p0 - b * oh * ow) / ow, ox = p0 - b * oh * ow - oy * ow;
  const float *a = corner(xp, p0, oh, ow, cin, hb, wb, sh, sw);
  int p = p0;
  for (; p + 4 <= p1; p += 4) {
    const float *a0 = a;
    NEXT_CORNER(a, b, oy, ox);
    const float *a1 = a;
    NEXT_CORNER(a, b, oy, ox);
    const float *a2 = a;
    NEXT_CORNER(a, b, oy, ox);
    const float *a3 = a;
    NEXT_CORNER(a, b, oy, ox);
    for (int q = 0; q < panels; q++) {
      const float *bp = Wp + (long)q * K * 8;
      v128_t c00, c01, c10, c11, c20, c21, c30, c31;
      c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = wasm_f32x4_splat(0.f);
      for (int ky = 0; ky < kh; ky++) {
        const float *r0 = a0 + ky * rowStride, *r1 = a1 + ky * rowStride;
        const float *r2 = a2 + ky * rowStride, *r3 = a3 + ky * rowStride;
        for (int r = 0; r < run; r++, bp += 8) {
          v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4);
          v128_t v = wasm_v128_load32_splat(r0 + r);
          c00 = MADD(v, b0, c00); c01 = MADD(v, b1, c01);
          v = wasm_v128_load32_splat(r1 + r);
          c10 = MADD(v, b0, c10); c11 = MADD(v, b1, c11);
          v = wasm_v128_load32_splat(r2 + r);
          c20 = MADD(v, b0, c20); c21 = MADD(v, b1, c21);
          v = wasm_v128_load32_splat(r3 + r);
          c30 = MADD(v, b0, c30); c31 = MADD(v, b1, c31);
        }
      }
      int j = q * 8, wd = cout - j < 8 ? cout - j : 8;
      float *c = y + (long)p * cout + j;
      store_cols(c, c00, c01, wd);
      store_cols(c + cout, c10, c11, wd);
      store_cols(c + 2 * cout, c20, c21, wd);
      store_cols(c + 3 * cout, c30, c31, wd);
    }
  }
  for (; p < p1; p++) {
    const float *a0 = a;
    NEXT_CORNER(a, b, oy, ox);
    for (int q = 0; q < panels; q++) {
      const float *bp = Wp + (long)q * K * 8;
      v128_t c0 = wasm_f32x4_splat(0.f), c1 = c0;
      for (int ky = 0; ky < kh; ky++) {
        const float *r0 = a0 + ky * rowStride;
        for (int r = 0; r < run; r++, bp += 8) {
          v128_t v = wasm_v128_load32_splat(r0 + r);
          c0 = MADD(v, wasm_v128_load(bp), c0);
          c1 = MADD(v, wasm_v128_load(bp + 4), c1);
        }
      }
      int j = q * 8;
      store_cols(y + (long)p * cout + j, c0, c1, cout - j < 8 ? cout - j : 8);
    }
  }
}

// Calls body once per output position p of [p0, p1), in order, with a (its window corner in xp)
// and d (its row of dy, ld floats apart) advanced for it: the row's start is recomputed only when
// an output row ends, so the loop that holds the register tiles has few live integers.
#define FOR_POSITIONS(...)                                                          \
  do {                                                                             \
    int b = b0, oy = oy0, p = p0;                                                  \
    const float *d = d0 + j;                                                       \
    const float *a = xp + ((long)(b * hb + oy * sh) * wb + ox0 * sw) * cin + off;  \
    int seg = ow - ox0;                                                            \
    for (;;) {                                                                     \
      if (seg > p1 - p) seg = p1 - p;                                              \
      const float *dend = d + (long)seg * ld;                                      \
      for (; d < dend; d += ld, a += step) __VA_ARGS__;                               \
      p += seg;                                                                    \
      if (p >= p1) break;                                                          \
      if (++oy == oh) {                                                            \
        oy = 0;                                                                    \
        b++;                                                                       \
      }                                                                            \
      a = xp + (long)(b * hb + oy * sh) * wb * cin + off;                          \
      seg = ow;                                                                    \
    }                                                                              \
  } while (0)

// Loads a 4 × 8 tile of dW's partial sums from rows r0..r3 (8 floats each), or zeros on a
// chunk's first block of positions.
#define LOAD_TILE(r0, r1, r2, r3)                                                          \
  do {                                                                                     \
    if (first) {                                                                           \
      c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = wasm_f32x4_splat(0.f);               \
    } else {                                                                               \
      c00 = wasm_v128_load(r0); c01 = wasm_v128_load((r0) + 4);                            \
      c10 = wasm_v128_load(r1); c11 = wasm_v128_load((r1) + 4);                            \
      c20 = wasm_v128_load(r2); c21 = wasm_v128_load((r2) + 4);                            \
      c30 = wasm_v128_load(r3); c31 = wasm_v128_load((r3) + 4);                            \
    }                                                                                      \
  } while (0)

// acc [K, N8] (+)= Σ_{p0 ≤ p < p1} cols[p, :]ᵀ · dy[p, :] for one block of a chunk's positions:
// started from zero for its first block (first), else continued from acc, which gives each sum
// the same additions in the same order as one pass over the chunk would.
static void filter_grad_block(const float *xp, const float *d0, int ld, float *acc, int first, int oh, int ow,
                              int cin, int hb, int wb, int kh, int kw, int sh, int sw, int N8, int p0, int p1) {
  const int run = kw * cin, rowStride = wb * cin, step = sw * cin;
  const int b0 = p0 / (oh * ow), oy0 = (p0 - b0 * oh * ow) / ow, ox0 = p0 - b0 * oh * ow - oy0 * ow;
  for (int ky = 0; ky < kh; ky++) {
    int r = 0;
    for (; r + 4 <= run; r += 4) {
      const int off = ky * rowStride + r;
      for (int j = 0; j < N8; j += 8) {
        float *c = acc + (long)(ky * run + r) * N8 + j;
        v128_t c00, c01, c10, c11, c20, c21, c30, c31;
        LOAD_TILE(c, c + N8, c + 2 * N8, c + 3 * N8);
        FOR_POSITIONS({
          v128_t e0 = wasm_v128_load(d), e1 = wasm_v128_load(d + 4);
          v128_t v = wasm_v128_load32_splat(a);
          c00 = MADD(v, e0, c00); c01 = MADD(v, e1, c01);
          v = wasm_v128_load32_splat(a + 1);
          c10 = MADD(v, e0, c10); c11 = MADD(v, e1, c11);
          v = wasm_v128_load32_splat(a + 2);
          c20 = MADD(v, e0, c20); c21 = MADD(v, e1, c21);
          v = wasm_v128_load32_splat(a + 3);
          c30 = MADD(v, e0, c30); c31 = MADD(v, e1, c31);
        });
        wasm_v128_store(c, c00); wasm_v128_store(c + 4, c01);
        wasm_v128_store(c + N8, c10); wasm_v128_store(c + N8 + 4, c11);
        wasm_v128_store(c + 2 * N8, c20); wasm_v128_store(c + 2 * N8 + 4, c21);
        wasm_v128_store(c + 3 * N8, c30); wasm_v128_store(c + 3 * N8 + 4, c31);
      }
    }
  }
  // The taps left over at the end of each window row (run mod 4 of them a row), four at a time
  // from different rows, then one at a time.
  const int left = run & 3, leftovers = kh * left;
  int t = 0;
  for (; t + 4 <= leftovers; t += 4) {
#define LEFTOVER(i) (((t + (i)) / left) * rowStride + run - left + (t + (i)) % left)
    const int off = LEFTOVER(0), q1 = LEFTOVER(1) - off, q2 = LEFTOVER(2) - off, q3 = LEFTOVER(3) - off;
    const int k0 = ((t + 0) / left) * run + run - left + (t + 0) % left, k1 = ((t + 1) / left) * run + run - left + (t + 1) % left;
    const int k2 = ((t + 2) / left) * run + run - left + (t + 2) % left, k3 = ((t + 3) / left) * run + run - left + (t + 3) % left;
#undef LEFTOVER
    for (int j = 0; j < N8; j += 8) {
      v128_t c00, c01, c10, c11, c20, c21, c30, c31;
      LOAD_TILE(acc + (long)k0 * N8 + j, acc + (long)k1 * N8 + j, acc + (long)k2 * N8 + j, acc + (long)k3 * N8 + j);
      FOR_POSITIONS({
        v128_t e0 = wasm_v128_load(d), e1 = wasm_v128_load(d + 4);
        v128_t v = wasm_v128_load32_splat(a);
        c00 = MADD(v, e0, c00); c01 = MADD(v, e1, c01);
        v = wasm_v128_load32_splat(a + q1);
        c10 = MADD(v, e0, c10); c11 = MADD(v, e1, c11);
        v = wasm_v128_load32_splat(a + q2);
        c20 = MADD(v, e0, c20); c21 = MADD(v, e1, c21);
        v = wasm_v128_load32_splat(a + q3);
        c30 = MADD(v, e0, c30); c31 = MADD(v, e1, c31);
      });
      wasm_v128_store(acc + (long)k0 * N8 + j, c00); wasm_v128_store(acc + (long)k0 * N8 + j + 4, c01);
      wasm_v128_store(acc + (long)k1 * N8 + j, c10); wasm_v128_store(acc + (long)k1 * N8 + j + 4, c11);
      wasm_v128_store(acc + (long)k2 * N8 + j, c20); wasm_v128_store(acc + (long)k2 * N8 + j + 4, c21);
      wasm_v128_store(acc + (long)k3 * N8 + j, c30); wasm_v128_store(acc + (long)k3 * N8 + j + 4, c31);
    }
  }
  for (; t < leftovers; t++) {
    const int off = (t / left) * rowStride + run - left + t % left, k = (t / left) * run + run - left + t % left;
    for (int j = 0; j < N8; j += 8) {
      float *c = acc + (long)k * N8 + j;
      v128_t c0 = first ? wasm_f32x4_splat(0.f) : wasm_v128_load(c), c1 = first ? c0 : wasm_v128_load(c + 4);
      FOR_POSITIONS({
        v128_t v = wasm_v128_load32_splat(a);
        c0 = MADD(v, wasm_v128_load(d), c0);
        c1 = MADD(v, wasm_v128_load(d + 4), c1);
      });
      wasm_v128_store(c, c0);
      wasm_v128_store(c + 4, c1);
    }
  }
}


// The filter gradient's partial sum over one chunk of output positions [p0, p1):
//   acc[K, N8] = Σ_{p0 ≤ p < p1} cols[p, :]ᵀ · dy[p, :]   (N8 = cout rounded up to 8; overwritten)
// with cols read from xp, written at accBase + (p0 / chunk)·K·N8. Register tiles of 4 rows of dW
// (4 taps next to each other in one window row) × 8 columns (output channels) are held across
// the chunk's positions; each position adds its 4 taps, splatted, times 8 of dy's values. A window
// row's last run·mod·4 taps go one at a time (1 × 8). Where cout is not a multiple of 8, dy's
// rows are first copied into dyp (per thread, chunk·N8 floats) with zeros after cout, so every
// load is whole. Chunks are fixed by the geometry (not by the thread count) and summed in order
// by conv2d_filter_grad_reduce, so dW has the same bits on one thread and two.
EXPORT(conv2d_filter_grad_rows)
void conv2d_filter_grad_rows(float *dyp, const float *xp, const float *dy, float *accBase, int oh, int ow, int cin,
                             int hb, int wb, int kh, int kw, int sh, int sw, int cout, int chunk, int p0, int p1) {
  const int K = kh * kw * cin, N8 = (cout + 7) & ~7;
  float *acc = accBase + (long)(p0 / chunk) * K * N8;
  const float *d0 = dy + (long)p0 * cout;
  int ld = cout;
  if (cout != N8) {
    for (int p = p0; p < p1; p++) {
      float *d = dyp + (long)(p - p0) * N8;
      const float *s = dy + (long)p * cout;
      for (int o = 0; o < N8; o++) d[o] = o < cout ? s[o] : 0.f;
    }
    d0 = dyp;
    ld = N8;
  }
  // Blocks of positions whose rows of dy (ld floats each) take ~16 KB, so they stay in the first
  // level cache through the tiles' passes over them.
  const int block = 4096 / ld > 16 ? 4096 / ld : 16;
  for (int s0 = p0; s0 < p1; s0 += block)
    filter_grad_block(xp, d0 + (long)(s0 - p0) * ld, ld, acc, s0 == p0, oh, ow, cin, hb, wb, kh, kw, sh, sw, N8, s0,
                      p1 - s0 < block ? p1 : s0 + block);
}

// dW [K, cout] = Σ over `chunks` partial sums acc[c] [K, N8] (conv2d_filter_grad_rows), added in
// chunk order into acc[0] and copied out without the padding columns.
EXPORT(conv2d_filter_grad_reduce)
void conv2d_filter_grad_reduce(float *acc, float *dW, int chunks, int K, int cout) {
  const int N8 = (cout + 7) & ~7;
  for (int c = 1; c < chunks; c++) add_run(acc, acc + (long)c * K * N8, K * N8);
  for (int k = 0; k < K; k++) copy_run(dW + (long)k * cout, acc + (long)k * N8, cout);
}

// dx of images [b0, b1) = col2im(dy · Wᵀ) for W [kh, kw, cin, cout], a block of pb rows of dcols
// at a time in scratch (pb·K floats), added into dx before the next is made: the column matrix's
// gradient is never whole. WTp: Wᵀ [cout, K] packed by pack_b_rows. An image's dx gets terms only
// from its own rows, in ascending order however the images and blocks are split, so the two
// threads may take images in any order and dx has the same bits as on one.
EXPORT(conv2d_input_grad_images)
void conv2d_input_grad_images(float *dcols, const float *dy, const float *WTp, float *dx, int n, int h, int w,
                              int cin, int oh, int ow, int kh, int kw, int sh, int sw, int top, int left, int cout,
                              int pb, int b0, int b1) {
  (void)n;
  const int K = kh * kw * cin, per = oh * ow;
  zero_run(dx + (long)b0 * h * w * cin, (b1 - b0) * h * w * cin);
  for (int p0 = b0 * per; p0 < b1 * per; p0 += pb) {
    int rows = b1 * per - p0 < pb ? b1 * per - p0 : pb;
    gemm_packed(dy + (long)p0 * cout, WTp, dcols, rows, cout, K);
    col2im_rows(dcols, dx, h, w, cin, oh, ow, kh, kw, sh, sw, top, left, p0, p0 + rows);
  }
}

// Wf [kh, kw, cout, cin] = W [kh, kw, cin, cout] turned half a turn and with its channels swapped:
// Wf[ky, kx, o, c] = W[kh-1-ky, kw-1-kx, c, o]. A stride-1 convolution's input gradient is the
// forward convolution of dy with Wf (padded kh-1-top above and kw-1-left left).
EXPORT(conv2d_flip_filter)
void conv2d_flip_filter(const float *W, float *Wf, int kh, int kw, int cin, int cout) {
  for (int ky = 0; ky < kh; ky++)
    for (int kx = 0; kx < kw; kx++) {
      const float *s = W + (long)((kh - 1 - ky) * kw + (kw - 1 - kx)) * cin * cout;
      transpose2d(s, Wf + (long)(ky * kw + kx) * cout * cin, cin, cout);
    }
}
