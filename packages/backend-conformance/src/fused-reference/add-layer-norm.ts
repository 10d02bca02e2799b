import type { CpuStorage, FusedKernels } from '@wattformer/core';
import { layerNormKernels } from './layer-norm';
import { f32, type Output } from './output';

/**
 * sum = x + residual, then layer norm of sum, keeping stats [2, rows] (every mean, then every
 * rstd); backward is layer norm's at sum (the add passes the gradient through).
 */
export function fused(output: Output): NonNullable<FusedKernels<CpuStorage>['addLayerNorm']> {
  // Layer norm's reference on unregistered storage: only what this kernel returns is uploaded.
  const local = (values: Float32Array): CpuStorage => ({ values });
  const layerNorm = layerNormKernels(local);
  return {
    forward(x, residual, gamma, beta, rows, cols, epsilon) {
      const [X, R] = [f32(x), f32(residual)];
      const sum = Float32Array.from({ length: rows * cols }, (_, i) => X[i]! + R[i]!);
      const { y, mean, rstd } = layerNorm.forward(local(sum), gamma, beta, rows, cols, epsilon);
      const stats = new Float32Array(2 * rows);
      stats.set(f32(mean));
      stats.set(f32(rstd), rows);
      return { sum: output(sum), y: output(f32(y)), stats: output(stats) };
    },
    backward(dy, sum, gamma, stats, rows, cols) {
      const S = f32(stats);
      const grads = layerNorm.backward(dy, sum, gamma, local(S.slice(0, rows)), local(S.slice(rows, 2 * rows)), rows, cols);
      return { dx: output(f32(grads.dx)), dgamma: output(f32(grads.dgamma)), dbeta: output(f32(grads.dbeta)) };
    },
  };
}
