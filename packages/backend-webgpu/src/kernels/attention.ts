import { buffer, main1d, NEG_INFINITY, params, pf } from './wgsl';

/**
 * Multi-head attention on [B, T, C] operands, head h at channels [h·D, (h+1)·D). One invocation
 * per (b, h, query row i) — or per key row j for dK/dV — streams over the other sequence and
 * recomputes scores instead of storing [Tq, Tk] (flash style, without tiling). The tiled kernels
 * of `attention-flash.ts` run heads up to 128 wide; these run wider ones, and `ATTENTION_DELTA`
 * serves both backward passes. Masks add −1e9, never −inf, exactly as core's default body: causal for j > i, and
 * (keyMask − 1)·1e9 when p[6] = 1. Common p = [n, H, Tq, Tk, D, causal, hasMask, scale].
 */
const SCORE = `
fn score(b: u32, h: u32, i: u32, j: u32) -> f32 {
  let H = p[1];
  let Tq = p[2];
  let Tk = p[3];
  let D = p[4];
  let C = H * D;
  let qo = (b * Tq + i) * C + h * D;
  let ko = (b * Tk + j) * C + h * D;
  var dot = 0.0;
  for (var d = 0u; d < D; d = d + 1u) { dot = dot + q[qo + d] * k[ko + d]; }
  var s = dot * ${pf(7)};
  if (p[5] != 0u && j > i) { s = s + -1e9; }
  if (p[6] != 0u) { s = s + (mask[b * Tk + j] - 1.0) * 1e9; }
  return s;
}`;

const INPUTS = `${buffer(0, 'q', 'f32', 'read')}
${buffer(1, 'k', 'f32', 'read')}
${buffer(2, 'v', 'f32', 'read')}
${buffer(3, 'mask', 'f32', 'read')}`;

/** Row (b, h, i) from the flat index over [B, H, Tq]. */
const ROW = `  let Tq = p[2];
  let Tk = p[3];
  let D = p[4];
  let H = p[1];
  let C = H * D;
  let qi = i % Tq;
  let h = (i / Tq) % H;
  let b = i / (Tq * H);
  let o = (b * Tq + qi) * C + h * D;`;

/** out [B, Tq, C] and stats [B, H, Tq] = logsumexp of each scaled, masked score row. */
export const ATTENTION_FORWARD = `${INPUTS}
${buffer(4, 'out', 'f32', 'read_write')}
${buffer(5, 'stats', 'f32', 'read_write')}
${params(6)}
${SCORE}
${main1d(`  if (i >= p[0]) { return; }
${ROW}
  var m = ${NEG_INFINITY};
  for (var j = 0u; j < Tk; j = j + 1u) { m = max(m, score(b, h, qi, j)); }
  var total = 0.0;
  for (var d = 0u; d < D; d = d + 1u) { out[o + d] = 0.0; }
  for (var j = 0u; j < Tk; j = j + 1u) {
    let e = exp(score(b, h, qi, j) - m);
    total = total + e;
    let vo = (b * Tk + j) * C + h * D;
    for (var d = 0u; d < D; d = d + 1u) { out[o + d] = out[o + d] + e * v[vo + d]; }
  }
  for (var d = 0u; d < D; d = d + 1u) { out[o + d] = out[o + d] / total; }
  stats[i] = m + log(total);`)}`;

/** Δ_i = dO_i · O_i per (b, h, i), the softmax-backward row term. p as above. */
export const ATTENTION_DELTA = `${buffer(0, 'out', 'f32', 'read')}
${buffer(1, 'dOut', 'f32', 'read')}
${buffer(2, 'delta', 'f32', 'read_write')}
${params(3)}
${main1d(`  if (i >= p[0]) { return; }
${ROW}
  var total = 0.0;
  for (var d = 0u; d < D; d = d + 1u) { total = total + dOut[o + d] * out[o + d]; }
  delta[i] = total;`)}`;

/** dQ_i = scale · Σ_j P_ij (dO_i · V_j − Δ_i) K_j, one invocation per query row. */
export const ATTENTION_DQ = `${INPUTS}
${buffer(4, 'stats', 'f32', 'read')}
${buffer(5, 'dOut', 'f32', 'read')}
${buffer(6, 'delta', 'f32', 'read')}
${buffer(7, 'dq', 'f32', 'read_write')}
${params(8)}
${SCORE}
${main1d(`  if (i >= p[0]) { return; }
${ROW}
  for (var d = 0u; d < D; d = d + 1u) { dq[o + d] = 0.0; }
  for (var j = 0u; j < Tk; j = j + 1u) {
    let P = exp(score(b, h, qi, j) - stats[i]);
    let kv = (b * Tk + j) * C + h * D;
    var dP = 0.0;
    for (var d = 0u; d < D; d = d + 1u) { dP = dP + dOut[o + d] * v[kv + d]; }
    let dS = P * (dP - delta[i]) * ${pf(7)};
    for (var d = 0u; d < D; d = d + 1u) { dq[o + d] = dq[o + d] + dS * k[kv + d]; }
  }`)}`;

/** dK_j = scale · Σ_i dS_ij Q_i and dV_j = Σ_i P_ij dO_i, one invocation per key row; p[0] = B·H·Tk. */
export const ATTENTION_DKDV = `${INPUTS}
${buffer(4, 'stats', 'f32', 'read')}
${buffer(5, 'dOut', 'f32', 'read')}
${buffer(6, 'delta', 'f32', 'read')}
${buffer(7, 'dk', 'f32', 'read_write')}
${buffer(8, 'dv', 'f32', 'read_write')}
${params(9)}
${SCORE}
${main1d(`  if (i >= p[0]) { return; }
  let H = p[1];
  let Tq = p[2];
  let Tk = p[3];
  let D = p[4];
  let C = H * D;
  let kj = i % Tk;
  let h = (i / Tk) % H;
  let b = i / (Tk * H);
  let kv = (b * Tk + kj) * C + h * D;
  for (var d = 0u; d < D; d = d + 1u) { dk[kv + d] = 0.0; dv[kv + d] = 0.0; }
  for (var qi = 0u; qi < Tq; qi = qi + 1u) {
    let row = (b * H + h) * Tq + qi;
    let P = exp(score(b, h, qi, kj) - stats[row]);
    let o = (b * Tq + qi) * C + h * D;
    var dP = 0.0;
    for (var d = 0u; d < D; d = d + 1u) {
      dv[kv + d] = dv[kv + d] + P * dOut[o + d];
      dP = dP + dOut[o + d] * v[kv + d];
    }
    let dS = P * (dP - delta[row]) * ${pf(7)};
    for (var d = 0u; d < D; d = d + 1u) { dk[kv + d] = dk[kv + d] + dS * q[o + d]; }
  }`)}`;
