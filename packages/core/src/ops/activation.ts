import { activeBackend } from '../engine';
import { noGrad, record } from '../tape';
import { tidy } from '../scope';
import { fromStorage, type Tensor } from '../tensor';
import { add, div, mul, sub } from './binary';
import { exp, neg, step, tanh, unary } from './unary';
import { backendFor, expectDtype, expectTensor, storage } from './validate';

/** Rectified linear unit: `max(x, 0)` elementwise (gradient 1 where x > 0, else 0). */
export function relu(x: Tensor): Tensor {
  return unary('relu', x, ['f32'], (dy, input) => mul(dy, step(input)));
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * GELU, tanh approximation as in GPT-2: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
 * Fused kernel `gelu` when the backend has one; otherwise built from primitives.
 */
export function gelu(input: Tensor): Tensor {
  const x = expectTensor('gelu', 'x', input);
  expectDtype('gelu', 'x', x, ['f32']);
  const fused = activeBackend('gelu').fused?.gelu;
  if (fused === undefined) {
    const inner = mul(add(x, mul(mul(mul(x, x), x), 0.044715)), SQRT_2_OVER_PI);
    return mul(mul(x, 0.5), add(tanh(inner), 1));
  }
  const backend = backendFor('gelu', [x]);
  const y = fromStorage(backend, fused.forward(storage(x, 'gelu'), x.size), x.shape, 'f32');
  return record(y, 'gelu', [x], (dy) => [
    fromStorage(backend, fused.backward(storage(x, 'gelu'), storage(dy, 'gelu'), x.size), x.shape, 'f32'),
  ]);
}


/**
 * The logistic function 1 / (1 + e^(-x)). Saturates cleanly: e^(-x) overflowing to +Inf gives
 * exactly 0, never NaN, and tiny outputs keep their relative precision (no 1 - tanh cancellation).
 * Gradient y·(1 - y), from the output, so it stays finite where e^(-x) overflows.
 */
export function sigmoid(input: Tensor): Tensor {
  const x = expectTensor('sigmoid', 'x', input);
  expectDtype('sigmoid', 'x', x, ['f32']);
  backendFor('sigmoid', [x]);
  const y = noGrad(() => tidy(() => div(1, add(exp(neg(x)), 1))));
  return record(y, 'sigmoid', [x], (dy) => [mul(dy, mul(y, sub(1, y)))]);
}
