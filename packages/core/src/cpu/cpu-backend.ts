import type { Backend, TypedArray } from '../backend';
import { BYTES_PER_ELEMENT } from '../backend';
import { matmulReference } from '../matmul-reference';
import { uniformAt } from '../random';
import { allocate } from './allocate';
import { binaryKernel, unaryKernel } from './elementwise';
import { gatherKernel, scatterAddKernel } from './gather';
import { copyStridedKernel, padKernel } from './movement';
import { reduceKernel } from './reduce';

/** A cpu allocation: the typed array itself. */
export interface CpuStorage {
  readonly values: TypedArray;
}

/**
 * The plain-TypeScript backend: the oracle every other backend is compared with. Clarity over
 * speed; accumulations run in f64 (JS numbers) and round once.
 */
export function createCpuBackend(): Backend<CpuStorage> {
  let bytes = 0;
  const own = (values: TypedArray): CpuStorage => {
    bytes += values.length * BYTES_PER_ELEMENT[values instanceof Float32Array ? 'f32' : 'i32'];
    return { values };
  };
  return {
    name: 'cpu',
    upload: (values, dtype) => own(dtype === 'f32' ? Float32Array.from(values) : Int32Array.from(values)),
    read: async (storage, _dtype, size) => storage.values.slice(0, size),
    readSync: (storage, _dtype, size) => storage.values.slice(0, size),
    readInto: (storage, _dtype, out) => out.set(storage.values.subarray(0, out.length)),
    write: (storage, values) => storage.values.set(values),
    free: (storage) => {
      bytes -= storage.values.byteLength;
    },
    bytesInUse: () => bytes,
    fill: (size, value, dtype) => own(allocate(dtype, size).fill(value)),
    unary: (op, x, size, dtype) => own(unaryKernel(op, x.values, size, dtype)),
    binary: (op, a, b, plan, dtype) => own(binaryKernel(op, a.values, b.values, plan, dtype)),
    matmul: (a, b, d) => {
      const aShape = d.transposeA ? [d.batch, d.k, d.m] : [d.batch, d.m, d.k];
      const bShape = d.transposeB ? [d.batch, d.n, d.k] : [d.batch, d.k, d.n];
      return own(
        matmulReference(a.values as Float32Array, aShape, b.values as Float32Array, bShape, {
          transposeA: d.transposeA,
          transposeB: d.transposeB,
        }),
      );
    },
    reduce: (op, x, plan, dtype) => own(reduceKernel(op, x.values, plan, dtype)),
    copyStrided: (x, plan, dtype) => own(copyStridedKernel(x.values, plan, dtype)),
    pad: (x, plan, dtype) => own(padKernel(x.values, plan, dtype)),
    gather: (x, indices, plan, dtype) => own(gatherKernel(x.values, indices.values as Int32Array, plan, dtype)),
    scatterAdd: (updates, indices, plan) => own(scatterAddKernel(updates.values as Float32Array, indices.values as Int32Array, plan)),
    cast: (x, size, _from, to) => {
      const out = allocate(to, size);
      // Float → int truncates toward zero, as C and Rust `as` casts do.
      for (let i = 0; i < size; i++) out[i] = to === 'i32' ? Math.trunc(x.values[i]!) : x.values[i]!;
      return own(out);
    },
    randomUniform: (size, seed, offset) => {
      const out = new Float32Array(size);
      for (let i = 0; i < size; i++) out[i] = uniformAt(seed, (offset + i) >>> 0);
      return own(out);
    },
  };
}
