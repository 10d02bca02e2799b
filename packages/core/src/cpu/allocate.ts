import type { DType, TypedArray } from '../backend';

export function allocate(dtype: DType, size: number): TypedArray {
  return dtype === 'f32' ? new Float32Array(size) : new Int32Array(size);
}
