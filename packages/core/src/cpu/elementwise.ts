import type { BinaryOp, BinaryPlan, DType, TypedArray, UnaryOp } from '../backend';
import { allocate } from './allocate';

const unaryFunctions: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  sqrt: Math.sqrt,
  relu: (x) => (x > 0 ? x : 0),
  step: (x) => (x > 0 ? 1 : 0),
};

/** y[i] = f(x[i]) over [size]; f32, except `neg` which also serves i32. */
export function unaryKernel(op: UnaryOp, x: TypedArray, size: number): TypedArray {
  const f = unaryFunctions[op];
  const y = x instanceof Int32Array ? new Int32Array(size) : new Float32Array(size);
  for (let i = 0; i < size; i++) y[i] = f(x[i]!);
  return y;
}

const binaryFunctions: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: (a, b) => (a >= b ? a : b),
  equal: (a, b) => (a === b ? 1 : 0),
};

/**
 * out[idx] = a[idx · aStrides] ∘ b[idx · bStrides] over outShape, walking a multi-index so any
 * broadcast works. i32 results wrap like Rust's wrapping ops; i32 `div` truncates toward zero.
 */
export function binaryKernel(op: BinaryOp, a: TypedArray, b: TypedArray, plan: BinaryPlan, dtype: DType): TypedArray {
  const f = binaryFunctions[op];
  const out = allocate(dtype, plan.size);
  const integer = dtype === 'i32';
  const rank = plan.outShape.length;
  const index = new Array<number>(rank).fill(0);
  let aOffset = 0;
  let bOffset = 0;
  for (let i = 0; i < plan.size; i++) {
    const value = f(a[aOffset]!, b[bOffset]!);
    out[i] = integer && op === 'div' ? Math.trunc(value) : value;
    // Advance the multi-index (row-major), updating both input offsets incrementally.
    for (let d = rank - 1; d >= 0; d--) {
      index[d]! += 1;
      aOffset += plan.aStrides[d]!;
      bOffset += plan.bStrides[d]!;
      if (index[d]! < plan.outShape[d]!) break;
      aOffset -= plan.aStrides[d]! * plan.outShape[d]!;
      bOffset -= plan.bStrides[d]! * plan.outShape[d]!;
      index[d] = 0;
    }
  }
  return out;
}
