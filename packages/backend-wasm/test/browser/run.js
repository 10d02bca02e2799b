// Runs in Chromium: the same matmul cases as the Node test, against the built package.
import { matmulReference } from '@wattformer/core';
import { initWasm, matmul, memoryBytes, simd128Enabled, WasmF32Buffer, wasmBuild } from '@wattformer/backend-wasm';
import { runMatmulCases } from '../matmul-cases.js';

function wasmMatmul(a, aShape, b, bShape, options) {
  const A = WasmF32Buffer.from(a);
  const B = WasmF32Buffer.from(b);
  const C = matmul({ buffer: A, shape: aShape }, { buffer: B, shape: bShape }, options);
  const out = C.buffer.toFloat32Array();
  for (const buffer of [A, B, C.buffer]) buffer.free();
  return out;
}

function growthKeepsTensors() {
  const a = WasmF32Buffer.from([1, 2, 3, 4]);
  const b = WasmF32Buffer.from([5, 6, 7, 8]);
  const before = memoryBytes();
  const big = WasmF32Buffer.allocate(32 * 2 ** 20);
  const grew = memoryBytes() > before;
  const c = matmul({ buffer: a, shape: [2, 2] }, { buffer: b, shape: [2, 2] });
  const result = { grew, a: Array.from(a.view()), c: Array.from(c.buffer.view()) };
  for (const buffer of [a, b, c.buffer, big]) buffer.free();
  return result;
}

try {
  await initWasm(); // default source: fetched relative to the package's own URL
  const result = {
    userAgent: navigator.userAgent,
    simd128: simd128Enabled(),
    build: wasmBuild(),
    cases: runMatmulCases({ matmul: wasmMatmul, reference: matmulReference }),
    growth: growthKeepsTensors(),
  };
  window.__result = result;
  document.getElementById('out').textContent = JSON.stringify(result, null, 1);
} catch (error) {
  window.__result = { error: String(error?.stack ? error.stack : error) };
}
