import type { FusedKernels } from '@wattformer/core';
import { f32Bits, type GpuRuntime, type WebGpuStorage } from '../gpu-runtime';
import { perRow, read, write } from './fused-dispatch';
import { layerNormBackwardDx, layerNormBackwardParams } from './layer-norm';
import { buffer, mainPerRow, params, pf } from './wgsl';

// Residual add + layer norm over [rows, C], one workgroup of 64 per row: the lanes write
// sum = x + residual while summing it, then reduce the centred squares and write y from `sum`
// (their own writes, so no barrier is needed). stats [2, rows] holds every mean, then every
// rstd: eight storage bindings in all, the WebGPU default limit. Backward is layer norm's
// (layer-norm.ts) reading the packed stats: two dispatches.

/** sum = x + residual; y = layerNorm(sum)·γ + β; stats = [means, rstds]. p = [rows, C, epsilon]. */
export const ADD_LAYER_NORM_FORWARD = `${buffer(0, 'x', 'f32', 'read')}
${buffer(1, 'residual', 'f32', 'read')}
${buffer(2, 'gamma', 'f32', 'read')}
${buffer(3, 'beta', 'f32', 'read')}
${buffer(4, 'sum', 'f32', 'read_write')}
${buffer(5, 'y', 'f32', 'read_write')}
${buffer(6, 'stats', 'f32', 'read_write')}
${params(7)}
${mainPerRow(`  if (row >= p[0]) { return; }
  let C = p[1];
  let o = row * C;
  var laneSum = 0.0;
  for (var c = lane; c < C; c = c + 64u) { let v = x[o + c] + residual[o + c]; sum[o + c] = v; laneSum = laneSum + v; }
  let m = workgroupSum(laneSum, lane) / f32(C);
  var laneSquares = 0.0;
  for (var c = lane; c < C; c = c + 64u) { let d = sum[o + c] - m; laneSquares = laneSquares + d * d; }
  let s = 1.0 / sqrt(workgroupSum(laneSquares, lane) / f32(C) + ${pf(2)});
  if (lane == 0u) {
    stats[row] = m;
    stats[p[0] + row] = s;
  }
  for (var c = lane; c < C; c = c + 64u) { y[o + c] = (sum[o + c] - m) * s * gamma[c] + beta[c]; }`)}`;

const BACKWARD_DX = layerNormBackwardDx('packed');
const BACKWARD_PARAMS = layerNormBackwardParams('packed');

/** The `addLayerNorm` entry: one dispatch forward (where add + layerNorm took two), two backward. */
export function fused(gpu: GpuRuntime): NonNullable<FusedKernels<WebGpuStorage>['addLayerNorm']> {
  return {
    forward(x, residual, gamma, beta, rows, C, epsilon) {
      const sum = gpu.allocate(rows * C, 'addLayerNorm');
      const y = gpu.allocate(rows * C, 'addLayerNorm');
      const stats = gpu.allocate(2 * rows, 'addLayerNorm');
      const bindings = [read(x), read(residual), read(gamma), read(beta), write(sum), write(y), write(stats)];
      perRow(gpu, ADD_LAYER_NORM_FORWARD, bindings, [rows, C, f32Bits(epsilon)], rows);
      return { sum, y, stats };
    },
    backward(dy, sum, gamma, stats, rows, C) {
      const dx = gpu.allocate(rows * C, 'addLayerNorm');
      const dgamma = gpu.allocate(C, 'addLayerNorm');
      const dbeta = gpu.allocate(C, 'addLayerNorm');
      perRow(gpu, BACKWARD_DX, [read(dy), read(sum), read(gamma), read(stats), write(dx)], [rows, C], rows);
      gpu.dispatch1d(BACKWARD_PARAMS, 'main', [read(dy), read(sum), read(stats), write(dgamma), write(dbeta)], [C, rows], C);
      return { dx, dgamma, dbeta };
    },
  };
}
