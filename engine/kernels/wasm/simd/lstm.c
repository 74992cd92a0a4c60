// The LSTM recurrence over a whole sequence, forward and backward (fusedLstm.ts), with
// tfjs-layers' LSTMCell math: gates i, f, ĉ, o in that order along the 4u axis,
//   c_t = f·c_{t-1} + i·tanh(z_ĉ),  h_t = o·tanh(c_t),
// and tfjs's masking: a masked step (mask 0) carries both h and c and outputs the carried h.
// The input projection x·W + b and the weight gradients are large matmuls done by the caller;
// these kernels only do what must go step by step. Layouts are batch-major: [n, T, ·].
#include "kernels.h"

static inline float gate(float x, int hard) { return hard ? hard_sigmoid_(x) : sigmoid_(x); }

// Forward over T steps. gx [n,T,4u] = x·W + b (in processing order), uk [u,4u] the recurrent
// kernel, mask [n,T] of 0/1 or null. Writes hs [n,T,u] (the layer's h per step, carried over
// masked steps), and for the backward pass: hprev [n,T,u] and cprev [n,T,u] (the state each
// step started from), gates [n,T,4u] (i, f, ĉ, o after their activations) and tc [n,T,u]
// (tanh of the step's new c). scratch: n·u floats (the carried c).
EXPORT(lstm_forward)
void lstm_forward(const float *gx, const float *uk, const float *mask, float *hs, float *hprev, float *cprev,
                  float *gates, float *tc, float *scratch, int n, int T, int u, int hard) {
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
      for (int j = 0; j < u; j++) {
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
      for (int j = 0; j < u; j++) {
        int at = i * ld + t * u + j;
        float d = dh[i * u + j], dn = m * d, dcs = dc[i * u + j];
        float ig = a[j], fg = a[u + j], cg = a[2 * u + j], og = a[3 * u + j], tcn = tc[at];
        // dL/d(the step's new c): through the carried state and through h = o·tanh(c).
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
