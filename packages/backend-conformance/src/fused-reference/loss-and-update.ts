import type { AdamWPlan, CpuStorage, FusedKernels } from '@wattformer/core';

type Output = (values: Float32Array) => CpuStorage;
const f32 = (s: CpuStorage): Float32Array => s.values as Float32Array;

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

/** AdamW in place over [size]: decoupled decay, then the bias-corrected Adam step. */
export function adamwKernel(param: CpuStorage, grad: CpuStorage, m: CpuStorage, v: CpuStorage, plan: AdamWPlan): void {
  const [P, G, M, V] = [f32(param), f32(grad), f32(m), f32(v)];
  const { learningRate: lr, beta1, beta2, epsilon, weightDecay, step } = plan;
  const c1 = 1 - beta1 ** step;
  const c2 = 1 - beta2 ** step;
  for (let i = 0; i < plan.size; i++) {
    const g = G[i]!;
    M[i] = beta1 * M[i]! + (1 - beta1) * g;
    V[i] = beta2 * V[i]! + (1 - beta2) * g * g;
    const mHat = M[i]! / c1;
    const vHat = V[i]! / c2;
    P[i] = P[i]! * (1 - lr * weightDecay) - (lr * mHat) / (Math.sqrt(vHat) + epsilon);
  }
}
