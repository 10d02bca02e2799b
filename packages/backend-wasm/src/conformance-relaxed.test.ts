import { describeConformance, describeLeakCheck } from '@wattformer/backend-conformance/vitest';
import { describe, expect, it } from 'vitest';
import { memoryBytes, wasmBuild } from './info';
import { createWasmBackend } from './wasm-backend';
import { initKernels } from './wasm-module';

// The relaxed-SIMD build (fused multiply-adds), with the very tolerances the simd128 build meets
// (conformance.test.ts); vitest isolates files, so each loads its own instance.
const wasmBackend = async () => {
  const { kernels, memory } = await initKernels({ build: 'relaxed' });
  return createWasmBackend(kernels, memory);
};

// Every op, forward and gradient, against the cpu oracle with the suite's named tolerances.
describeConformance('wasm (relaxed build)', wasmBackend);

// 1,000 steps: live tensors, backend bytes and WebAssembly memory size all flat after step 1.
describeLeakCheck('wasm (relaxed build)', wasmBackend, { probe: memoryBytes });

describe('the relaxed conformance run', () => {
  it('really runs the relaxed build (f32x4.relaxed_madd in every multiply-add)', async () => {
    const { kernels } = await initKernels({ build: 'relaxed' });
    expect(kernels.relaxedSimdEnabled()).toBe(true);
    expect(wasmBuild()).toBe('relaxed');
  });
});
