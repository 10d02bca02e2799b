import type { DType, ReducePlan, ReduceOp, TypedArray } from '../backend';
import { allocate } from './allocate';

/** x [outer, size, inner] → out [outer, inner]; sums accumulate in f64. Empty max gives -Infinity. */
export function reduceKernel(op: ReduceOp, x: TypedArray, plan: ReducePlan, dtype: DType): TypedArray {
  const { outer, size, inner } = plan;
  const out = allocate(dtype, outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let acc = op === 'sum' ? 0 : -Infinity;
      for (let r = 0; r < size; r++) {
        const value = x[(o * size + r) * inner + j]!;
        acc = op === 'sum' ? acc + value : value > acc || Number.isNaN(value) ? value : acc;
      }
      out[o * inner + j] = acc;
    }
  }
  return out;
}
