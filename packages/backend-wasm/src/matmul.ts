import { formatShape, matmulDims, type MatmulOptions, type Shape } from '@wattformer/core';
import { backendError } from './errors';
import { WasmF32Buffer } from './f32-buffer';
import { wasm } from './wasm-module';

/**
 * A row-major matrix (or batch of matrices) in WebAssembly memory: the buffer and its `[M, K]` or `[B, M, K]` shape.
 */
export interface WasmMatrix {
  readonly buffer: WasmF32Buffer;
  readonly shape: Shape;
}

function checkBuffer(op: string, name: string, matrix: WasmMatrix, elements: number): void {
  if (matrix.buffer.freed) {
    throw backendError('E_ARGUMENT', op, `${name} to be a live buffer`, 'a freed buffer');
  }
  if (matrix.buffer.length !== elements) {
    throw backendError('E_SHAPE', op, `${name} buffer of ${elements} elements for shape ${formatShape(matrix.shape)}`, `${matrix.buffer.length} elements`);
  }
}

/**
 * C = op(A) · op(B) on the Rust simd128 kernel (blocked, packed). Shapes follow
 * `@wattformer/core`'s matmul contract: [M,K]·[K,N] or batched [B,M,K]·[B,K,N].
 * Writes into `out` when given (it must have the output's size), else allocates.
 */
export function matmul(a: WasmMatrix, b: WasmMatrix, options: MatmulOptions = {}, out?: WasmF32Buffer): WasmMatrix {
  const d = matmulDims(a.shape, b.shape, options);
  checkBuffer('matmul', 'A', a, d.batch * d.m * d.k);
  checkBuffer('matmul', 'B', b, d.batch * d.k * d.n);
  const size = d.batch * d.m * d.n;
  if (out && out.length !== size) {
    throw backendError('E_SHAPE', 'matmul', `an output buffer of ${size} elements`, `${out.length}`);
  }
  const c = out ?? WasmF32Buffer.allocate(size);
  wasm('matmul').kernels.matmul(a.buffer.ptr, b.buffer.ptr, c.ptr, d.batch, d.m, d.n, d.k, d.transposeA, d.transposeB);
  return { buffer: c, shape: d.outShape };
}
