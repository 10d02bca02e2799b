import { describeConformance, describeLeakCheck } from '@wattformer/backend-conformance/vitest';
import { describe, expect, it } from 'vitest';
import { memoryBytes } from './info';
import { createWasmBackend } from './wasm-backend';
import { initKernels } from './wasm-module';

// The simd128 build (the fallback for engines without relaxed SIMD); conformance-relaxed.test.ts
// runs the same suite on the relaxed build: vitest isolates files, so each loads its own instance.
const wasmBackend = async () => {
  const { kernels, memory } = await initKernels({ build: 'simd128' });
  return createWasmBackend(kernels, memory);
};

// Every op, forward and gradient, against the cpu oracle with the suite's named tolerances.
describeConformance('wasm (simd128 build)', wasmBackend);

// 1,000 steps: live tensors, backend bytes and WebAssembly memory size all flat after step 1.
describeLeakCheck('wasm (simd128 build)', wasmBackend, { probe: memoryBytes });

describe('the simd128 conformance run', () => {
  it('really runs the simd128 build', async () => {
    const { kernels } = await initKernels({ build: 'simd128' });
    expect(kernels.relaxedSimdEnabled()).toBe(false);
    expect(kernels.simd128Enabled()).toBe(true);
  });
});
