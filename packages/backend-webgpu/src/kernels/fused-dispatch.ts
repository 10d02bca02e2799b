import { groupsFor, type Binding, type GpuRuntime, type WebGpuStorage } from '../gpu-runtime';

// What every fused kernel's dispatch code shares (webgpu-fused.ts and each kernels/<name>.ts that
// exports `fused`): bindings from storage handles, and the dispatch shapes of the `wgsl` mains.

const bufferOf = (s: WebGpuStorage | GPUBuffer): GPUBuffer => ('bytes' in s ? s.buffer : s);
export const read = (s: WebGpuStorage | GPUBuffer): Binding => ({ buffer: bufferOf(s), access: 'read' });
export const write = (s: WebGpuStorage | GPUBuffer): Binding => ({ buffer: bufferOf(s), access: 'write' });

/** One workgroup of 64 per row (kernels built with `mainPerRow`). */
export function perRow(gpu: GpuRuntime, code: string, bindings: readonly Binding[], words: readonly number[], rows: number): void {
  if (rows === 0) return;
  const [x, y] = groupsFor(rows * 64);
  gpu.dispatch(code, 'main', bindings, words, [x, y, 1]);
}
