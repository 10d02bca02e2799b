import type { CpuStorage, FusedKernels } from '@wattformer/core';

type Output = (values: Float32Array) => CpuStorage;
const f32 = (s: CpuStorage): Float32Array => s.values as Float32Array;

const A = Math.sqrt(2 / Math.PI);

/** GELU (tanh form) and its exact derivative, elementwise over [size]. */
export function geluKernels(output: Output): NonNullable<FusedKernels<CpuStorage>['gelu']> {
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

/** Layer norm over rows of [rows, C], saving mean and rstd [rows] for the backward pass. */
export function layerNormKernels(output: Output): NonNullable<FusedKernels<CpuStorage>['layerNorm']> {
  return {
    forward(x, gamma, beta, rows, C, epsilon) {
      const [X, G, Bt] = [f32(x), f32(gamma), f32(beta)];
      const y = new Float32Array(rows * C);
      const mean = new Float32Array(rows);
      const rstd = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        const o = r * C;
        let m = 0;
        for (let c = 0; c < C; c++) m += X[o + c]!;
        m /= C;
        let v = 0;
        for (let c = 0; c < C; c++) v += (X[o + c]! - m) ** 2;
        const s = 1 / Math.sqrt(v / C + epsilon);
        mean[r] = m;
        rstd[r] = s;
        for (let c = 0; c < C; c++) y[o + c] = (X[o + c]! - m) * s * G[c]! + Bt[c]!;
      }
      return { y: output(y), mean: output(mean), rstd: output(rstd) };
    },
    backward(dy, x, gamma, mean, rstd, rows, C) {
      const [DY, X, G, M, S] = [f32(dy), f32(x), f32(gamma), f32(mean), f32(rstd)];
      const dx = new Float32Array(rows * C);
      const dgamma = new Float32Array(C);
      const dbeta = new Float32Array(C);
      for (let r = 0; r < rows; r++) {
        const o = r * C;
        // dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂)), dx̂ = dy ⊙ γ
        let meanD = 0;
        let meanDX = 0;
        for (let c = 0; c < C; c++) {
          const xhat = (X[o + c]! - M[r]!) * S[r]!;
          const d = DY[o + c]! * G[c]!;
          meanD += d;
          meanDX += d * xhat;
          dgamma[c]! += DY[o + c]! * xhat;
          dbeta[c]! += DY[o + c]!;
        }
        meanD /= C;
        meanDX /= C;
        for (let c = 0; c < C; c++) {
          const xhat = (X[o + c]! - M[r]!) * S[r]!;
          dx[o + c] = S[r]! * (DY[o + c]! * G[c]! - meanD - xhat * meanDX);
        }
      }
      return { dx: output(dx), dgamma: output(dgamma), dbeta: output(dbeta) };
    },
  };
}
