import { registerBackend } from '@wattformer/core';
import { createDefaultWebGpuBackend } from './create-backend';

// Importing the package makes `await setBackend('webgpu')` available.
registerBackend('webgpu', () => createDefaultWebGpuBackend());
