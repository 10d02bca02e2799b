import type { CpuStorage, FusedKernels } from '@wattformer/core';
import { f32, type Output } from './output';

/** Row softmax over [rows, cols]; backward dx = y ⊙ (dy − Σ dy ⊙ y). */
export function softmaxKernels(output: Output): NonNullable<FusedKernels<CpuStorage>['softmax']> {
  return {
    forward(x, rows, cols) {
      const X = f32(x);
      const y = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        let m = -Infinity;
        for (let c = 0; c < cols; c++) m = Math.max(m, X[o + c]!);
        let s = 0;
        for (let c = 0; c < cols; c++) s += Math.exp(X[o + c]! - m);
        for (let c = 0; c < cols; c++) y[o + c] = Math.exp(X[o + c]! - m) / s;
      }
      return output(y);
    },
    backward(y, dy, rows, cols) {
      const Y = f32(y);
      const DY = f32(dy);
      const dx = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        let dot = 0;
        for (let c = 0; c < cols; c++) dot += DY[o + c]! * Y[o + c]!;
        for (let c = 0; c < cols; c++) dx[o + c] = Y[o + c]! * (DY[o + c]! - dot);
      }
      return output(dx);
    },
  };
}

/** Row log-softmax; backward dx = dy − exp(y) · Σ dy. */
export function logSoftmaxKernels(output: Output): NonNullable<FusedKernels<CpuStorage>['logSoftmax']> {
  return {
    forward(x, rows, cols) {
      const X = f32(x);
      const y = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        let m = -Infinity;
        for (let c = 0; c < cols; c++) m = Math.max(m, X[o + c]!);
        let s = 0;
        for (let c = 0; c < cols; c++) s += Math.exp(X[o + c]! - m);
        const lse = m + Math.log(s);
        for (let c = 0; c < cols; c++) y[o + c] = X[o + c]! - lse;
      }
      return output(y);
    },
    backward(y, dy, rows, cols) {
      const Y = f32(y);
      const DY = f32(dy);
      const dx = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        let total = 0;
        for (let c = 0; c < cols; c++) total += DY[o + c]!;
        for (let c = 0; c < cols; c++) dx[o + c] = DY[o + c]! - Math.exp(Y[o + c]!) * total;
      }
      return output(dx);
    },
  };
}
