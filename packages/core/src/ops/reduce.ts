import type { ReduceOp } from '../backend';
import { record } from '../tape';
import { fromStorage, type Tensor } from '../tensor';
import { div, equal, flip, mul } from './binary';
import { broadcastTo, permute, reshape } from './movement';
import { backendFor, expectDtype, expectTensor, normalizeAxes, sizeOf, storage } from './validate';

/** Options of the reductions (`sum`, `mean`, `max`). */
export interface ReduceOptions {
  /** Keep reduced dimensions as size 1 (default false). */
  readonly keepDims?: boolean;
}

/**
 * Reduces `axes` (all when omitted). Contiguous axes map straight onto the kernel's
 * [outer, size, inner] view; scattered ones are first permuted to the end.
 */
function reduce(
  op: ReduceOp,
  name: string,
  input: Tensor,
  axesArgument: number | readonly number[] | undefined,
  options: ReduceOptions,
): { out: Tensor; x: Tensor; keptShape: number[] } {
  const x = expectTensor(name, 'x', input);
  const axes = normalizeAxes(name, axesArgument, x.rank);
  const keptShape = x.shape.map((n, d) => (axes.includes(d) ? 1 : n));
  const outShape = options.keepDims ? keptShape : x.shape.filter((_, d) => !axes.includes(d));
  const backend = backendFor(name, [x]);
  const contiguous = axes.every((axis, i) => i === 0 || axis === axes[i - 1]! + 1);
  let source = x;
  let first = axes[0] ?? x.rank;
  let last = axes[axes.length - 1] ?? x.rank - 1;
  if (!contiguous) {
    const kept = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
    source = permute(x, [...kept, ...axes]);
    first = kept.length;
    last = x.rank - 1;
  }
  const plan = {
    outer: sizeOf(source.shape.slice(0, first)),
    size: sizeOf(source.shape.slice(first, last + 1)),
    inner: sizeOf(source.shape.slice(last + 1)),
  };
  const out = fromStorage(backend, backend.reduce(op, storage(source, name), plan, x.dtype), outShape, x.dtype);
  if (source !== x) source.dispose();
  return { out, x, keptShape };
}

/** Sum over axes (all by default). */
export function sum(input: Tensor, axes?: number | readonly number[], options: ReduceOptions = {}): Tensor {
  const { out, x, keptShape } = reduce('sum', 'sum', input, axes, options);
  return record(out, 'sum', [x], (dy) => [broadcastTo(reshape(dy, keptShape), x.shape)]);
}

/** Mean over `axes` (all axes when omitted); `keepDims` keeps reduced axes as size 1. */
export function mean(input: Tensor, axes?: number | readonly number[], options: ReduceOptions = {}): Tensor {
  const x = expectTensor('mean', 'x', input);
  expectDtype('mean', 'x', x, ['f32']);
  const total = sum(x, axes, options);
  const count = x.size / Math.max(total.size, 1);
  return div(total, count === 0 ? 1 : count);
}

/**
 * Maximum over axes. The gradient is shared equally between tied maxima (like `amax`), so it is
 * well defined and matches finite differences away from ties.
 */
export function max(input: Tensor, axes?: number | readonly number[], options: ReduceOptions = {}): Tensor {
  const { out, x, keptShape } = reduce('max', 'max', input, axes, options);
  return record(out, 'max', [x], (dy) => {
    const winners = equal(x, reshape(out, keptShape));
    const share = div(winners, sum(winners, normalizeAxes('max', axes, x.rank), { keepDims: true }));
    return [mul(share, reshape(dy, keptShape))];
  });
}

/**
 * Minimum over axes (all by default): flip(max(flip(x))) with the exact, overflow-free flip of
 * `minimum`, so f32 and i32 (including -2³¹) are exact. The gradient is shared equally between
 * tied minima, as for `max`.
 */
export function min(input: Tensor, axes?: number | readonly number[], options: ReduceOptions = {}): Tensor {
  const x = expectTensor('min', 'x', input);
  normalizeAxes('min', axes, x.rank);
  backendFor('min', [x]);
  return flip(max(flip(x, x.dtype) as Tensor, axes, options), x.dtype) as Tensor;
}
