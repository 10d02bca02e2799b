import { describe, expect, it } from 'vitest';
import { abs, argMax, argMin, clamp, min, minimum, pow, sigmoid, sum, tensor, tidy, memory, valueAndGrad, where, type Tensor } from '../index';

const values = (t: Tensor): number[] => Array.from(t.dataSync());
const gradOf = (x: Tensor, f: (x: Tensor) => Tensor): number[] => values(valueAndGrad(() => sum(f(x)), [x]).grads[0]!);

describe('sigmoid, abs, pow', () => {
  it('sigmoid saturates to exact 0 and 1 with finite gradients', () => {
    const x = tensor([-100, -20, 0, 20, 100]);
    expect(values(sigmoid(x))[0]).toBe(0);
    expect(values(sigmoid(x))[1]).toBeCloseTo(2.061153622e-9, 15);
    expect(values(sigmoid(x)).slice(2)).toEqual([0.5, 1, 1]);
    expect(gradOf(x, sigmoid)).toEqual([0, expect.closeTo(2.061153622e-9, 15), 0.25, 0, 0]);
    expect(x.sigmoid().shape).toEqual([5]);
  });

  it('abs works on f32 and i32; its gradient is sign(x), 0 at 0', () => {
    expect(values(abs(tensor([-2, 0, 3], [3], 'i32')))).toEqual([2, 0, 3]);
    expect(gradOf(tensor([-2, 0, 3]), abs)).toEqual([-1, 0, 1]);
  });

  it('pow: integer exponents keep signs, fractional ones are NaN below 0, x^0 = 1', () => {
    const x = tensor([-2, 0, 3]);
    expect(values(pow(x, 3))).toEqual([-8, 0, 27]);
    expect(values(pow(x, -1))).toEqual([-0.5, Infinity, expect.closeTo(1 / 3, 7)]);
    expect(values(pow(x, 0))).toEqual([1, 1, 1]);
    expect(values(pow(x, 0.5))).toEqual([NaN, 0, expect.closeTo(Math.sqrt(3), 6)]);
    expect(values(pow(tensor([-2, 4, 0, 0]), tensor([3, 0.5, 0, -2])))).toEqual([expect.closeTo(-8, 5), expect.closeTo(2, 6), 1, Infinity]);
    expect(values(pow(2, tensor([1, 10])))).toEqual([2, expect.closeTo(1024, 3)]);
    expect(values(pow(tensor([3], [1], 'i32'), 4))).toEqual([81]);
    // Integer exponents past 2^24 keep the parity rule (Math.pow(-1, 2^25 + 1) = -1).
    expect(values(pow(tensor([-1, -1, 2, 0]), 2 ** 25 + 1))).toEqual([-1, -1, Infinity, 0]);
    expect(values(pow(tensor([-1, 0.5]), 2 ** 40))).toEqual([1, 0]);
    expect(() => pow(tensor([3], [1], 'i32'), 0.5)).toThrow(
      /^core: pow: expected a non-negative integer exponent up to 2\^24 for an i32 base, got 0.5\nhelp: cast/,
    );
    expect(() => pow(2 as never, 3)).toThrow(/^core: pow: expected base to be a Tensor when the exponent is a number, got number/);
  });

  it('pow gradients follow the usual conventions', () => {
    const x = tensor([-2, 0, 3]);
    expect(gradOf(x, (t) => pow(t, 2))).toEqual([-4, 0, 6]);
    expect(gradOf(x, (t) => pow(t, 0))).toEqual([0, 0, 0]);
    expect(gradOf(x, (t) => pow(t, 1))).toEqual([1, 1, 1]);
    // d/de x^e = x^e ln x, 0 where x = 0; d/dx with e = 0 is 0.
    const base = tensor([2, 0, 5]);
    const exponent = tensor([3, 2, 0]);
    const { grads } = valueAndGrad(() => sum(pow(base, exponent)), [base, exponent]);
    expect(values(grads[0]!)).toEqual([expect.closeTo(12, 4), 0, 0]);
    expect(values(grads[1]!)).toEqual([expect.closeTo(8 * Math.log(2), 4), 0, expect.closeTo(Math.log(5), 5)]);
  });
});

describe('minimum, min, argMax, argMin', () => {
  it('minimum is exact on f32 and i32, ties send the gradient to a', () => {
    expect(values(minimum(tensor([1, 5, -3]), 2))).toEqual([1, 2, -3]);
    expect(values(minimum(tensor([-2147483648, 4], [2], 'i32'), tensor([0, -2147483648], [2], 'i32')))).toEqual([-2147483648, -2147483648]);
    const a = tensor([1, 2, 3]);
    const b = tensor([2, 2, 2]);
    const { grads } = valueAndGrad(() => sum(minimum(a, b)), [a, b]);
    expect(values(grads[0]!)).toEqual([1, 1, 0]);
    expect(values(grads[1]!)).toEqual([0, 0, 1]);
    expect(() => minimum(tensor([1]), tensor([1], [1], 'i32'))).toThrow(/^core: minimum: expected b of dtype f32, got i32 \[1\]/);
    expect(() => minimum(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(/^core: minimum: expected shapes that broadcast/);
  });

  it('min reduces like max, sharing the gradient between ties', () => {
    const x = tensor([
      [3, 1, 1],
      [0, 5, 2],
    ]);
    expect(values(min(x, 1))).toEqual([1, 0]);
    expect(values(min(x))).toEqual([0]);
    expect(min(x, 0, { keepDims: true }).shape).toEqual([1, 3]);
    expect(gradOf(x, (t) => min(t, 1))).toEqual([0, 0.5, 0.5, 1, 0, 0]);
    expect(values(min(tensor([7, -2147483648, 2147483647], [3], 'i32')))).toEqual([-2147483648]);
  });

  it('argMax and argMin return the first index as i32; no axis reads the tensor flat', () => {
    const x = tensor([
      [1, 9, 9],
      [4, 0, 4],
    ]);
    expect(argMax(x, 1).dtype).toBe('i32');
    expect(values(argMax(x, 1))).toEqual([1, 0]);
    expect(values(argMin(x, 1))).toEqual([0, 1]);
    expect(values(argMax(x, 0))).toEqual([1, 0, 0]);
    expect(values(argMax(x))).toEqual([1]);
    expect(argMax(x).shape).toEqual([]);
    expect(argMax(x, -1, { keepDims: true }).shape).toEqual([2, 1]);
    expect(values(argMax(tensor([1, NaN, 3])))).toEqual([1]);
    expect(values(x.argMin())).toEqual([4]);
    expect(() => argMax(tensor([]))).toThrow(/^core: argMax: expected a non-empty axis to search, got f32 \[0\]/);
    expect(() => argMax(x, 2)).toThrow(/^core: argMax: expected an axis in \[-2, 2\), got 2/);
  });
});

describe('clamp and where', () => {
  it('clamp limits values; its gradient is 1 inside [min, max], bounds included', () => {
    const x = tensor([-2, -1, 0.5, 1, 3]);
    expect(values(clamp(x, -1, 1))).toEqual([-1, -1, 0.5, 1, 1]);
    expect(values(clamp(x, undefined, 0))).toEqual([-2, -1, 0, 0, 0]);
    expect(gradOf(x, (t) => clamp(t, -1, 1))).toEqual([0, 1, 1, 1, 0]);
    expect(values(clamp(tensor([-5, 5], [2], 'i32'), -1, 1e12))).toEqual([-1, 5]);
    expect(values(clamp(tensor([-5, 5], [2], 'i32'), 1e12, undefined))).toEqual([2147483647, 2147483647]);
    expect(() => clamp(x, 2, 1)).toThrow(/^core: clamp: expected min ≤ max, got min 2, max 1\nhelp: swap the bounds$/);
    expect(() => clamp(x, NaN, 1)).toThrow(/^core: clamp: expected min to be a number or undefined, got NaN/);
  });

  it('where picks exactly (no NaN from the other side) and sends the gradient to the picked side', () => {
    const condition = tensor([1, 0, 1]);
    const a = tensor([1, 2, 3]);
    const b = tensor([Infinity, 20, NaN]);
    expect(values(where(condition, a, b))).toEqual([1, 20, 3]);
    expect(values(where(tensor([[1], [0]], undefined, 'i32'), 7, tensor([1, 2])))).toEqual([7, 7, 1, 2]);
    const { grads } = valueAndGrad(() => sum(where(condition, a, b)), [a, b]);
    expect(values(grads[0]!)).toEqual([1, 0, 1]);
    expect(values(grads[1]!)).toEqual([0, 1, 0]);
    expect(() => where(condition, a, tensor([1], [1], 'i32'))).toThrow(/^core: where: expected b of dtype f32, got i32 \[1\]/);
    expect(() => where(tensor([1, 0]), a, b)).toThrow(/^core: where: expected shapes that broadcast/);
    expect(where(tensor([]), tensor([]), 1).shape).toEqual([0]);
  });

  it('leave no tensors behind inside tidy', () => {
    const x = tensor([-1, 2, 3]);
    const before = memory().liveTensors;
    tidy(() => {
      pow(x, x);
      where(x, x, 0);
      argMax(x);
      clamp(x, 0, 1);
    });
    expect(memory().liveTensors).toBe(before);
  });
});
