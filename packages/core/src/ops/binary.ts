import type { BinaryOp, BinaryPlan, DType } from '../backend';
import { formatShape, type Shape } from '../shape';
import { record } from '../tape';
import { fromStorage, Tensor, type TensorLike } from '../tensor';
import { reshape } from './movement';
import { sum } from './reduce';
import { neg } from './unary';
import { activeBackend } from '../engine';
import { WattformerError } from '../errors';
import { argumentError, backendFor, checkFits, expectDtype, shapeError, storage, stridesOf, toTensor } from './validate';

/** NumPy broadcasting: align right; each pair of dims must agree or one must be 1. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw shapeError(op, 'shapes that broadcast (equal dimensions, or 1, aligned from the right)', `${formatShape(a)} and ${formatShape(b)}`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Element strides of `shape` read as `outShape`: 0 where it is broadcast. */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const own = stridesOf(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((_, d) => {
    const i = d - offset;
    return i < 0 || shape[i] === 1 ? 0 : own[i]!;
  });
}

export function binaryPlan(op: string, a: Shape, b: Shape): BinaryPlan {
  const outShape = broadcastShapes(op, a, b);
  return {
    outShape,
    size: outShape.reduce((p, n) => p * n, 1),
    aStrides: broadcastStrides(a, outShape),
    bStrides: broadcastStrides(b, outShape),
  };
}

/** Sums a broadcast gradient back to `shape` (the adjoint of broadcasting). */
export function unbroadcast(grad: Tensor, shape: Shape): Tensor {
  if (grad.shape.length === shape.length && grad.shape.every((n, i) => n === shape[i])) return grad;
  const offset = grad.shape.length - shape.length;
  const axes: number[] = [];
  grad.shape.forEach((n, d) => {
    if (d < offset || (shape[d - offset] === 1 && n !== 1)) axes.push(d);
  });
  return reshape(sum(grad, axes), shape);
}

function binary(
  op: BinaryOp,
  left: TensorLike,
  right: TensorLike,
  dtypes: readonly DType[],
  backward?: (dy: Tensor, a: Tensor, b: Tensor, out: Tensor) => readonly [Tensor | null, Tensor | null],
): Tensor {
  const dtype = left instanceof Tensor ? left.dtype : right instanceof Tensor ? right.dtype : 'f32';
  // Validate everything before a scalar operand is uploaded or an output allocated.
  const shapeOf = (value: TensorLike): Shape => (value instanceof Tensor ? value.shape : []);
  if (left instanceof Tensor) expectDtype(op, 'a', left, dtypes);
  if (right instanceof Tensor) expectDtype(op, 'b', right, left instanceof Tensor ? [left.dtype] : dtypes);
  const plan = binaryPlan(op, shapeOf(left), shapeOf(right));
  backendFor(
    op,
    [left, right].filter((value): value is Tensor => value instanceof Tensor),
  );
  checkFits(
    op,
    activeBackend(op),
    plan.outShape,
    dtype,
    [left, right].filter((value): value is Tensor => value instanceof Tensor),
  );
  const a = toTensor(op, left, dtype);
  const b = toTensor(op, right, dtype);
  const backend = backendFor(op, [a, b]);
  const out = fromStorage(backend, backend.binary(op, storage(a, op), storage(b, op), plan, dtype), plan.outShape, dtype);
  if (backward === undefined) return out;
  return record(out, op, [a, b], (dy) => backward(dy, a, b, out));
}

/** a + b with broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return binary('add', a, b, ['f32', 'i32'], (dy, x, y) => [unbroadcast(dy, x.shape), unbroadcast(dy, y.shape)]);
}

/** Elementwise difference `a - b` with broadcasting; numbers are scalars. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binary('sub', a, b, ['f32', 'i32'], (dy, x, y) => [unbroadcast(dy, x.shape), y.requiresGrad ? unbroadcast(neg(dy), y.shape) : null]);
}

/** Elementwise product `a * b` with broadcasting; numbers are scalars. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binary('mul', a, b, ['f32', 'i32'], (dy, x, y) => [
    x.requiresGrad ? unbroadcast(mul(dy, y), x.shape) : null,
    y.requiresGrad ? unbroadcast(mul(dy, x), y.shape) : null,
  ]);
}

/** a / b; on i32 it truncates toward zero. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return binary('div', a, b, ['f32', 'i32'], (dy, x, y, out) => [
    x.requiresGrad ? unbroadcast(div(dy, y), x.shape) : null,
    // d(x/y)/dy = -x/y² = -out/y
    y.requiresGrad ? unbroadcast(neg(div(mul(dy, out), y)), y.shape) : null,
  ]);
}

/** Elementwise larger value; the gradient goes to a where a >= b, else to b. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binary('maximum', a, b, ['f32', 'i32'], (dy, x, y, out) => {
    const takeA = equal(out, x);
    return [x.requiresGrad ? unbroadcast(mul(dy, takeA), x.shape) : null, y.requiresGrad ? unbroadcast(mul(dy, sub(1, takeA)), y.shape) : null];
  });
}

/** 1 where equal, else 0, in the operands' dtype. Not differentiable. */
export function equal(a: TensorLike, b: TensorLike): Tensor {
  return binary('equal', a, b, ['f32', 'i32']);
}

/** An order-reversing bijection that never overflows: -x on f32, -1 - x (bitwise not) on i32. */
export function flip(x: TensorLike, dtype: DType): TensorLike {
  if (typeof x === 'number') return dtype === 'i32' ? -1 - x : -x;
  return dtype === 'i32' ? sub(-1, x) : neg(x);
}

/**
 * Elementwise smaller value; the gradient goes to a where a <= b, else to b (ties to a, as
 * `maximum`). Built as flip(maximum(flip(a), flip(b))) with an exact, overflow-free flip, so it
 * is exact on f32 and on i32 (including -2³¹) and every backend computes the same bits.
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const op = 'minimum';
  const dtype = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'f32';
  for (const [name, value] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (value instanceof Tensor) expectDtype(op, name, value, [dtype]);
    else toTensorCheck(op, value, dtype);
  }
  binaryPlan(op, a instanceof Tensor ? a.shape : [], b instanceof Tensor ? b.shape : []);
  backendFor(
    op,
    [a, b].filter((value): value is Tensor => value instanceof Tensor),
  );
  return flip(maximum(flip(a, dtype), flip(b, dtype)), dtype) as Tensor;
}

/** The refusals `toTensor` would make for a number operand, without uploading it. */
function toTensorCheck(op: string, value: unknown, dtype: DType): void {
  if (typeof value !== 'number') throw argumentError(op, 'a Tensor or a number', value === null ? 'null' : typeof value);
  if (dtype === 'i32' && !Number.isInteger(value)) {
    throw new WattformerError('E_DTYPE', { packageName: 'core', op, expected: 'an integer operand for an i32 tensor', got: String(value) });
  }
}
