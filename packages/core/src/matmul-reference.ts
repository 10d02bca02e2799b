import { matmulDims, type MatmulOptions } from './matmul-contract';
import type { Shape } from './shape';

/**
 * Plain-TypeScript matmul: the oracle every backend is tested against.
 * Accumulates in f64 (JS numbers) and rounds once, so it is at least as accurate as any kernel.
 */
export function matmulReference(a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, options: MatmulOptions = {}): Float32Array {
  const { batch, m, n, k, transposeA, transposeB } = matmulDims(aShape, bShape, options);
  const c = new Float32Array(batch * m * n);
  for (let p = 0; p < batch; p++) {
    const aBase = p * m * k;
    const bBase = p * k * n;
    const cBase = p * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let q = 0; q < k; q++) {
          const av = transposeA ? a[aBase + q * m + i]! : a[aBase + i * k + q]!;
          const bv = transposeB ? b[bBase + j * k + q]! : b[bBase + q * n + j]!;
          sum += av * bv;
        }
        c[cBase + i * n + j] = sum;
      }
    }
  }
  return c;
}
