import './register';

export { detectWebGpu, requireWebGpu } from './detect';
export type { WebGpuAvailability } from './detect';
export { createWebGpuBackend, webGpuCounters, webGpuInfo, webGpuMemory } from './webgpu-backend';
export type { WebGpuBackendInfo, WebGpuBackendOptions, WebGpuCounters, WebGpuF16, WebGpuMemoryInfo, WebGpuStorage } from './webgpu-backend';
export { createDefaultWebGpuBackend } from './create-backend';
export { requestWebGpuDevice } from './request-device';
