/// <reference types="@webgpu/types" />
import { noAdapterError } from './gpu-errors';

/** What `import('webgpu')` (Dawn for Node) exposes. */
interface NodeWebGpuModule {
  create(options: string[]): GPU;
  globals: object;
}

let nodeGpu: Promise<GPU> | null = null;

/**
 * The `GPU` object for this runtime: `navigator.gpu` in browsers and Deno; in Node the optional
 * peer dependency `webgpu` (Dawn), whose globals (`GPUBufferUsage`, …) are installed once.
 * Node gets one Dawn instance per process, shared by every backend: instances created and
 * collected while devices from them are alive have crashed the process. A live instance does
 * not keep Node running once its devices are destroyed (`dispose()`).
 */
export async function findGpu(): Promise<GPU> {
  const navigatorGpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (navigatorGpu) return navigatorGpu;
  nodeGpu ??= loadDawn().catch((error: unknown) => {
    nodeGpu = null;
    throw error;
  });
  return nodeGpu;
}

async function loadDawn(): Promise<GPU> {
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
