import { describeConformance, describeLeakCheck } from '@wattformer/backend-conformance/vitest';
import { memoryBytes } from './info';
import { createWasmBackend } from './wasm-backend';
import { initKernels } from './wasm-module';

const wasmBackend = async () => {
  const { kernels, memory } = await initKernels();
  return createWasmBackend(kernels, memory);
};

// Every op, forward and gradient, against the cpu oracle with the suite's named tolerances.
describeConformance('wasm', wasmBackend);

// 1,000 steps: live tensors, backend bytes and WebAssembly memory size all flat after step 1.
describeLeakCheck('wasm', wasmBackend, { probe: memoryBytes });
