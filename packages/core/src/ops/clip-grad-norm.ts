import type { Tensor } from '../tensor';
import { noGrad } from '../tape';
import { add, div, maximum, mul } from './binary';
import { scalar } from './creation';
import { sum } from './reduce';
import { sqrt } from './unary';
import { argumentError, expectDtype, expectTensor } from './validate';

/**
 * What `clipGradNorm` returns: the gradients, scaled so their global L2 norm is at most the limit, and the norm before clipping.
 */
export interface ClippedGradients {
  /** The gradients scaled by min(1, maxNorm / (norm + 1e-6)); new tensors. */
  readonly grads: Tensor[];
  /** The global L2 norm before clipping, a scalar that stays on the backend. */
  readonly norm: Tensor;
}

/**
 * Global gradient-norm clipping (as torch.nn.utils.clip_grad_norm_): one norm over all
 * gradients, one scale for all of them. Never reads back, so it does not stall an async backend.
 */
export function clipGradNorm(gradsInput: readonly Tensor[], maxNorm: number): ClippedGradients {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) throw argumentError('clipGradNorm', 'maxNorm > 0', String(maxNorm));
  const grads = gradsInput.map((g, i) => {
    const t = expectTensor('clipGradNorm', `grads[${i}]`, g);
    expectDtype('clipGradNorm', `grads[${i}]`, t, ['f32']);
    return t;
  });
  return noGrad(() => {
    let squares = scalar(0);
    for (const g of grads) squares = add(squares, sum(mul(g, g)));
    const norm = sqrt(squares);
    // maxNorm / max(norm + 1e-6, maxNorm) = min(1, maxNorm / (norm + 1e-6)) whenever norm > 0.
    const scale = div(maxNorm, maximum(add(norm, 1e-6), maxNorm));
    return { grads: grads.map((g) => mul(g, scale)), norm };
  });
}
