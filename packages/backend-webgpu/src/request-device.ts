/// <reference types="@webgpu/types" />
import { noAdapterError } from './gpu-errors';
import { ATTENTION_STORAGE_BUFFERS } from './webgpu-fused';
import type { WebGpuF16 } from './webgpu-backend';

/**
 * An adapter and a device from `gpu` (`navigator.gpu`, or `create([])` from the npm `webgpu`
 * package in Node). Asks for the adapter's own buffer-size limits and enough storage buffers per
 * stage for the fused attention backward kernel, when the adapter has them, and for the
 * `shader-f16` feature when `f16` is `'auto'` and the adapter has it.
 */
export async function requestWebGpuDevice(gpu: GPU | undefined, options: { readonly f16?: WebGpuF16 } = {}): Promise<GPUDevice> {
  if (!gpu) throw noAdapterError('no WebGPU implementation: navigator.gpu is undefined');
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw noAdapterError('requestAdapter() returned null: no usable GPU adapter');
  const limits = adapter.limits;
  const f16 = options.f16 === 'auto' && adapter.features.has('shader-f16');
  return adapter.requestDevice({
    requiredFeatures: f16 ? ['shader-f16'] : [],
    requiredLimits: {
      maxBufferSize: limits.maxBufferSize,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxStorageBuffersPerShaderStage: Math.min(limits.maxStorageBuffersPerShaderStage, Math.max(ATTENTION_STORAGE_BUFFERS, 8)),
    },
  });
}
