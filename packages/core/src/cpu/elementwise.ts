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

/** y[i] = f(x[i]) over [size]; f32, except `neg` which also serves i32 (wrapping). */
export function unaryKernel(op: UnaryOp, x: TypedArray, size: number, dtype: DType): TypedArray {
  const f = unaryFunctions[op];
  const y = allocate(dtype, size);
  for (let i = 0; i < size; i++) y[i] = f(x[i]!);
  return y;
}

const f32Functions: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: (a, b) => (a >= b ? a : b),
  equal: (a, b) => (a === b ? 1 : 0),
};

/** Two's-complement i32 semantics, as Rust's wrapping ops (division by zero gives 0). */
const i32Functions: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => (a + b) | 0,
  sub: (a, b) => (a - b) | 0,
  mul: (a, b) => Math.imul(a, b),
  div: (a, b) => (b === 0 ? 0 : Math.trunc(a / b) | 0),
  maximum: (a, b) => (a >= b ? a : b),
  equal: (a, b) => (a === b ? 1 : 0),
};

/**
 * out[idx] = a[idx · aStrides] ∘ b[idx · bStrides] over outShape, walking a multi-index so any
 * broadcast works.
 */
export function binaryKernel(op: BinaryOp, a: TypedArray, b: TypedArray, plan: BinaryPlan, dtype: DType): TypedArray {
  const f = dtype === 'i32' ? i32Functions[op] : f32Functions[op];
  const out = allocate(dtype, plan.size);
  const aDense = isDense(plan.aStrides, plan.outShape);
  const bDense = isDense(plan.bStrides, plan.outShape);
  const bScalar = plan.bStrides.every((s) => s === 0);
  // Fast paths for the common layouts: same shape, and tensor ∘ scalar.
  if (aDense && (bDense || bScalar)) {
    if (bDense) for (let i = 0; i < plan.size; i++) out[i] = f(a[i]!, b[i]!);
    else for (let i = 0, bv = b[0]!; i < plan.size; i++) out[i] = f(a[i]!, bv);
    return out;
  }
  const rank = plan.outShape.length;
  const index = new Array<number>(rank).fill(0);
  let aOffset = 0;
  let bOffset = 0;
  for (let i = 0; i < plan.size; i++) {
    out[i] = f(a[aOffset]!, b[bOffset]!);
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

/** Whether strides walk `shape` contiguously in row-major order (no broadcast, no gaps). */
function isDense(strides: readonly number[], shape: readonly number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && strides[d] !== expected) return false;
    expected *= shape[d]!;
  }
  return true;
}
