import { describeConformance } from '@wattformer/backend-conformance/vitest';
import { createWasmBackend } from './wasm-backend';
import { initWasm } from './wasm-module';

// Every op, forward and gradient, against the cpu oracle with the suite's named tolerances.
describeConformance('wasm', async () => {
  const { kernels, memory } = await initWasm();
  return createWasmBackend(kernels, memory);
});
