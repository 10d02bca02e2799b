import type { CpuStorage, FusedKernels } from '@wattformer/core';
import { f32, type Output } from './output';

/** Softmax cross-entropy over rows of [rows, V] with an ignore index; mean over counted rows. */
export function crossEntropyKernels(output: Output): NonNullable<FusedKernels<CpuStorage>['softmaxCrossEntropy']> {
  const counted = (T: Int32Array, rows: number, ignoreIndex: number): number => {
    let n = 0;
    for (let r = 0; r < rows; r++) if (T[r] !== ignoreIndex) n++;
    return Math.max(n, 1);
  };
  return {
    forward(logits, targets, rows, V, ignoreIndex) {
      const X = f32(logits);
      const T = targets.values as Int32Array;
      const probabilities = new Float32Array(rows * V);
      let loss = 0;
      for (let r = 0; r < rows; r++) {
        const o = r * V;
        let m = -Infinity;
        for (let c = 0; c < V; c++) m = Math.max(m, X[o + c]!);
        let s = 0;
        for (let c = 0; c < V; c++) s += Math.exp(X[o + c]! - m);
        for (let c = 0; c < V; c++) probabilities[o + c] = Math.exp(X[o + c]! - m) / s;
        const t = T[r]!;
        if (t !== ignoreIndex) loss += m + Math.log(s) - X[o + t]!;
      }
      return { loss: output(Float32Array.of(loss / counted(T, rows, ignoreIndex))), probabilities: output(probabilities) };
    },
    backward(probabilities, targets, dLoss, rows, V, ignoreIndex) {
      const P = f32(probabilities);
      const T = targets.values as Int32Array;
      const scale = f32(dLoss)[0]! / counted(T, rows, ignoreIndex);
      const dx = new Float32Array(rows * V);
      for (let r = 0; r < rows; r++) {
        const t = T[r]!;
        if (t === ignoreIndex) continue;
        for (let c = 0; c < V; c++) dx[r * V + c] = (P[r * V + c]! - (c === t ? 1 : 0)) * scale;
      }
      return output(dx);
    },
  };
}
