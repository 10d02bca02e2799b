import { registerBackend } from '@wattformer/core';
import { createWasmBackend } from './wasm-backend';
import { initKernels } from './wasm-module';

// Importing the package makes `await setBackend('wasm')` available.
registerBackend('wasm', async () => {
  const { kernels, memory } = await initKernels();
  return createWasmBackend(kernels, memory);
});
