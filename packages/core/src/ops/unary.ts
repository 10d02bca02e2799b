import type { DType, UnaryOp } from '../backend';
import { unknownChoiceError } from '../errors';
import { noGrad, record } from '../tape';
import { tidy } from '../scope';
import { fromStorage, type Tensor } from '../tensor';
import { div, maximum, mul, sub } from './binary';
import { backendFor, expectDtype, expectTensor, storage } from './validate';

export function unary(op: UnaryOp, input: Tensor, dtypes: readonly DType[], backward?: (dy: Tensor, x: Tensor, y: Tensor) => Tensor): Tensor {
  const x = expectTensor(op, 'x', input);
  expectDtype(op, 'x', x, dtypes);
  const backend = backendFor(op, [x]);
  const y = fromStorage(backend, backend.unary(op, storage(x, op), x.size, x.dtype), x.shape, x.dtype);
  if (backward === undefined) return y;
  return record(y, op, [x], (dy) => [backward(dy, x, y)]);
}

/** Elementwise negation `-x` (f32 or i32). */
export function neg(x: Tensor): Tensor {
  return unary('neg', x, ['f32', 'i32'], (dy) => neg(dy));
}

/** Elementwise `e^x` (f32). */
export function exp(x: Tensor): Tensor {
  return unary('exp', x, ['f32'], (dy, _x, y) => mul(dy, y));
}

/** Elementwise natural logarithm (f32; `-Infinity` at 0, NaN below). */
export function log(x: Tensor): Tensor {
  return unary('log', x, ['f32'], (dy, input) => div(dy, input));
}

/** Elementwise hyperbolic tangent (f32). */
export function tanh(x: Tensor): Tensor {
  // d tanh = 1 - tanh²
  return unary('tanh', x, ['f32'], (dy, _x, y) => mul(dy, sub(1, mul(y, y))));
}

/** Elementwise square root (f32; NaN below 0). */
export function sqrt(x: Tensor): Tensor {
  return unary('sqrt', x, ['f32'], (dy, _x, y) => div(mul(dy, 0.5), y));
}

/** 1 where x > 0, else 0 (the derivative of ReLU). Not differentiable. */
export function step(x: Tensor): Tensor {
  return unary('step', x, ['f32']);
}

/**
 * |x| on f32 and i32 (on i32, |-2³¹| wraps to -2³¹, as two's complement). The gradient is
 * sign(x): +1 above zero, -1 below, 0 at zero (as PyTorch).
 */
export function abs(input: Tensor): Tensor {
  const x = expectTensor('abs', 'x', input);
  expectDtype('abs', 'x', x, ['f32', 'i32']);
  backendFor('abs', [x]);
  const y = noGrad(() => tidy(() => maximum(x, neg(x))));
  return record(y, 'abs', [x], (dy) => [mul(dy, sub(step(x), step(neg(x))))]);
}

/** Elementwise `x * x`. */
export function square(x: Tensor): Tensor {
  return mul(x, x);
}

/** Converts between f32 and i32 (f32 → i32 truncates toward zero). Gradient passes through f32 → f32 only. */
export function cast(input: Tensor, dtype: DType): Tensor {
  const x = expectTensor('cast', 'x', input);
  if (dtype !== 'f32' && dtype !== 'i32') {
    throw unknownChoiceError('core', 'cast', 'dtype', String(dtype), ['f32', 'i32']);
  }
  if (x.dtype === dtype) return x;
  const backend = backendFor('cast', [x]);
  return fromStorage(backend, backend.cast(storage(x, 'cast'), x.size, x.dtype, dtype), x.shape, dtype);
}
