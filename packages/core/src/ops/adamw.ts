import type { AdamWPlan } from '../backend';
import { formatShape } from '../shape';
import { noGrad } from '../tape';
import type { Tensor } from '../tensor';
import { replaceStorage } from '../tensor-storage';
import { tidy } from '../scope';
import { add, div, mul, sub } from './binary';
import { sqrt } from './unary';
import { argumentError, backendFor, expectDtype, expectTensor, sameShape, shapeError, storage } from './validate';

/**
 * Settings of the fused AdamW step (`adamw`): learning rate, betas, epsilon, decoupled weight decay and the step count.
 */
export interface AdamWOptions {
  readonly learningRate: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /** Decoupled weight decay (Loshchilov & Hutter), applied as p ← p − lr·λ·p. Default 0.01. */
  readonly weightDecay?: number;
  /** 1-based count of updates so far, including this one (bias correction). */
  readonly step: number;
}

/**
 * One AdamW update, in place: param, m (first moment) and v (second moment) change; grad does
 * not. Everything is validated before anything is written. Fused kernel `adamw` when the backend
 * has one; otherwise a default body from primitives whose results replace the three storages.
 */
export function adamw(paramInput: Tensor, gradInput: Tensor, mInput: Tensor, vInput: Tensor, options: AdamWOptions): void {
  const op = 'adamw';
  const [param, grad, m, v] = (
    [
      ['param', paramInput],
      ['grad', gradInput],
      ['m', mInput],
      ['v', vInput],
    ] as const
  ).map(([name, t]) => {
    const checked = expectTensor(op, name, t);
    expectDtype(op, name, checked, ['f32']);
    return checked;
  }) as [Tensor, Tensor, Tensor, Tensor];
  if (![grad, m, v].every((t) => sameShape(t.shape, param.shape))) {
    throw shapeError(
      op,
      'param, grad, m and v of one shape',
      `${formatShape(param.shape)}, ${formatShape(grad.shape)}, ${formatShape(m.shape)}, ${formatShape(v.shape)}`,
    );
  }
  const plan: AdamWPlan = {
    size: param.size,
    learningRate: options.learningRate,
    beta1: options.beta1 ?? 0.9,
    beta2: options.beta2 ?? 0.999,
    epsilon: options.epsilon ?? 1e-8,
    weightDecay: options.weightDecay ?? 0.01,
    step: options.step,
  };
  for (const [name, value] of Object.entries(plan)) {
    if (!Number.isFinite(value) || value < 0) throw argumentError(op, `${name} a finite number >= 0`, String(value));
  }
  if (!Number.isInteger(plan.step) || plan.step < 1) throw argumentError(op, 'step an integer >= 1', String(plan.step));
  const backend = backendFor(op, [param, grad, m, v]);
  const fused = backend.fused?.adamw;
  if (fused !== undefined) {
    fused.call(backend.fused, storage(param, op), storage(grad, op), storage(m, op), storage(v, op), plan);
    return;
  }
  const { learningRate: lr, beta1, beta2, epsilon, weightDecay } = plan;
  const updated = noGrad(() =>
    tidy(() => {
      const nextM = add(mul(m, beta1), mul(grad, 1 - beta1));
      const nextV = add(mul(v, beta2), mul(mul(grad, grad), 1 - beta2));
      const mHat = div(nextM, 1 - beta1 ** plan.step);
      const vHat = div(nextV, 1 - beta2 ** plan.step);
      const decayed = mul(param, 1 - lr * weightDecay);
      const nextParam = sub(decayed, mul(div(mHat, add(sqrt(vHat), epsilon)), lr));
      return [nextParam, nextM, nextV] as const;
    }),
  );
  replaceStorage(param, updated[0]);
  replaceStorage(m, updated[1]);
  replaceStorage(v, updated[2]);
}
