import type { CpuStorage, FusedKernels } from '@wattformer/core';
import { f32, type Output } from './output';

const A = Math.sqrt(2 / Math.PI);

/** GELU (tanh form) and its exact derivative, elementwise over [size]. */
export function fused(output: Output): NonNullable<FusedKernels<CpuStorage>['gelu']> {
  return {
    forward(x, size) {
      const X = f32(x);
      const y = new Float32Array(size);
      for (let i = 0; i < size; i++) {
        const v = X[i]!;
        y[i] = 0.5 * v * (1 + Math.tanh(A * (v + 0.044715 * v * v * v)));
      }
      return output(y);
    },
    backward(x, dy, size) {
      const X = f32(x);
      const DY = f32(dy);
      const dx = new Float32Array(size);
      for (let i = 0; i < size; i++) {
        const v = X[i]!;
        const t = Math.tanh(A * (v + 0.044715 * v * v * v));
        const dInner = A * (1 + 3 * 0.044715 * v * v);
        dx[i] = DY[i]! * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * dInner);
      }
      return output(dx);
    },
  };
}
