/// <reference types="@webgpu/types" />
import type { Backend } from '@wattformer/core';
import { findGpu } from './node-gpu';
import { requestWebGpuDevice } from './request-device';
import { createWebGpuBackend, type WebGpuStorage } from './webgpu-backend';

/**
 * The backend `setBackend('webgpu')` creates: a device from `gpu` (default: `navigator.gpu`, or
 * the npm `webgpu` package in Node). Throws a `WattformerError` naming `setBackend('wasm')` when
 * there is no adapter. `dispose()` destroys the device, after which Node can exit.
 */
export async function createDefaultWebGpuBackend(gpu?: GPU): Promise<Backend<WebGpuStorage>> {
  const device = await requestWebGpuDevice(gpu ?? (await findGpu()));
  return createWebGpuBackend(device);
}
