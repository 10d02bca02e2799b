import { buffer, main1d, mainPerRow, params, pf } from './wgsl';

// Layer norm acts on the last axis of a contiguous [rows, C] tensor with one workgroup of 64 per
// row (lanes stride over the columns, tree reductions combine them); the parameter gradients
// take one invocation per column.

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

/**
 * Where a backward kernel reads each row's mean and rstd: two [rows] buffers (`layerNorm`), or
 * one [2, rows] buffer, every mean then every rstd (`addLayerNorm`, whose forward must fit eight
 * storage bindings). `rows` is the WGSL expression of the row count in that kernel's params.
 */
export type StatsLayout = 'separate' | 'packed';
const stats = (layout: StatsLayout, first: number, rows: string) =>
  layout === 'separate'
    ? {
        decl: `${buffer(first, 'mean', 'f32', 'read')}\n${buffer(first + 1, 'rstd', 'f32', 'read')}`,
        count: 2,
        mean: (r: string) => `mean[${r}]`,
        rstd: (r: string) => `rstd[${r}]`,
      }
    : { decl: buffer(first, 'stats', 'f32', 'read'), count: 1, mean: (r: string) => `stats[${r}]`, rstd: (r: string) => `stats[${rows} + ${r}]` };

/** dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂)), dx̂ = dy ⊙ γ, per row. p = [rows, C]. Bindings: dy, x, gamma, stats…, dx. */
export function layerNormBackwardDx(layout: StatsLayout): string {
  const st = stats(layout, 3, 'p[0]');
  return `${buffer(0, 'dy', 'f32', 'read')}
${buffer(1, 'x', 'f32', 'read')}
${buffer(2, 'gamma', 'f32', 'read')}
${st.decl}
${buffer(3 + st.count, 'dx', 'f32', 'read_write')}
${params(4 + st.count)}
${mainPerRow(`  if (row >= p[0]) { return; }
  let C = p[1];
  let o = row * C;
  let m = ${st.mean('row')};
  let s = ${st.rstd('row')};
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
}

/** dγ = Σ_rows dy ⊙ x̂ and dβ = Σ_rows dy; one invocation per column. p = [C, rows]. Bindings: dy, x, stats…, dgamma, dbeta. */
export function layerNormBackwardParams(layout: StatsLayout): string {
  const st = stats(layout, 2, 'p[1]');
  return `${buffer(0, 'dy', 'f32', 'read')}
${buffer(1, 'x', 'f32', 'read')}
${st.decl}
${buffer(2 + st.count, 'dgamma', 'f32', 'read_write')}
${buffer(3 + st.count, 'dbeta', 'f32', 'read_write')}
${params(4 + st.count)}
${main1d(`  let C = p[0];
  if (i >= C) { return; }
  let rows = p[1];
  var g = 0.0;
  var b = 0.0;
  for (var r = 0u; r < rows; r = r + 1u) {
    let d = dy[r * C + i];
    g = g + d * (x[r * C + i] - ${st.mean('r')}) * ${st.rstd('r')};
    b = b + d;
  }
  dgamma[i] = g;
  dbeta[i] = b;`)}`;
}

export const LAYER_NORM_BACKWARD_DX = layerNormBackwardDx('separate');
export const LAYER_NORM_BACKWARD_PARAMS = layerNormBackwardParams('separate');
