import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { arange, ones, scalar, tensor, zeros } from './index';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('reading a tensor as people expect', () => {
  it('array() and arraySync() give nested arrays following the shape', async () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.arraySync()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(await t.array()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(scalar(2.5).arraySync()).toBe(2.5);
    expect(tensor([7], [1, 1, 1], 'i32').arraySync()).toEqual([[[7]]]);
    expect(zeros([2, 0, 3]).arraySync()).toEqual([[], []]);
    expect(zeros([0]).arraySync()).toEqual([]);
    expect(arange(24).reshape([2, 3, 4]).arraySync()).toEqual([
      [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
        [8, 9, 10, 11],
      ],
      [
        [12, 13, 14, 15],
        [16, 17, 18, 19],
        [20, 21, 22, 23],
      ],
    ]);
  });

  it('toString() shows dtype, shape and values; console.log(t) in Node shows the same', () => {
    const t = tensor([
      [1, -2.5],
      [3, 4],
    ]);
    const expected = 'Tensor(f32 [2,2])\n  [[ 1.0000, -2.5000],\n   [ 3.0000,  4.0000]]';
    expect(t.toString()).toBe(expected);
    expect(inspect(t)).toBe(expected);
    expect(String(tensor([1, 2, 3], [3], 'i32'))).toBe('Tensor(i32 [3])\n  [1, 2, 3]');
    expect(String(scalar(-0.5))).toBe('Tensor(f32 [])\n  -0.5000');
    expect(String(tensor([1e-7, 2e8, NaN, -Infinity]))).toBe('Tensor(f32 [4])\n  [1.0000e-7, 2.0000e+8,       NaN, -Infinity]');
    // No internals (storage, handles, the grad node) leak into what Node prints.
    expect(inspect(t)).not.toMatch(/box|handle|storage|node/);
    t.dispose();
    expect(t.toString()).toBe('Tensor(f32 [2,2], disposed)');
  });

  it('summarises large tensors: first and last 3 along each long axis', () => {
    const text = arange(2000, 'i32').reshape([40, 50]).toString();
    const lines = text.split('\n');
    expect(lines[0]).toBe('Tensor(i32 [40,50])');
    expect(lines[1]).toBe('  [[   0,    1,    2,  ...,   47,   48,   49],');
    expect(lines[4]).toBe('   [...],');
    expect(lines[lines.length - 1]).toBe('   [1950, 1951, 1952,  ..., 1997, 1998, 1999]]');
    expect(lines).toHaveLength(8);
    // Under the threshold nothing is hidden.
    expect(ones([10, 10]).toString()).not.toContain('...');
  });

  it('print() writes toString() to console.log at once on a synchronous backend', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const t = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      undefined,
      'i32',
    );
    const printed = t.print();
    expect(log).toHaveBeenCalledWith(t.toString());
    await printed;
    expect(log).toHaveBeenCalledTimes(1);
  });
});
