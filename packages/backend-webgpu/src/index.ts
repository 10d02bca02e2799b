export { detectWebGpu, requireWebGpu } from './detect';
export type { WebGpuAvailability } from './detect';
