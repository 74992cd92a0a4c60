// The LSTM recurrence over a whole sequence, forward and backward (fusedLstm.ts), with
// tfjs-layers' LSTMCell math: gates i, f, ĉ, o in that order along the 4u axis,
//   c_t = f·c_{t-1} + i·tanh(z_ĉ),  h_t = o·tanh(c_t),
// and tfjs's masking: a masked step (mask 0) carries both h and c and outputs the carried h.
// The input projection x·W + b and the weight gradients are large matmuls done by the caller;
// these kernels only do what must go step by step. Layouts are batch-major: [n, T, ·].
#include "kernels.h"

// Forward over T steps. gx [n,T,4u] = x·W + b (in processing order), uk [u,4u] the recurrent
// kernel, mask [n,T] of 0/1 or null. Writes hs [n,T,u] (the layer's h per step, carried over
// masked steps), and for the backward pass: hprev [n,T,u] and cprev [n,T,u] (the state each
// step started from), gates [n,T,4u] (i, f, ĉ, o after their activations) and tc [n,T,u]
// (tanh of the step's new c). scratch: n·u floats (the carried c).
// hlast, when not null, gets h_T [n,u] (what a layer that returns only its last state outputs).
EXPORT(lstm_forward)
void lstm_forward(const float *gx, const float *uk, const float *mask, float *hs, float *hprev, float *cprev,
                  float *gates, float *tc, float *hlast, float *scratch, int n, int T, int u, int hard) {
  const int u4 = 4 * u, ldg = T * u4, ld = T * u;
  float *c = scratch;
  zero_run(c, n * u);
  for (int t = 0; t < T; t++) {
    float *hp = hprev + t * u;
    for (int i = 0; i < n; i++) {
      if (t == 0) zero_run(hp + i * ld, u);
      else copy_run(hp + i * ld, hs + i * ld + (t - 1) * u, u);
      copy_run(cprev + i * ld + t * u, c + i * u, u);
    }
    // The step's pre-activations h_{t-1}·U land in gates, then gx is added and the activations applied in place.
    gemm(hp, ld, uk, u4, gates + t * u4, ldg, n, u, u4, 0);
    for (int i = 0; i < n; i++) {
      const float *g = gx + i * ldg + t * u4;
      float *a = gates + i * ldg + t * u4;
      float m = mask ? mask[i * T + t] : 1.f;
      const float *hpi = hp + i * ld;
      float *ci = c + i * u, *tci = tc + i * ld + t * u, *hsi = hs + i * ld + t * u;
      const v128_t mv = wasm_f32x4_splat(m), keep = wasm_f32x4_splat(1.f - m);
      int j = 0;
      for (; j + 4 <= u; j += 4) {
#define AT(p, q) wasm_f32x4_add(wasm_v128_load(g + (p) + j), wasm_v128_load(a + (q) + j))
        v128_t ig = gate4(AT(0, 0), hard), fg = gate4(AT(u, u), hard);
        v128_t cg = tanh4(AT(2 * u, 2 * u)), og = gate4(AT(3 * u, 3 * u), hard);
#undef AT
        wasm_v128_store(a + j, ig); wasm_v128_store(a + u + j, fg);
        wasm_v128_store(a + 2 * u + j, cg); wasm_v128_store(a + 3 * u + j, og);
        v128_t cp = wasm_v128_load(ci + j);
        v128_t cn = MADD(fg, cp, wasm_f32x4_mul(ig, cg));
        v128_t tcn = tanh4(cn);
        wasm_v128_store(tci + j, tcn);
        wasm_v128_store(ci + j, MADD(mv, cn, wasm_f32x4_mul(keep, cp)));
        wasm_v128_store(hsi + j, MADD(mv, wasm_f32x4_mul(og, tcn), wasm_f32x4_mul(keep, wasm_v128_load(hpi + j))));
      }
      for (; j < u; j++) {  // the last u mod 4 columns, one at a time
        int at = i * ld + t * u + j;
        float ig = gate(g[j] + a[j], hard);
        float fg = gate(g[u + j] + a[u + j], hard);
        float cg = tanh_(g[2 * u + j] + a[2 * u + j]);
        float og = gate(g[3 * u + j] + a[3 * u + j], hard);
        a[j] = ig; a[u + j] = fg; a[2 * u + j] = cg; a[3 * u + j] = og;
        float cp = c[i * u + j];
        float cn = fg * cp + ig * cg;
        float tcn = tanh_(cn);
        tc[at] = tcn;
        c[i * u + j] = m * cn + (1.f - m) * cp;
        hs[at] = m * (og * tcn) + (1.f - m) * hp[i * ld + j];
      }
    }
  }
  if (hlast)
    for (int i = 0; i < n; i++) copy_run(hlast + i * u, hs + i * ld + (T - 1) * u, u);
}

// Batch rows are independent all through the sequence (row i's h and c depend on row i's alone),
// so the two threads (threadedGemm.ts runChunks) can each run whole rows [r0, r1) over all T
// steps with no step-by-step handshake: lstm_forward on those rows' slices of every buffer.
// The product's rows are computed the same way whichever rows a call has (gemm's 4-row tiles
// and its one-row loop do the same operations per element), so any split gives the same bits.
// scratch: (r1 - r0)·u floats, this thread's own.
EXPORT(lstm_forward_rows)
void lstm_forward_rows(float *scratch, const float *gx, const float *uk, const float *mask, float *hs, float *hprev,
                       float *cprev, float *gates, float *tc, float *hlast, int n, int T, int u, int hard, int r0, int r1) {
  (void)n;
  const long ldg = (long)T * 4 * u, ld = (long)T * u;
  lstm_forward(gx + r0 * ldg, uk, mask ? mask + (long)r0 * T : 0, hs + r0 * ld, hprev + r0 * ld, cprev + r0 * ld,
               gates + r0 * ldg, tc + r0 * ld, hlast ? hlast + (long)r0 * u : 0, scratch, r1 - r0, T, u, hard);
}

// Backward over T steps. ukT [4u,u] is the recurrent kernel transposed; mask, cprev, gates and
// tc as the forward pass left them. dy is dL/dhs [n,T,u] (all steps) or, when last != 0,
// dL/dh_T [n,u]. Writes dgx [n,T,4u] = dL/d(x·W + b); the recurrent-kernel gradient is then
// hprevᵀ·dgx (one large matmul by the caller). scratch: 3·n·u floats.
EXPORT(lstm_backward)
void lstm_backward(const float *ukT, const float *mask, const float *cprev, const float *gates, const float *tc,
                   const float *dy, int last, float *dgx, float *scratch, int n, int T, int u, int hard) {
  const int u4 = 4 * u, ldg = T * u4, ld = T * u;
  float *dh = scratch;               // [n,u] dL/dh_t
  float *dhp = scratch + n * u;      // [n,u] dL/dh_{t-1}
  float *dc = scratch + 2 * n * u;   // [n,u] dL/dc_t, then dL/dc_{t-1}
  for (int i = 0; i < n; i++) {
    if (last) copy_run(dh + i * u, dy + i * u, u);
    else zero_run(dh + i * u, u);
  }
  zero_run(dc, n * u);
  for (int t = T - 1; t >= 0; t--) {
    for (int i = 0; i < n; i++) {
      if (!last) add_run(dh + i * u, dy + i * ld + t * u, u);
      float m = mask ? mask[i * T + t] : 1.f;
      const float *a = gates + i * ldg + t * u4;
      float *g = dgx + i * ldg + t * u4;
      const float *cpi = cprev + i * ld + t * u, *tci = tc + i * ld + t * u;
      float *dhi = dh + i * u, *dci = dc + i * u, *dhpi = dhp + i * u;
      const v128_t mv = wasm_f32x4_splat(m), keep = wasm_f32x4_splat(1.f - m), one = wasm_f32x4_splat(1.f);
      int j = 0;
      for (; j + 4 <= u; j += 4) {
        v128_t d = wasm_v128_load(dhi + j), dn = wasm_f32x4_mul(mv, d), dcs = wasm_v128_load(dci + j);
        v128_t ig = wasm_v128_load(a + j), fg = wasm_v128_load(a + u + j);
        v128_t cg = wasm_v128_load(a + 2 * u + j), og = wasm_v128_load(a + 3 * u + j), tcn = wasm_v128_load(tci + j);
        // dL/d(the step's new c): through the carried state and through h = o·tanh(c).
        v128_t dcn = MADD(mv, dcs, wasm_f32x4_mul(wasm_f32x4_mul(dn, og), wasm_f32x4_sub(one, wasm_f32x4_mul(tcn, tcn))));
        wasm_v128_store(g + j, wasm_f32x4_mul(wasm_f32x4_mul(dcn, cg), gate_grad4(ig, hard)));
        wasm_v128_store(g + u + j, wasm_f32x4_mul(wasm_f32x4_mul(dcn, wasm_v128_load(cpi + j)), gate_grad4(fg, hard)));
        wasm_v128_store(g + 2 * u + j, wasm_f32x4_mul(wasm_f32x4_mul(dcn, ig), wasm_f32x4_sub(one, wasm_f32x4_mul(cg, cg))));
        wasm_v128_store(g + 3 * u + j, wasm_f32x4_mul(wasm_f32x4_mul(dn, tcn), gate_grad4(og, hard)));
        wasm_v128_store(dci + j, MADD(dcn, fg, wasm_f32x4_mul(keep, dcs)));
        wasm_v128_store(dhpi + j, wasm_f32x4_mul(keep, d));
      }
      for (; j < u; j++) {  // the last u mod 4 columns, one at a time
        int at = i * ld + t * u + j;
        float d = dh[i * u + j], dn = m * d, dcs = dc[i * u + j];
        float ig = a[j], fg = a[u + j], cg = a[2 * u + j], og = a[3 * u + j], tcn = tc[at];
        float dcn = m * dcs + dn * og * (1.f - tcn * tcn);
        g[j] = dcn * cg * gate_grad(ig, hard);
        g[u + j] = dcn * cprev[at] * gate_grad(fg, hard);
        g[2 * u + j] = dcn * ig * (1.f - cg * cg);
        g[3 * u + j] = dn * tcn * gate_grad(og, hard);
        dc[i * u + j] = dcn * fg + (1.f - m) * dcs;
        dhp[i * u + j] = (1.f - m) * d;
      }
    }
    gemm(dgx + t * u4, ldg, ukT, u, dhp, u, n, u4, u, 1);
    float *tmp = dh; dh = dhp; dhp = tmp;
  }
}

// lstm_backward on batch rows [r0, r1) (see lstm_forward_rows). scratch: 3·(r1 - r0)·u floats.
EXPORT(lstm_backward_rows)
void lstm_backward_rows(float *scratch, const float *ukT, const float *mask, const float *cprev, const float *gates,
                        const float *tc, const float *dy, int last, float *dgx, int n, int T, int u, int hard, int r0,
                        int r1) {
  (void)n;
  const long ldg = (long)T * 4 * u, ld = (long)T * u;
  lstm_backward(ukT, mask ? mask + (long)r0 * T : 0, cprev + r0 * ld, gates + r0 * ldg, tc + r0 * ld,
                dy + (last ? (long)r0 * u : r0 * ld), last, dgx + r0 * ldg, scratch, r1 - r0, T, u, hard);
}
