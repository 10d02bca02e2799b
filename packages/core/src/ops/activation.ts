import { activeBackend } from '../engine';
import { noGrad, record } from '../tape';
import { tidy } from '../scope';
import { fromStorage, type Tensor } from '../tensor';
import { add, div, mul, sub } from './binary';
import { exp, neg, step, tanh, unary } from './unary';
import { formatShape } from '../shape';
import { backendFor, expectDtype, expectTensor, shapeError, storage } from './validate';

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
  return record(y, 'gelu', [x], (dy) => [fromStorage(backend, fused.backward(storage(x, 'gelu'), storage(dy, 'gelu'), x.size), x.shape, 'f32')]);
}

/**
 * `gelu(x + bias)`: a linear layer's bias add and its GELU in one kernel. x [..., C], bias [C].
 * Fused kernel `biasGelu` when the backend has one (one pass forward, and one backward that also
 * reduces the bias gradient over rows); otherwise `gelu(add(x, bias))`, the same values.
 */
export function biasGelu(input: Tensor, biasInput: Tensor): Tensor {
  const x = expectTensor('biasGelu', 'x', input);
  const bias = expectTensor('biasGelu', 'bias', biasInput);
  expectDtype('biasGelu', 'x', x, ['f32']);
  expectDtype('biasGelu', 'bias', bias, ['f32']);
  const C = x.shape[x.rank - 1];
  if (C === undefined || bias.rank !== 1 || bias.shape[0] !== C) {
    throw shapeError(
      'biasGelu',
      'x [..., C] with bias [C]',
      `x ${formatShape(x.shape)}, bias ${formatShape(bias.shape)}`,
      'the bias is the last axis of x, e.g. x [B·T, 4C] with bias [4C]',
    );
  }
  const backend = backendFor('biasGelu', [x, bias]);
  const fused = activeBackend('biasGelu').fused?.biasGelu;
  if (fused === undefined) return gelu(add(x, bias));
  const rows = x.size / Math.max(C, 1);
  const s = (t: Tensor): object => storage(t, 'biasGelu');
  const y = fromStorage(backend, fused.forward(s(x), s(bias), rows, C), x.shape, 'f32');
  return record(y, 'biasGelu', [x, bias], (dy) => {
    const grads = fused.backward(s(x), s(bias), s(dy), rows, C);
    return [fromStorage(backend, grads.dx, x.shape, 'f32'), fromStorage(backend, grads.dbias, [C], 'f32')];
  });
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
