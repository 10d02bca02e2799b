import { buffer, main1d, NEG_INFINITY, params, pf } from './wgsl';

// Row kernels act on the last axis of a contiguous [rows, cols] tensor, one invocation per row
// (rows are short in a transformer: C or the vocabulary), or per element where rows do not matter.

const GELU_INNER = 'let t = tanh(clamp(0.7978845608028654 * (v + 0.044715 * v * v * v), -10.0, 10.0));';

/** GELU, tanh form: y = ½x(1 + tanh(√(2/π)(x + 0.044715x³))). p = [n]. */
export const GELU_FORWARD = `${buffer(0, 'x', 'f32', 'read')}
${buffer(1, 'y', 'f32', 'read_write')}
${params(2)}
${main1d(`  if (i >= p[0]) { return; }
  let v = x[i];
  ${GELU_INNER}
  y[i] = 0.5 * v * (1.0 + t);`)}`;

/** Exact derivative of the tanh form times dy. p = [n]. */
export const GELU_BACKWARD = `${buffer(0, 'x', 'f32', 'read')}
${buffer(1, 'dy', 'f32', 'read')}
${buffer(2, 'dx', 'f32', 'read_write')}
${params(3)}
${main1d(`  if (i >= p[0]) { return; }
  let v = x[i];
  ${GELU_INNER}
  let inner = 0.7978845608028654 * (1.0 + 3.0 * 0.044715 * v * v);
  dx[i] = dy[i] * (0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * inner);`)}`;

/** Max-subtracted softmax (log: x − logsumexp) per row. p = [rows, cols]. */
export function softmaxForward(log: boolean): string {
  const write = log ? 'y[o + c] = x[o + c] - lse;' : 'y[o + c] = exp(x[o + c] - m) / s;';
  return `${buffer(0, 'x', 'f32', 'read')}
${buffer(1, 'y', 'f32', 'read_write')}
${params(2)}
${main1d(`  if (i >= p[0]) { return; }
  let cols = p[1];
  let o = i * cols;
  var m = ${NEG_INFINITY};
  for (var c = 0u; c < cols; c = c + 1u) { m = max(m, x[o + c]); }
  var s = 0.0;
  for (var c = 0u; c < cols; c = c + 1u) { s = s + exp(x[o + c] - m); }
  let lse = m + log(s);
  for (var c = 0u; c < cols; c = c + 1u) { ${write} }`)}`;
}

/** softmax: dx = y ⊙ (dy − Σ dy ⊙ y); log-softmax: dx = dy − exp(y) · Σ dy. p = [rows, cols]. */
export function softmaxBackward(log: boolean): string {
  const term = log ? 'dy[o + c]' : 'dy[o + c] * y[o + c]';
  const write = log ? 'dx[o + c] = dy[o + c] - exp(y[o + c]) * total;' : 'dx[o + c] = y[o + c] * (dy[o + c] - total);';
  return `${buffer(0, 'y', 'f32', 'read')}
${buffer(1, 'dy', 'f32', 'read')}
${buffer(2, 'dx', 'f32', 'read_write')}
${params(3)}
${main1d(`  if (i >= p[0]) { return; }
  let cols = p[1];
  let o = i * cols;
  var total = 0.0;
  for (var c = 0u; c < cols; c = c + 1u) { total = total + ${term}; }
  for (var c = 0u; c < cols; c = c + 1u) { ${write} }`)}`;
}

/** Layer norm of each row of [rows, C], keeping mean and rstd [rows]. p = [rows, C, epsilon]. */
export const LAYER_NORM_FORWARD = `${buffer(0, 'x', 'f32', 'read')}
${buffer(1, 'gamma', 'f32', 'read')}
${buffer(2, 'beta', 'f32', 'read')}
${buffer(3, 'y', 'f32', 'read_write')}
${buffer(4, 'mean', 'f32', 'read_write')}
${buffer(5, 'rstd', 'f32', 'read_write')}
${params(6)}
${main1d(`  if (i >= p[0]) { return; }
  let C = p[1];
  let o = i * C;
  var m = 0.0;
  for (var c = 0u; c < C; c = c + 1u) { m = m + x[o + c]; }
  m = m / f32(C);
  var v = 0.0;
  for (var c = 0u; c < C; c = c + 1u) { let d = x[o + c] - m; v = v + d * d; }
  let s = 1.0 / sqrt(v / f32(C) + ${pf(2)});
  mean[i] = m;
  rstd[i] = s;
  for (var c = 0u; c < C; c = c + 1u) { y[o + c] = (x[o + c] - m) * s * gamma[c] + beta[c]; }`)}`;

/** dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂)), dx̂ = dy ⊙ γ; one invocation per row. p = [rows, C]. */
export const LAYER_NORM_BACKWARD_DX = `${buffer(0, 'dy', 'f32', 'read')}
${buffer(1, 'x', 'f32', 'read')}
${buffer(2, 'gamma', 'f32', 'read')}
${buffer(3, 'mean', 'f32', 'read')}
${buffer(4, 'rstd', 'f32', 'read')}
${buffer(5, 'dx', 'f32', 'read_write')}
${params(6)}
${main1d(`  if (i >= p[0]) { return; }
  let C = p[1];
  let o = i * C;
  let m = mean[i];
  let s = rstd[i];
  var meanD = 0.0;
  var meanDX = 0.0;
  for (var c = 0u; c < C; c = c + 1u) {
    let d = dy[o + c] * gamma[c];
    meanD = meanD + d;
    meanDX = meanDX + d * (x[o + c] - m) * s;
  }
  meanD = meanD / f32(C);
  meanDX = meanDX / f32(C);
  for (var c = 0u; c < C; c = c + 1u) {
    let xhat = (x[o + c] - m) * s;
    dx[o + c] = s * (dy[o + c] * gamma[c] - meanD - xhat * meanDX);
  }`)}`;

/** dγ = Σ_rows dy ⊙ x̂ and dβ = Σ_rows dy; one invocation per column. p = [C, rows]. */
export const LAYER_NORM_BACKWARD_PARAMS = `${buffer(0, 'dy', 'f32', 'read')}
${buffer(1, 'x', 'f32', 'read')}
${buffer(2, 'mean', 'f32', 'read')}
${buffer(3, 'rstd', 'f32', 'read')}
${buffer(4, 'dgamma', 'f32', 'read_write')}
${buffer(5, 'dbeta', 'f32', 'read_write')}
${params(6)}
${main1d(`  let C = p[0];
  if (i >= C) { return; }
  let rows = p[1];
  var g = 0.0;
  var b = 0.0;
  for (var r = 0u; r < rows; r = r + 1u) {
    let d = dy[r * C + i];
    g = g + d * (x[r * C + i] - mean[r]) * rstd[r];
    b = b + d;
  }
  dgamma[i] = g;
  dbeta[i] = b;`)}`;
