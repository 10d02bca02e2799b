import type { AdamWPlan, CpuStorage } from '@wattformer/core';
import { f32 } from './output';

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
