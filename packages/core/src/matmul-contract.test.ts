import { describe, expect, it } from 'vitest';
import { matmulDims } from './matmul-contract';
import { matmulReference } from './matmul-reference';

describe('matmulDims', () => {
  it('derives dimensions for every transpose combination', () => {
    expect(matmulDims([2, 3], [3, 5])).toMatchObject({ batch: 1, m: 2, k: 3, n: 5, outShape: [2, 5] });
    expect(matmulDims([3, 2], [3, 5], { transposeA: true })).toMatchObject({ m: 2, k: 3, n: 5 });
    expect(matmulDims([2, 3], [5, 3], { transposeB: true })).toMatchObject({ m: 2, k: 3, n: 5 });
    expect(matmulDims([4, 3, 2], [4, 5, 3], { transposeA: true, transposeB: true })).toMatchObject({
      batch: 4,
      m: 2,
      k: 3,
      n: 5,
      outShape: [4, 2, 5],
    });
  });

  it('names the op and both shapes when inner dimensions disagree', () => {
    expect(() => matmulDims([2, 3], [4, 5])).toThrow(/^core: matmul: expected inner dimensions to agree \(3 from A\), got A \[2,3\] and B \[4,5\]\nhelp:/);
  });

  it('refuses mismatched batches and bad ranks', () => {
    expect(() => matmulDims([2, 2, 3], [3, 3, 5])).toThrow(/same batch dimension/);
    expect(() => matmulDims([2], [2, 3])).toThrow(/rank 2 or 3/);
    expect(() => matmulDims([2, -1], [2, 3])).toThrow(/non-negative integer/);
  });
});

describe('matmulReference', () => {
  it('multiplies a 2x3 by a 3x2 matrix', () => {
    const a = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const b = Float32Array.from([7, 8, 9, 10, 11, 12]);
    expect(Array.from(matmulReference(a, [2, 3], b, [3, 2]))).toEqual([58, 64, 139, 154]);
  });

  it('reads transposed operands in place', () => {
    // Aᵀ stored as [3, 2]: columns of the 2x3 A above.
    const aT = Float32Array.from([1, 4, 2, 5, 3, 6]);
    const bT = Float32Array.from([7, 9, 11, 8, 10, 12]);
    const c = matmulReference(aT, [3, 2], bT, [2, 3], { transposeA: true, transposeB: true });
    expect(Array.from(c)).toEqual([58, 64, 139, 154]);
  });
});
