import type { CpuStorage, FusedKernels } from '@wattformer/core';
import { f32, type Output } from './output';

const A = Math.sqrt(2 / Math.PI);

/** y = gelu(x + bias) (tanh form) over [rows, cols]; backward dx = dy·gelu'(x + bias), dbias = Σ_rows dx. */
export function fused(output: Output): NonNullable<FusedKernels<CpuStorage>['biasGelu']> {
  return {
    forward(x, bias, rows, cols) {
      const [X, B] = [f32(x), f32(bias)];
      const y = new Float32Array(rows * cols);
      for (let i = 0; i < rows * cols; i++) {
        const v = X[i]! + B[i % cols]!;
        y[i] = 0.5 * v * (1 + Math.tanh(A * (v + 0.044715 * v * v * v)));
      }
      return output(y);
    },
    backward(x, bias, dy, rows, cols) {
      const [X, B, DY] = [f32(x), f32(bias), f32(dy)];
      const dx = new Float32Array(rows * cols);
      const dbias = new Float32Array(cols);
      for (let i = 0; i < rows * cols; i++) {
        const v = X[i]! + B[i % cols]!;
        const t = Math.tanh(A * (v + 0.044715 * v * v * v));
        const dInner = A * (1 + 3 * 0.044715 * v * v);
        dx[i] = DY[i]! * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * dInner);
        dbias[i % cols]! += dx[i]!;
      }
      return { dx: output(dx), dbias: output(dbias) };
    },
  };
}
