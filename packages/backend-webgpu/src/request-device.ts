/// <reference types="@webgpu/types" />
import { noAdapterError } from './gpu-errors';
import { ATTENTION_STORAGE_BUFFERS } from './webgpu-fused';

/**
 * An adapter and a device from `gpu` (`navigator.gpu`, or `create([])` from the npm `webgpu`
 * package in Node). Asks for the adapter's own buffer-size limits and enough storage buffers per
 * stage for the fused attention backward kernel, when the adapter has them.
 */
export async function requestWebGpuDevice(gpu: GPU | undefined): Promise<GPUDevice> {
  if (!gpu) throw noAdapterError('no WebGPU implementation: navigator.gpu is undefined');
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw noAdapterError('requestAdapter() returned null: no usable GPU adapter');
  const limits = adapter.limits;
  return adapter.requestDevice({
    requiredLimits: {
      maxBufferSize: limits.maxBufferSize,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxStorageBuffersPerShaderStage: Math.min(limits.maxStorageBuffersPerShaderStage, Math.max(ATTENTION_STORAGE_BUFFERS, 8)),
    },
  });
}
