/// <reference types="@webgpu/types" />
import type { Backend } from '@wattformer/core';
import { findGpu } from './node-gpu';
import { requestWebGpuDevice } from './request-device';
import { checkF16Option, createWebGpuBackend, type WebGpuF16, type WebGpuStorage } from './webgpu-backend';

/**
 * The backend `setBackend('webgpu')` creates: a device from `gpu` (default: `navigator.gpu`, or
 * the npm `webgpu` package in Node). Throws a `WattformerError` naming `setBackend('wasm')` when
 * there is no adapter. `dispose()` destroys the device, after which Node can exit.
 * `f16: 'auto'` requests `shader-f16` where the adapter has it and runs matmul in f16 there.
 */
export async function createDefaultWebGpuBackend(gpu?: GPU, options: { readonly f16?: WebGpuF16 } = {}): Promise<Backend<WebGpuStorage>> {
  checkF16Option(options.f16, 'createDefaultWebGpuBackend');
  const device = await requestWebGpuDevice(gpu ?? (await findGpu()), options);
  return createWebGpuBackend(device, options);
}
