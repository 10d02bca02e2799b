import { registerBackend } from '@wattformer/core';
import { createDefaultWebGpuBackend } from './create-backend';
import { whenDeviceLost } from './webgpu-backend';

/**
 * Importing the package makes `await setBackend('webgpu')` (and `'auto'`) available. Core keeps
 * one instance per name; once its device is lost (or `dispose()`d) the factory is registered
 * again, which drops that instance, so the next `setBackend('webgpu')` requests a new device
 * instead of handing back a dead one.
 */
async function createRegisteredBackend() {
  const backend = await createDefaultWebGpuBackend();
  void whenDeviceLost(backend).then(() => registerBackend('webgpu', createRegisteredBackend));
  return backend;
}

registerBackend('webgpu', createRegisteredBackend);
