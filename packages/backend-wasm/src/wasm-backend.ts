import { WattformerError, type Backend, type DType, type GatherPlan } from '@wattformer/core';
import { WASM_MAX_ALLOCATION_BYTES } from './allocate';
import { createFusedKernels } from './wasm-fused';
import { BINARY_CODES as BINARY, REDUCE_CODES as REDUCE, UNARY_CODES as UNARY } from './op-codes.generated';
import { WasmHeap, type WasmStorage } from './wasm-storage';
import type { Kernels } from './wasm-module';

function indexError(op: string, heap: WasmHeap, indices: WasmStorage, plan: GatherPlan, position: number): WattformerError {
  const value = heap.view(indices, plan.count)[position];
  return new WattformerError('E_ARGUMENT', {
    packageName: 'core',
    op,
    expected: `indices in [0, ${plan.axisSize})`,
    got: `${value} at position ${position}`,
  });
}

/**
 * The WebAssembly backend: tensors live in the kernels' linear memory and every kernel is a
 * Rust simd128 function called with byte offsets, so a training step copies nothing between
 * JavaScript and WebAssembly. Only `upload`/`write` and `read`/`readSync`/`readInto` copy, when
 * values come in or are asked for.
 */
export function createWasmBackend(kernels: Kernels, memory: WebAssembly.Memory): Backend<WasmStorage> {
  const heap = new WasmHeap(kernels, memory);
  const out = (length: number, dtype: DType, op: string) => heap.allocate(length, dtype, op);
  return {
    name: 'wasm',
    // Core refuses larger outputs before any kernel runs, naming the op and the shapes: one
    // allocation is at most 2^31 − 16 bytes on wasm32 (allocate.ts).
    maxBufferBytes: WASM_MAX_ALLOCATION_BYTES,
    upload(values, dtype) {
      const storage = out(values.length, dtype, 'upload');
      heap.view(storage).set(values);
      return storage;
    },
    read: async (storage, _dtype, size) => heap.view(storage, size).slice(),
    readSync: (storage, _dtype, size) => heap.view(storage, size).slice(),
    // No allocation between the view and the copy, so the view cannot be detached by growth.
    readInto: (storage, _dtype, out) => out.set(heap.view(storage, out.length)),
    write: (storage, values) => heap.view(storage, values.length).set(values),
    free: (storage) => heap.free(storage),
    bytesInUse: () => heap.bytesInUse,

    fill(size, value, dtype) {
      const storage = out(size, dtype, 'fill');
      heap.view(storage).fill(value);
      return storage;
    },
    unary(op, x, size) {
      const y = out(size, x.dtype, op);
      if (x.dtype === 'i32') kernels.unaryI32(UNARY[op], x.ptr, y.ptr, size);
      else kernels.unaryF32(UNARY[op], x.ptr, y.ptr, size);
      return y;
    },
    binary(op, a, b, plan, dtype) {
      const y = out(plan.size, dtype, op);
      kernels.binary(
        BINARY[op],
        dtype === 'i32',
        a.ptr,
        a.length,
        b.ptr,
        b.length,
        y.ptr,
        Uint32Array.from(plan.outShape),
        Int32Array.from(plan.aStrides),
        Int32Array.from(plan.bStrides),
      );
      return y;
    },
    matmul(a, b, d) {
      const c = out(d.batch * d.m * d.n, 'f32', 'matmul');
      kernels.matmul(a.ptr, b.ptr, c.ptr, d.batch, d.m, d.n, d.k, d.transposeA, d.transposeB);
      return c;
    },
    reduce(op, x, plan, dtype) {
      const y = out(plan.outer * plan.inner, dtype, op);
      kernels.reduce(REDUCE[op], dtype === 'i32', x.ptr, y.ptr, plan.outer, plan.size, plan.inner);
      return y;
    },
    copyStrided(x, plan, dtype) {
      const y = out(plan.size, dtype, 'copyStrided');
      kernels.copyStrided(x.ptr, x.length, y.ptr, Uint32Array.from(plan.outShape), Int32Array.from(plan.strides), plan.offset);
      return y;
    },
    pad(x, plan, dtype) {
      const y = out(plan.size, dtype, 'pad');
      kernels.pad(x.ptr, y.ptr, Uint32Array.from(plan.inShape), Uint32Array.from(plan.outShape), Uint32Array.from(plan.before));
      return y;
    },
    gather(x, indices, plan, dtype) {
      const y = out(plan.outer * plan.count * plan.inner, dtype, 'gather');
      const bad = kernels.gather(x.ptr, indices.ptr, y.ptr, plan.outer, plan.axisSize, plan.inner, plan.count);
      if (bad >= 0) {
        heap.free(y);
        throw indexError('gather', heap, indices, plan, bad);
      }
      return y;
    },
    scatterAdd(updates, indices, plan) {
      const y = out(plan.outer * plan.axisSize * plan.inner, 'f32', 'scatterAdd');
      const bad = kernels.scatterAdd(updates.ptr, indices.ptr, y.ptr, plan.outer, plan.axisSize, plan.inner, plan.count);
      if (bad >= 0) {
        heap.free(y);
        throw indexError('scatterAdd', heap, indices, plan, bad);
      }
      return y;
    },
    cast(x, size, from, to) {
      const y = out(size, to, 'cast');
      if (from === to) heap.view(y).set(heap.view(x, size));
      else if (to === 'i32') kernels.castF32ToI32(x.ptr, y.ptr, size);
      else kernels.castI32ToF32(x.ptr, y.ptr, size);
      return y;
    },
    randomUniform(size, seed, offset) {
      const y = out(size, 'f32', 'randomUniform');
      kernels.randomUniform(y.ptr, size, seed >>> 0, offset >>> 0);
      return y;
    },
    fused: createFusedKernels(kernels, heap),
  };
}
