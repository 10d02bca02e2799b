import { describe, expect, it } from 'vitest';
import { concat, memory, pad, permute, reshape, slice, tensor, transpose } from '../index';

const values = (t: { dataSync(): ArrayLike<number> }): number[] => Array.from(t.dataSync());

describe('movement ops', () => {
  const x = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('reshape shares storage and infers -1', () => {
    const before = memory();
    const y = reshape(x, [3, -1]);
    expect(y.shape).toEqual([3, 2]);
    expect(memory().liveStorages).toBe(before.liveStorages);
    expect(() => reshape(x, [4, -1])).toThrow(/^core: reshape: expected a shape of 6 elements for \[2,3\], got \[4,-1\]$/);
  });

  it('transposes and permutes', () => {
    expect(values(transpose(x))).toEqual([1, 4, 2, 5, 3, 6]);
    const cube = reshape(tensor(Array.from({ length: 24 }, (_, i) => i)), [2, 3, 4]);
    const p = permute(cube, [2, 0, 1]);
    expect(p.shape).toEqual([4, 2, 3]);
    expect(values(p).slice(0, 6)).toEqual([0, 4, 8, 12, 16, 20]);
    expect(() => permute(cube, [0, 0, 1])).toThrow(/permute: expected a permutation of 3 axes/);
  });

  it('slices, pads and concatenates', () => {
    expect(values(slice(x, [0, 1], [2, 2]))).toEqual([2, 3, 5, 6]);
    expect(values(slice(x, [1]))).toEqual([4, 5, 6]);
    expect(values(pad(tensor([[1]]), [1, 0], [2, 2]))).toEqual([0, 0, 1, 0]);
    const c = concat([x, tensor([[7, 8, 9]])], 0);
    expect(c.shape).toEqual([3, 3]);
    expect(values(c)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(values(concat([x, x], 1)).slice(0, 6)).toEqual([1, 2, 3, 1, 2, 3]);
    expect(() => slice(x, [1, 2], [2, 1])).toThrow(/^core: slice: expected begin and size within \[2,3\], got begin \[1,2\] size \[2,1\]$/);
    expect(() => concat([x, tensor([1, 2])])).toThrow(/concat: expected equal dtypes and dimensions except axis 0, got f32 \[2,3\], f32 \[2\]/);
  });

  it('routes gradients back through slice and concat', () => {
    const a = tensor([1, 2, 3]);
    a.requiresGrad = true;
    concat([slice(a, [1]), a])
      .mul(tensor([10, 20, 1, 1, 1]))
      .sum()
      .backward();
    expect(values(a.grad!)).toEqual([1, 11, 21]);
  });
});
