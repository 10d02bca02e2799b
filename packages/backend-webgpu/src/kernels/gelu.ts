import type { FusedKernels } from '@wattformer/core';
import type { GpuRuntime, WebGpuStorage } from '../gpu-runtime';
import { read, write } from './fused-dispatch';
import { buffer, main1d, params } from './wgsl';

// GELU acts elementwise: one invocation per element.

/** `t` = tanh of GELU's inner term at `v` (clamped so tanh never overflows); shared with bias-gelu.ts. */
export const GELU_INNER = 'let t = tanh(clamp(0.7978845608028654 * (v + 0.044715 * v * v * v), -10.0, 10.0));';

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

/** The `gelu` entry: one dispatch each way, one invocation per element. */
export function fused(gpu: GpuRuntime): NonNullable<FusedKernels<WebGpuStorage>['gelu']> {
  return {
    forward(x, size) {
      const y = gpu.allocate(size, 'gelu');
      gpu.dispatch1d(GELU_FORWARD, 'main', [read(x), write(y)], [size], size);
      return y;
    },
    backward(x, dy, size) {
      const dx = gpu.allocate(size, 'gelu');
      gpu.dispatch1d(GELU_BACKWARD, 'main', [read(x), read(dy), write(dx)], [size], size);
      return dx;
    },
  };
}
