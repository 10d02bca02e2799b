import { describe, expect, it } from 'vitest';
import { max, mean, sum, tensor } from '../index';

const values = (t: { dataSync(): ArrayLike<number> }): number[] => Array.from(t.dataSync());

describe('reductions', () => {
  const x = tensor([
    [
      [1, 2],
      [3, 4],
    ],
    [
      [5, 6],
      [7, 8],
    ],
  ]); // [2, 2, 2]

  it('sum, mean and max over any axes', () => {
    expect(sum(x).itemSync()).toBe(36);
    expect(values(sum(x, 1))).toEqual([4, 6, 12, 14]);
    expect(sum(x, [0, 2]).shape).toEqual([2]);
    expect(values(sum(x, [0, 2]))).toEqual([14, 22]);
    expect(sum(x, -1, { keepDims: true }).shape).toEqual([2, 2, 1]);
    expect(values(mean(x, [1, 2]))).toEqual([2.5, 6.5]);
    expect(values(max(x, 0))).toEqual([5, 6, 7, 8]);
    expect(() => sum(x, 3)).toThrow(/^core: sum: expected an axis in \[-3, 3\), got 3$/);
  });

  it('share the max gradient between ties', () => {
    const y = tensor([1, 3, 3]);
    y.requiresGrad = true;
    max(y).backward();
    expect(values(y.grad!)).toEqual([0, 0.5, 0.5]);
  });
});
