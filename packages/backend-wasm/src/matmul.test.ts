import { matmulReference, type MatmulOptions, type Shape } from '@wattformer/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runMatmulCases, seededValues } from '../test/matmul-cases.js';
import { WasmF32Buffer } from './f32-buffer';
import { matmul } from './matmul';
import { initWasm } from './wasm-module';

beforeAll(async () => {
  await initWasm();
});

function wasmMatmul(a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, options: MatmulOptions): Float32Array {
  const A = WasmF32Buffer.from(a);
  const B = WasmF32Buffer.from(b);
  const C = matmul({ buffer: A, shape: aShape }, { buffer: B, shape: bShape }, options);
  const out = C.buffer.toFloat32Array();
  for (const buffer of [A, B, C.buffer]) buffer.free();
  return out;
}

describe('wasm matmul', () => {
  it('agrees with the JS reference (rel. error ≤ 1e-5) on awkward shapes, transposes and batches', () => {
    const rows = runMatmulCases({ matmul: wasmMatmul, reference: matmulReference });
    expect(rows.length).toBe(52);
    const bad = rows.filter((row) => !(row.error <= 1e-5));
    expect(bad).toEqual([]);
  });

  it('gives zeros, not garbage, when K is 0', () => {
    const out = WasmF32Buffer.from([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    const empty = WasmF32Buffer.allocate(0);
    matmul({ buffer: empty, shape: [2, 0] }, { buffer: empty, shape: [0, 2] }, {}, out);
    expect(Array.from(out.view())).toEqual([0, 0, 0, 0]);
  });

  it('refuses mismatched shapes with the op and both shapes named, before touching memory', () => {
    const a = WasmF32Buffer.from(seededValues(6, 1));
    expect(() => matmul({ buffer: a, shape: [2, 3] }, { buffer: a, shape: [2, 3] })).toThrow(
      /^core: matmul: expected inner dimensions to agree \(3 from A\), got A \[2,3\] and B \[2,3\]/,
    );
    expect(() => matmul({ buffer: a, shape: [3, 3] }, { buffer: a, shape: [3, 2] })).toThrow(
      /^backend-wasm: matmul: expected A buffer of 9 elements for shape \[3,3\], got 6 elements/,
    );
    a.free();
    expect(() => matmul({ buffer: a, shape: [2, 3] }, { buffer: a, shape: [3, 2] })).toThrow(/expected A to be a live buffer/);
  });
});
