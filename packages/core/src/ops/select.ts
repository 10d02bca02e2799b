import type { DType } from '../backend';
import { WattformerError } from '../errors';
import { tidy } from '../scope';
import { noGrad, record } from '../tape';
import { Tensor, type TensorLike } from '../tensor';
import { add, broadcastShapes, equal, maximum, minimum, mul } from './binary';
import { arange } from './creation';
import { gather } from './gather';
import { broadcastTo, concat, reshape } from './movement';
import { cast } from './unary';
import { argumentError, backendFor, expectDtype, expectTensor, toTensor } from './validate';

/**
 * Picks `a` where `condition` is non-zero and `b` elsewhere, elementwise with broadcasting over
 * all three. `condition` is f32 or i32 (a mask from `equal`, a cast comparison…); `a` and `b`
 * share a dtype, and either may be a number. Exact: the unpicked side never enters the result,
 * so an Inf or NaN there does not leak (unlike `a·c + b·(1 - c)`). The gradient flows to the
 * picked side only; `condition` has none.
 *
 * Built from primitives: both sides laid out as one [2·N] tensor and one `gather` by index.
 * One known difference from the ternary: a picked -0 comes back as +0 (the layout is `concat`,
 * which is pad + add, and -0 + +0 = +0); every other value, Inf and NaN included, is exact.
 */
export function where(conditionInput: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const op = 'where';
  const condition = expectTensor(op, 'condition', conditionInput);
  const dtype: DType = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'f32';
  for (const [name, value] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (value instanceof Tensor) expectDtype(op, name, value, [dtype]);
    else if (typeof value !== 'number') throw argumentError(op, `${name} to be a Tensor or a number`, value === null ? 'null' : typeof value);
    else if (dtype === 'i32' && !Number.isInteger(value)) {
      throw new WattformerError('E_DTYPE', { packageName: 'core', op, expected: `an integer ${name} for i32 tensors`, got: String(value) });
    }
  }
  const shapeOf = (value: TensorLike): readonly number[] => (value instanceof Tensor ? value.shape : []);
  const outShape = broadcastShapes(op, broadcastShapes(op, condition.shape, shapeOf(a)), shapeOf(b));
  backendFor(
    op,
    [condition, a, b].filter((value): value is Tensor => value instanceof Tensor),
  );
  const size = outShape.reduce((p, n) => p * n, 1);
  const left = toTensor(op, a, dtype);
  const right = toTensor(op, b, dtype);
  const indices = noGrad(() =>
    tidy(() => {
      // Index i picks from the first half, i + N from the second (where the condition is 0).
      const fromB = cast(equal(condition, 0), 'i32');
      return reshape(add(reshape(arange(size), outShape), mul(fromB, size)), [size]);
    }),
  );
  const both = concat([reshape(broadcastTo(left, outShape), [size]), reshape(broadcastTo(right, outShape), [size])], 0);
  // `indices` stays alive: gather's gradient (a scatter-add by the same indices) reads it.
  return reshape(gather(both, indices, 0), outShape);
}

/**
 * Limits x to [min, max] (either bound may be omitted with `undefined`). Exact on f32 and i32.
 * The gradient is 1 where min ≤ x ≤ max (bounds included, as PyTorch) and 0 outside.
 */
export function clamp(input: Tensor, min: number | undefined, max: number | undefined): Tensor {
  const op = 'clamp';
  const x = expectTensor(op, 'x', input);
  expectDtype(op, 'x', x, ['f32', 'i32']);
  for (const [name, bound] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (bound === undefined) continue;
    if (typeof bound !== 'number' || Number.isNaN(bound)) {
      throw argumentError(op, `${name} to be a number or undefined`, typeof bound === 'number' ? 'NaN' : bound === null ? 'null' : typeof bound);
    }
    if (x.dtype === 'i32' && !Number.isInteger(bound) && Number.isFinite(bound)) {
      throw new WattformerError('E_DTYPE', { packageName: 'core', op, expected: `an integer ${name} for an i32 tensor`, got: String(bound) });
    }
  }
  if (min !== undefined && max !== undefined && min > max) {
    throw argumentError(op, 'min ≤ max', `min ${min}, max ${max}`, 'swap the bounds');
  }
  backendFor(op, [x]);
  const y = noGrad(() =>
    tidy(() => {
      let out = x;
      // A bound beyond every value of the dtype bounds nothing; on i32 a bound past the range
      // saturates to it (an i32 result cannot hold it).
      const top = x.dtype === 'i32' ? 2147483647 : Infinity;
      const bottom = x.dtype === 'i32' ? -2147483648 : -Infinity;
      const inRange = (bound: number): number => Math.min(Math.max(bound, bottom), top);
      if (max !== undefined && max < top) out = minimum(out, inRange(max));
      if (min !== undefined && min > bottom) out = maximum(out, inRange(min));
      return out === x ? mul(x, 1) : out;
    }),
  );
  return record(y, op, [x], (dy) => [mul(dy, equal(y, x))]);
}
