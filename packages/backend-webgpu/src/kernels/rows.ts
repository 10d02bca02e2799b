import { buffer, main1d, mainPerRow, NEG_INFINITY, params, pf } from './wgsl';

// Row kernels act on the last axis of a contiguous [rows, cols] tensor with one workgroup of 64
// per row (lanes stride over the columns, tree reductions combine them), or one invocation per
// element where rows do not matter.

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
${mainPerRow(`  if (row >= p[0]) { return; }
  let cols = p[1];
  let o = row * cols;
  var laneMax = ${NEG_INFINITY};
  for (var c = lane; c < cols; c = c + 64u) { laneMax = max(laneMax, x[o + c]); }
  let m = workgroupMax(laneMax, lane);
  var laneSum = 0.0;
  for (var c = lane; c < cols; c = c + 64u) { laneSum = laneSum + exp(x[o + c] - m); }
  let s = workgroupSum(laneSum, lane);
  let lse = m + log(s);
  for (var c = lane; c < cols; c = c + 64u) { ${write} }`)}`;
}

/** softmax: dx = y ⊙ (dy − Σ dy ⊙ y); log-softmax: dx = dy − exp(y) · Σ dy. p = [rows, cols]. */
export function softmaxBackward(log: boolean): string {
  const term = log ? 'dy[o + c]' : 'dy[o + c] * y[o + c]';
  const write = log ? 'dx[o + c] = dy[o + c] - exp(y[o + c]) * total;' : 'dx[o + c] = y[o + c] * (dy[o + c] - total);';
  return `${buffer(0, 'y', 'f32', 'read')}
${buffer(1, 'dy', 'f32', 'read')}
${buffer(2, 'dx', 'f32', 'read_write')}
${params(3)}
${mainPerRow(`  if (row >= p[0]) { return; }
  let cols = p[1];
  let o = row * cols;
  var laneSum = 0.0;
  for (var c = lane; c < cols; c = c + 64u) { laneSum = laneSum + ${term}; }
  let total = workgroupSum(laneSum, lane);
  for (var c = lane; c < cols; c = c + 64u) { ${write} }`)}`;
}

/** Layer norm of each row of [rows, C], keeping mean and rstd [rows]. p = [rows, C, epsilon]. */
export const LAYER_NORM_FORWARD = `${buffer(0, 'x', 'f32', 'read')}
${buffer(1, 'gamma', 'f32', 'read')}
${buffer(2, 'beta', 'f32', 'read')}
${buffer(3, 'y', 'f32', 'read_write')}
${buffer(4, 'mean', 'f32', 'read_write')}
${buffer(5, 'rstd', 'f32', 'read_write')}
${params(6)}
${mainPerRow(`  if (row >= p[0]) { return; }
  let C = p[1];
  let o = row * C;
  var laneSum = 0.0;
  for (var c = lane; c < C; c = c + 64u) { laneSum = laneSum + x[o + c]; }
  let m = workgroupSum(laneSum, lane) / f32(C);
  var laneSquares = 0.0;
  for (var c = lane; c < C; c = c + 64u) { let d = x[o + c] - m; laneSquares = laneSquares + d * d; }
  let s = 1.0 / sqrt(workgroupSum(laneSquares, lane) / f32(C) + ${pf(2)});
  if (lane == 0u) {
    mean[row] = m;
    rstd[row] = s;
  }
  for (var c = lane; c < C; c = c + 64u) { y[o + c] = (x[o + c] - m) * s * gamma[c] + beta[c]; }`)}`;

/** dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂)), dx̂ = dy ⊙ γ, per row. p = [rows, C]. */
export const LAYER_NORM_BACKWARD_DX = `${buffer(0, 'dy', 'f32', 'read')}
${buffer(1, 'x', 'f32', 'read')}
${buffer(2, 'gamma', 'f32', 'read')}
${buffer(3, 'mean', 'f32', 'read')}
${buffer(4, 'rstd', 'f32', 'read')}
${buffer(5, 'dx', 'f32', 'read_write')}
${params(6)}
${mainPerRow(`  if (row >= p[0]) { return; }
  let C = p[1];
  let o = row * C;
  let m = mean[row];
  let s = rstd[row];
  var laneD = 0.0;
  var laneDX = 0.0;
  for (var c = lane; c < C; c = c + 64u) {
    let d = dy[o + c] * gamma[c];
    laneD = laneD + d;
    laneDX = laneDX + d * (x[o + c] - m) * s;
  }
  let meanD = workgroupSum(laneD, lane) / f32(C);
  let meanDX = workgroupSum(laneDX, lane) / f32(C);
  for (var c = lane; c < C; c = c + 64u) {
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
