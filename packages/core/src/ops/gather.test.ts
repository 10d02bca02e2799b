import { describe, expect, it } from 'vitest';
import { embedding, gather, memory, tensor } from '../index';

const values = (t: { dataSync(): ArrayLike<number> }): number[] => Array.from(t.dataSync());

describe('gather and embedding', () => {
  it('looks up rows and scatter-adds their gradient', () => {
    const weight = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    weight.requiresGrad = true;
    const ids = tensor(
      [
        [2, 0],
        [2, 2],
      ],
      undefined,
      'i32',
    );
    const out = embedding(weight, ids);
    expect(out.shape).toEqual([2, 2, 2]);
    expect(values(out)).toEqual([5, 6, 1, 2, 5, 6, 5, 6]);
    out.sum().backward();
    expect(values(weight.grad!)).toEqual([1, 1, 0, 0, 3, 3]);
  });

  it('gathers along an inner axis', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(values(gather(x, tensor([2, 0], [2], 'i32'), 1))).toEqual([3, 1, 6, 4]);
  });

  it('refuses out-of-range ids and f32 ids without leaving a tensor behind', () => {
    const weight = tensor([
      [1, 2],
      [3, 4],
    ]);
    const bad = tensor([0, 2], [2], 'i32');
    const before = memory();
    expect(() => embedding(weight, bad)).toThrow(/^core: gather: expected indices in \[0, 2\), got 2 at position 1$/);
    expect(() => gather(weight, tensor([0]))).toThrow(/gather: expected indices of dtype i32, got f32 \[1\]/);
    expect(memory().liveTensors).toBe(before.liveTensors + 1);
    expect(memory().backendBytes).toBe(before.backendBytes + 4);
  });
});
