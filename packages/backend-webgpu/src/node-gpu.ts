/// <reference types="@webgpu/types" />
import { noAdapterError } from './gpu-errors';

/** What `import('webgpu')` (Dawn for Node) exposes. */
interface NodeWebGpuModule {
  create(options: string[]): GPU;
  globals: object;
}

/**
 * The `GPU` object for this runtime: `navigator.gpu` in browsers and Deno; in Node the optional
 * peer dependency `webgpu` (Dawn), whose globals (`GPUBufferUsage`, …) are installed once.
 */
export async function findGpu(): Promise<GPU> {
  const navigatorGpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (navigatorGpu) return navigatorGpu;
  let module: NodeWebGpuModule;
  try {
    const specifier = 'webgpu';
    module = (await import(/* @vite-ignore */ specifier)) as NodeWebGpuModule;
  } catch (error) {
    throw noAdapterError(`no navigator.gpu and the npm 'webgpu' package could not be loaded (${error instanceof Error ? error.message : String(error)})`);
  }
  if ((globalThis as { GPUBufferUsage?: unknown }).GPUBufferUsage === undefined) Object.assign(globalThis, module.globals);
  return module.create([]);
}
