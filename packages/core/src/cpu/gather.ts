import type { DType, GatherPlan, TypedArray } from '../backend';
import { WattformerError } from '../errors';
import { allocate } from './allocate';

/** Index checks run before any output exists, so a bad index leaves nothing half-written. */
function checkIndices(op: string, indices: Int32Array, plan: GatherPlan): void {
  for (let i = 0; i < plan.count; i++) {
    const index = indices[i]!;
    if (index < 0 || index >= plan.axisSize) {
      throw new WattformerError('E_ARGUMENT', {
        packageName: 'core',
        op,
        expected: `indices in [0, ${plan.axisSize})`,
        got: `${index} at position ${i}`,
      });
    }
  }
}

/** x [outer, axisSize, inner], indices [count] → out [outer, count, inner]. */
export function gatherKernel(x: TypedArray, indices: Int32Array, plan: GatherPlan, dtype: DType): TypedArray {
  checkIndices('gather', indices, plan);
  const { outer, axisSize, inner, count } = plan;
  const out = allocate(dtype, outer * count * inner);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < count; c++) {
      const from = (o * axisSize + indices[c]!) * inner;
      out.set(x.subarray(from, from + inner), (o * count + c) * inner);
    }
  }
  return out;
}

/** updates [outer, count, inner] added into zeros [outer, axisSize, inner] at indices (duplicates sum). */
export function scatterAddKernel(updates: Float32Array, indices: Int32Array, plan: GatherPlan): Float32Array {
  checkIndices('scatterAdd', indices, plan);
  const { outer, axisSize, inner, count } = plan;
  const out = new Float32Array(outer * axisSize * inner);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < count; c++) {
      const to = (o * axisSize + indices[c]!) * inner;
      const from = (o * count + c) * inner;
      for (let j = 0; j < inner; j++) out[to + j]! += updates[from + j]!;
    }
  }
  return out;
}
