import type { FusedKernels } from '@wattformer/core';
import type { GpuRuntime, WebGpuStorage } from '../gpu-runtime';
import { read, write } from './fused-dispatch';
import { GELU_INNER } from './gelu';
import { buffer, main1d, params } from './wgsl';

// Bias + GELU over [rows, C]: forward one invocation per element; backward one per column, which
// walks down its column writing dx and summing dbias, so the bias gradient needs no second
// dispatch (adjacent invocations read adjacent addresses on every row).

/** y = gelu(x + bias[i mod C]) (tanh form, as gelu.ts). p = [n, C]. */
export const BIAS_GELU_FORWARD = `${buffer(0, 'x', 'f32', 'read')}
${buffer(1, 'bias', 'f32', 'read')}
${buffer(2, 'y', 'f32', 'read_write')}
${params(3)}
${main1d(`  if (i >= p[0]) { return; }
  let v = x[i] + bias[i % p[1]];
  ${GELU_INNER}
  y[i] = 0.5 * v * (1.0 + t);`)}`;

/** dx = dy · gelu'(x + bias) and dbias = Σ_rows dx, one invocation per column. p = [C, rows]. */
export const BIAS_GELU_BACKWARD = `${buffer(0, 'x', 'f32', 'read')}
${buffer(1, 'bias', 'f32', 'read')}
${buffer(2, 'dy', 'f32', 'read')}
${buffer(3, 'dx', 'f32', 'read_write')}
${buffer(4, 'dbias', 'f32', 'read_write')}
${params(5)}
${main1d(`  let C = p[0];
  if (i >= C) { return; }
  let b = bias[i];
  var total = 0.0;
  for (var r = 0u; r < p[1]; r = r + 1u) {
    let k = r * C + i;
    let v = x[k] + b;
    ${GELU_INNER}
    let inner = 0.7978845608028654 * (1.0 + 3.0 * 0.044715 * v * v);
    let g = dy[k] * (0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * inner);
    dx[k] = g;
    total = total + g;
  }
  dbias[i] = total;`)}`;

/** The `biasGelu` entry: one dispatch forward, one backward. */
export function fused(gpu: GpuRuntime): NonNullable<FusedKernels<WebGpuStorage>['biasGelu']> {
  return {
    forward(x, bias, rows, cols) {
      const y = gpu.allocate(rows * cols, 'biasGelu');
      gpu.dispatch1d(BIAS_GELU_FORWARD, 'main', [read(x), read(bias), write(y)], [rows * cols, cols], rows * cols);
      return y;
    },
    backward(x, bias, dy, rows, cols) {
      const dx = gpu.allocate(rows * cols, 'biasGelu');
      const dbias = gpu.allocate(cols, 'biasGelu');
      gpu.dispatch1d(BIAS_GELU_BACKWARD, 'main', [read(x), read(bias), read(dy), write(dx), write(dbias)], [cols, rows], cols);
      return { dx, dbias };
    },
  };
}
