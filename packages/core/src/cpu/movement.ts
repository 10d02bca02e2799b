import type { DType, PadPlan, StridedPlan, TypedArray } from '../backend';
import { allocate } from './allocate';

/** out[idx] = x[offset + Σ idx_d · strides_d]: permute, slice and broadcast in one loop. */
export function copyStridedKernel(x: TypedArray, plan: StridedPlan, dtype: DType): TypedArray {
  const out = allocate(dtype, plan.size);
  const rank = plan.outShape.length;
  const index = new Array<number>(rank).fill(0);
  let source = plan.offset;
  for (let i = 0; i < plan.size; i++) {
    out[i] = x[source]!;
    for (let d = rank - 1; d >= 0; d--) {
      index[d]! += 1;
      source += plan.strides[d]!;
      if (index[d]! < plan.outShape[d]!) break;
      source -= plan.strides[d]! * plan.outShape[d]!;
      index[d] = 0;
    }
  }
  return out;
}

/** Zeros of outShape with x written at `before`: the adjoint of a slice. */
export function padKernel(x: TypedArray, plan: PadPlan, dtype: DType): TypedArray {
  const out = allocate(dtype, plan.size);
  const rank = plan.inShape.length;
  const outStrides = new Array<number>(rank);
  let stride = 1;
  for (let d = rank - 1; d >= 0; d--) {
    outStrides[d] = stride;
    stride *= plan.outShape[d]!;
  }
  const inSize = plan.inShape.reduce((p, n) => p * n, 1);
  const index = new Array<number>(rank).fill(0);
  for (let i = 0; i < inSize; i++) {
    let target = 0;
    for (let d = 0; d < rank; d++) target += (index[d]! + plan.before[d]!) * outStrides[d]!;
    out[target] = x[i]!;
    for (let d = rank - 1; d >= 0; d--) {
      index[d]! += 1;
      if (index[d]! < plan.inShape[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}
