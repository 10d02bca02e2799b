import { initSync } from '../wasm/kernels.js';
import * as kernels from '../wasm/kernels.js';
import { backendError } from './errors';
import { compileWasm, type WasmSource } from './wasm-source';

export type Kernels = typeof kernels;

/** The instantiated kernels returned by `initWasm()`. */
export interface LoadedWasm {
  /** The wasm-bindgen exports (raw kernels taking offsets into `memory`). */
  readonly kernels: Kernels;
  /** The kernels' linear memory, where tensors live. */
  readonly memory: WebAssembly.Memory;
}

/** Options form of `initWasm()`. */
export interface InitWasmOptions {
  /**
   * URL of the kernels' `.wasm` (relative URLs resolve against the page). Overrides
   * `env.wasm.wasmPaths` for this call.
   */
  readonly url?: string | URL;
}

let loaded: LoadedWasm | undefined;
let loading: Promise<LoadedWasm> | undefined;

function isOptions(source: unknown): source is InitWasmOptions {
  return (
    typeof source === 'object' &&
    source !== null &&
    !(source instanceof URL) &&
    !(source instanceof WebAssembly.Module) &&
    !(source instanceof ArrayBuffer) &&
    !ArrayBuffer.isView(source) &&
    !(typeof Response !== 'undefined' && source instanceof Response) &&
    !(source instanceof Promise)
  );
}

/**
 * Compiles and instantiates the kernels once per process (later calls wait for the same
 * instance). Without an argument the `.wasm` comes from `env.wasm.wasmPaths` when set, else
 * from beside the package (Node reads the file; browsers fetch it). Pass `{ url }`, bytes, a
 * `WebAssembly.Module`, a URL or a `Response` to load from elsewhere, e.g.
 * `initWasm({ url: wasmUrl })` with `import wasmUrl from '@wattformer/backend-wasm/kernels.wasm?url'` in Vite.
 */
export async function initWasm(source?: WasmSource | InitWasmOptions): Promise<void> {
  await initKernels(source);
}

/** `initWasm()` returning the raw instance (kernels + memory), for `createWasmBackend`. */
export function initKernels(source?: WasmSource | InitWasmOptions): Promise<LoadedWasm> {
  const resolved = isOptions(source) ? source.url : source;
  loading ??= compileWasm(resolved).then((module) => {
    const exports = initSync({ module });
    loaded = { kernels, memory: exports.memory };
    return loaded;
  });
  loading.catch(() => {
    loading = undefined; // let a later call retry with another source
  });
  return loading;
}

/** The instance, or a clear error when `await initWasm()` has not finished. */
export function wasm(op: string): LoadedWasm {
  if (!loaded) {
    throw backendError(
      'E_NOT_INITIALIZED',
      op,
      'the WebAssembly kernels to be initialised',
      'a call before initWasm() resolved',
      'await initWasm() once before using the wasm backend',
    );
  }
  return loaded;
}
