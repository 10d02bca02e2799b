import { noAdapterError } from './gpu-errors';

/**
 * What `detectWebGpu()` found: whether a WebGPU adapter is usable here, why not when it is not, and which adapter.
 */
export interface WebGpuAvailability {
  readonly available: boolean;
  /** Why WebGPU cannot be used, when it cannot; `auto` backend selection logs this. */
  readonly reason?: string;
  readonly adapter?: { readonly vendor: string; readonly architecture: string; readonly description: string };
}

interface GpuLike {
  requestAdapter(options?: unknown): Promise<{ info?: { vendor: string; architecture: string; description: string } } | null>;
}

/**
 * Looks for a WebGPU adapter on `navigator.gpu` (browsers) or a `gpu` object passed in
 * (Node, e.g. `create([])` from the npm `webgpu` package). Never throws for absence.
 */
export async function detectWebGpu(gpu?: GpuLike): Promise<WebGpuAvailability> {
  const source = gpu ?? (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (!source) {
    return { available: false, reason: 'no WebGPU implementation: navigator.gpu is undefined' };
  }
  const adapter = await source.requestAdapter();
  if (!adapter) return { available: false, reason: 'requestAdapter() returned null: no usable GPU adapter' };
  const info = adapter.info ?? { vendor: 'unknown', architecture: 'unknown', description: '' };
  return { available: true, adapter: info };
}

/** Throws the error users see when they ask for WebGPU where there is none. */
export async function requireWebGpu(gpu?: GpuLike): Promise<void> {
  const found = await detectWebGpu(gpu);
  if (!found.available) throw noAdapterError(found.reason ?? 'none');
}
