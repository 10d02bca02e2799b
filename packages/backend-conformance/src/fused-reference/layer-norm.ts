import type { CpuStorage, FusedKernels } from '@wattformer/core';
import { f32, type Output } from './output';

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
