import { record } from '../tape';
import type { Tensor } from '../tensor';
import { mul, sub } from './binary';
import { rand } from './creation';
import { step } from './unary';
import { argumentError, expectDtype, expectTensor } from './validate';

/** Options of `dropout`: the seed, and whether it is active (training) or the identity (evaluation). */
export interface DropoutOptions {
  /** Explicit seed; otherwise the global `setSeed` stream. */
  readonly seed?: number;
  /** When false (evaluation), dropout is the identity. Default true. */
  readonly training?: boolean;
}

/**
 * Zeroes each element with probability `rate` and scales the rest by 1 / (1 - rate) (inverted
 * dropout). The mask comes from the backend's counter-based `randomUniform`, so every backend
 * drops the same elements for the same seed. The gradient uses the same mask.
 */
export function dropout(input: Tensor, rate: number, options: DropoutOptions = {}): Tensor {
  const x = expectTensor('dropout', 'x', input);
  expectDtype('dropout', 'x', x, ['f32']);
  if (!(rate >= 0 && rate < 1)) throw argumentError('dropout', 'a rate in [0, 1)', String(rate));
  if (rate === 0 || options.training === false) return x;
  // keep where u > rate: step(u - rate) is 1 there, 0 elsewhere; scaled so E[y] = x.
  const mask = mul(step(sub(rand(x.shape, options.seed === undefined ? {} : { seed: options.seed }), rate)), 1 / (1 - rate));
  const y = mul(x, mask);
  return record(y, 'dropout', [x], (dy) => [mul(dy, mask)]);
}
