import type { Backend } from '@wattformer/core';
import { createDefaultWebGpuBackend } from '../src/create-backend';

const created: Backend[] = [];

/**
 * A WebGPU backend on whatever adapter this process has (SwiftShader under vitest, see
 * vitest.config.ts). Without one the test fails, with the reason, instead of skipping.
 */
export async function softwareWebGpuBackend(): Promise<Backend> {
  try {
    const backend = await createDefaultWebGpuBackend();
    created.push(backend);
    return backend;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `no WebGPU adapter for the tests (${process.env.WATTFORMER_WEBGPU_DRIVER ?? 'driver not set up: run through vitest.config.ts'}):\n${message}`,
    );
  }
}

/** Destroys every device made here, so the worker process can exit. */
export function disposeSoftwareBackends(): void {
  for (const backend of created.splice(0)) backend.dispose?.();
}
