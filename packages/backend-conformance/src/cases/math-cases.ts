import { abs, argMax, argMin, clamp, min, minimum, pow, sigmoid, where } from '@wattformer/core';
import type { InputSpec } from '../inputs';
import { at, f32, i32, type OpCase } from './op-case';

const positive = { kind: 'positive' } as const;
const distinct = { kind: 'distinct' } as const;
const values = (list: readonly number[]) => ({ kind: 'values', values: list }) as const;
/** An f32 input that is read but not differentiated (a mask, an exponent held fixed). */
const fixed = (name: string, shape: readonly number[], fill: InputSpec['fill']): InputSpec => ({ name, shape, fill, differentiable: false });

/** The ops TF.js and PyTorch users reach for first: composites of the primitives, on every backend. */
export const mathCases: readonly OpCase[] = [
  { name: 'sigmoid', op: 'sigmoid', tolerance: 'transcendental', inputs: [f32('a', [3, 5], { kind: 'normal', scale: 3 })], run: (x) => sigmoid(at(x, 0)) },
  {
    // e^(-x) overflows to Inf at -100: the output is exactly 0 and the gradient 0, never NaN.
    name: 'sigmoid/saturated',
    op: 'sigmoid',
    tolerance: 'transcendental',
    inputs: [f32('a', [6], values([-100, -20, -0.5, 0, 20, 100]))],
    run: (x) => sigmoid(at(x, 0)),
  },
  { name: 'abs', op: 'abs', tolerance: 'elementwise', inputs: [f32('a', [3, 4], { kind: 'awayFromZero' })], run: (x) => abs(at(x, 0)) },
  {
    name: 'abs/i32',
    op: 'abs',
    tolerance: 'exact',
    gradient: false,
    inputs: [i32('a', [5], values([-7, 0, 3, -2147483647, 2147483647]))],
    run: (x) => abs(at(x, 0)),
  },
  { name: 'pow/integer', op: 'pow', tolerance: 'elementwise', inputs: [f32('a', [2, 5])], run: (x) => pow(at(x, 0), 3) },
  { name: 'pow/negative-integer', op: 'pow', tolerance: 'elementwise', inputs: [f32('a', [2, 5], positive)], run: (x) => pow(at(x, 0), -2) },
  { name: 'pow/fractional', op: 'pow', tolerance: 'transcendental', inputs: [f32('a', [2, 5], positive)], run: (x) => pow(at(x, 0), 1.5) },
  { name: 'pow/sqrt', op: 'pow', tolerance: 'transcendental', inputs: [f32('a', [2, 5], positive)], run: (x) => pow(at(x, 0), 0.5) },
  {
    name: 'pow/tensor',
    op: 'pow',
    tolerance: 'transcendental',
    inputs: [f32('base', [2, 4], positive), f32('exponent', [2, 4])],
    run: (x) => pow(at(x, 0), at(x, 1)),
  },
  {
    // (-1)^e for integer exponents (odd and even), broadcast over rows; the exponent is held fixed
    // because d/de of a negative base is NaN (ln of a negative number), as in PyTorch.
    name: 'pow/tensor-negative-base',
    op: 'pow',
    tolerance: 'transcendental',
    inputs: [f32('base', [2, 4], { kind: 'awayFromZero' }), fixed('exponent', [4], values([3, 2, -1, 0]))],
    run: (x) => pow(at(x, 0), at(x, 1)),
  },
  {
    // The conventions: 0^0 = 1, 0^-1 = Inf, (-8)^(1/3) = NaN, NaN^0 = 1, (-2)^3 = -8.
    name: 'pow/special-values',
    op: 'pow',
    tolerance: 'transcendental',
    gradient: false,
    inputs: [f32('base', [6], values([0, 0, -8, NaN, -2, 2])), f32('exponent', [6], values([0, -1, 1 / 3, 0, 3, 10]))],
    run: (x) => pow(at(x, 0), at(x, 1)),
  },
  {
    name: 'minimum',
    op: 'minimum',
    tolerance: 'elementwise',
    inputs: [f32('a', [3, 4], distinct), f32('b', [4], values([-0.8, 0.3, -0.05, 1.1]))],
    run: (x) => minimum(at(x, 0), at(x, 1)),
  },
  { name: 'minimum/scalar', op: 'minimum', tolerance: 'elementwise', inputs: [f32('a', [6], distinct)], run: (x) => minimum(0.1, at(x, 0)) },
  {
    // -2^31 is where a negate-based minimum would overflow; the flip used here cannot.
    name: 'minimum/i32',
    op: 'minimum',
    tolerance: 'exact',
    gradient: false,
    inputs: [i32('a', [4], values([-2147483648, 5, 2147483647, -3])), i32('b', [4], values([7, -2147483648, 0, -3]))],
    run: (x) => minimum(at(x, 0), at(x, 1)),
  },
  { name: 'min/axis', op: 'min', tolerance: 'exact', inputs: [f32('a', [3, 4, 2], distinct)], run: (x) => min(at(x, 0), 1) },
  { name: 'min/all-keepDims', op: 'min', tolerance: 'exact', inputs: [f32('a', [3, 5], distinct)], run: (x) => min(at(x, 0), undefined, { keepDims: true }) },
  {
    name: 'min/i32',
    op: 'min',
    tolerance: 'exact',
    gradient: false,
    inputs: [i32('a', [2, 3], values([4, -2147483648, 9, 2147483647, 0, -5]))],
    run: (x) => min(at(x, 0), -1),
  },
  { name: 'argMax/axis', op: 'argMax', tolerance: 'exact', gradient: false, inputs: [f32('a', [3, 4, 2], distinct)], run: (x) => argMax(at(x, 0), 1) },
  {
    // Ties give the first index; a NaN counts as the largest; no axis reads the tensor flat.
    name: 'argMax/ties-and-flat',
    op: 'argMax',
    tolerance: 'exact',
    gradient: false,
    inputs: [f32('a', [3, 4], values([1, 3, 3, 0, 5, 5, 5, 5, -1, NaN, 2, NaN]))],
    run: (x) => argMax(at(x, 0), -1).add(argMax(at(x, 0)).mul(10)),
  },
  {
    name: 'argMin/axis-keepDims',
    op: 'argMin',
    tolerance: 'exact',
    gradient: false,
    inputs: [f32('a', [4, 3], distinct)],
    run: (x) => argMin(at(x, 0), 0, { keepDims: true }),
  },
  {
    name: 'argMin/i32',
    op: 'argMin',
    tolerance: 'exact',
    gradient: false,
    inputs: [i32('a', [2, 3], values([4, -2147483648, 9, 2147483647, 0, 0]))],
    run: (x) => argMin(at(x, 0), 1),
  },
  {
    // Bounds that are not multiples of the ramp's 0.25 step, so no element sits on a kink.
    name: 'clamp',
    op: 'clamp',
    tolerance: 'elementwise',
    inputs: [f32('a', [3, 4], distinct)],
    run: (x) => clamp(at(x, 0), -0.9, 0.6),
  },
  { name: 'clamp/lower-only', op: 'clamp', tolerance: 'elementwise', inputs: [f32('a', [8], distinct)], run: (x) => clamp(at(x, 0), -0.1, undefined) },
  {
    name: 'clamp/i32',
    op: 'clamp',
    tolerance: 'exact',
    gradient: false,
    inputs: [i32('a', [5], values([-9, -3, 0, 4, 12]))],
    run: (x) => clamp(at(x, 0), -3, 5),
  },
  {
    name: 'where/broadcast',
    op: 'where',
    tolerance: 'reduction',
    inputs: [i32('condition', [3, 1], values([1, 0, 7])), f32('a', [3, 4]), f32('b', [4])],
    run: (x) => where(at(x, 0), at(x, 1), at(x, 2)),
  },
  {
    // An f32 mask (non-zero picks a) and a number branch; the Inf and NaN on the unpicked side
    // never reach the output or the gradient (a mask multiply would give NaN).
    name: 'where/unpicked-inf',
    op: 'where',
    tolerance: 'exact',
    inputs: [fixed('condition', [6], values([1, 0, -2, 0, 0.5, 0])), f32('a', [6], values([1, Infinity, 2, NaN, 3, -Infinity]))],
    run: (x) => where(at(x, 0), at(x, 1), -1),
  },
  {
    name: 'where/i32',
    op: 'where',
    tolerance: 'exact',
    gradient: false,
    inputs: [i32('condition', [4], values([0, 1, 1, 0])), i32('a', [4], values([1, 2, 3, 4])), i32('b', [4], values([-1, -2, -3, -4]))],
    run: (x) => where(at(x, 0), at(x, 1), at(x, 2)),
  },
];
