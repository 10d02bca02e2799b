import { formatShape } from '../shape';
import { tidy } from '../scope';
import { noGrad } from '../tape';
import type { Tensor } from '../tensor';
import { equal, flip, maximum, mul, sub } from './binary';
import { arange } from './creation';
import { reshape } from './movement';
import { max } from './reduce';
import { cast } from './unary';
import { argumentError, backendFor, expectDtype, expectTensor, normalizeAxis } from './validate';

/** Options of `argMax` / `argMin`: whether the reduced axis is kept as size 1. */
export interface ArgReduceOptions {
  /** Keep the reduced axis as size 1 (default false). */
  readonly keepDims?: boolean;
}

/**
 * Index (i32) of the largest value along `axis`; the first one when several tie. Without an axis
 * the tensor is read flat and one index into it comes back (as NumPy and PyTorch; TF.js defaults
 * to axis 0, so pass 0 for its behaviour). A NaN counts as the largest value, so the result is
 * always a valid index. Not differentiable: the output is an integer tensor with no gradient.
 */
export function argMax(input: Tensor, axis?: number, options: ArgReduceOptions = {}): Tensor {
  return argReduce('argMax', input, axis, options, false);
}

/** Index (i32) of the smallest value along `axis`; see {@link argMax}. Not differentiable. */
export function argMin(input: Tensor, axis?: number, options: ArgReduceOptions = {}): Tensor {
  return argReduce('argMin', input, axis, options, true);
}

function argReduce(op: string, input: Tensor, axis: number | undefined, options: ArgReduceOptions, smallest: boolean): Tensor {
  const x = expectTensor(op, 'x', input);
  expectDtype(op, 'x', x, ['f32', 'i32']);
  const a = axis === undefined ? 0 : normalizeAxis(op, axis, x.rank);
  if (axis !== undefined && x.rank === 0) throw argumentError(op, 'no axis for a scalar', String(axis));
  const n = axis === undefined ? x.size : x.shape[a]!;
  if (n === 0) {
    throw argumentError(op, 'a non-empty axis to search', `${x.dtype} ${formatShape(x.shape)}${axis === undefined ? '' : ` along axis ${a}`}`);
  }
  backendFor(op, [x]);
  return noGrad(() =>
    tidy(() => {
      const flat = axis === undefined ? reshape(x, [x.size]) : x;
      const source = smallest ? (flip(flat, flat.dtype) as Tensor) : flat;
      // Winners: elements equal to the maximum, and NaNs (which max may or may not propagate).
      let hits = equal(source, max(source, a, { keepDims: true }));
      if (source.dtype === 'f32') hits = maximum(hits, sub(1, equal(source, source)));
      // Score n - i at winners, 0 elsewhere: the largest score is the first winner.
      const trailing = flat.rank - a - 1;
      const ramp = reshape(sub(n, arange(n)), [n, ...new Array<number>(trailing).fill(1)]);
      const best = max(mul(cast(hits, 'i32'), ramp), a, { keepDims: options.keepDims === true && axis !== undefined });
      const index = sub(n, best);
      return axis === undefined && options.keepDims === true
        ? reshape(
            index,
            x.shape.map(() => 1),
          )
        : index;
    }),
  );
}
