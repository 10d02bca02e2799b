import './register';

export { detectWebGpu, requireWebGpu } from './detect';
export type { WebGpuAvailability } from './detect';
export { createWebGpuBackend, webGpuMemory } from './webgpu-backend';
export type { WebGpuBackendOptions, WebGpuMemoryInfo, WebGpuStorage } from './webgpu-backend';
export { createDefaultWebGpuBackend } from './create-backend';
export { requestWebGpuDevice } from './request-device';
