import { describe, expect, it } from 'vitest';
import { add, div, equal, maximum, memory, mul, sub, tensor } from '../index';

const values = (t: { dataSync(): ArrayLike<number> }): number[] => Array.from(t.dataSync());

describe('binary ops', () => {
  it('broadcast like NumPy', () => {
    const a = tensor([[1], [2]]); // [2, 1]
    const b = tensor([10, 20, 30]); // [3]
    const c = add(a, b);
    expect(c.shape).toEqual([2, 3]);
    expect(values(c)).toEqual([11, 21, 31, 12, 22, 32]);
    expect(values(sub(b, 1))).toEqual([9, 19, 29]);
    expect(values(mul(2, b))).toEqual([20, 40, 60]);
    expect(values(div(b, a))).toEqual([10, 20, 30, 5, 10, 15]);
    expect(values(maximum(b, 20))).toEqual([20, 20, 30]);
    expect(values(equal(b, 20))).toEqual([0, 1, 0]);
  });

  it('work on i32, truncating division', () => {
    const a = tensor([7, -7], [2], 'i32');
    expect(values(div(a, 2))).toEqual([3, -3]);
    expect(values(div(a, 0))).toEqual([0, 0]);
    expect(add(a, 1).dtype).toBe('i32');
    const big = tensor([2147483647, 65536], [2], 'i32');
    expect(values(add(big, 1))).toEqual([-2147483648, 65537]);
    expect(values(mul(big, 65536))).toEqual([-65536, 0]);
    expect(() => add(a, 1.5)).toThrow(/^core: add: expected an integer operand for an i32 tensor, got 1.5$/);
  });

  it('reduce gradients over broadcast dimensions', () => {
    const a = tensor([[1], [2]]);
    const b = tensor([10, 20, 30]);
    a.requiresGrad = true;
    b.requiresGrad = true;
    mul(a, b).sum().backward();
    expect(values(a.grad!)).toEqual([60, 60]);
    expect(values(b.grad!)).toEqual([3, 3, 3]);
  });

  it('name both shapes when they do not broadcast, and allocate nothing', () => {
    const a = tensor([1, 2, 3]);
    const b = tensor([1, 2]);
    const before = memory();
    expect(() => add(a, b)).toThrow(/^core: add: expected shapes that broadcast .*, got \[3\] and \[2\]$/);
    expect(memory()).toEqual(before);
  });

  it('refuse mixed dtypes', () => {
    const before = memory();
    expect(() => add(tensor([1]), tensor([1], [1], 'i32'))).toThrow(/^core: add: expected b of dtype f32, got i32 \[1\]/);
    expect(memory().liveTensors).toBe(before.liveTensors + 2);
  });
});
