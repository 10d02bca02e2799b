import { initSync } from '../wasm/kernels.js';
import * as kernels from '../wasm/kernels.js';
import { backendError } from './errors';
import { compileWasm, type WasmSource } from './wasm-source';

export type Kernels = typeof kernels;

interface Loaded {
  readonly kernels: Kernels;
  readonly memory: WebAssembly.Memory;
}

let loaded: Loaded | undefined;
let loading: Promise<Loaded> | undefined;

/**
 * Compiles and instantiates the kernels once per process (later calls return the same
 * instance). Pass bytes, a `WebAssembly.Module`, a URL or a `Response` to load from
 * elsewhere, e.g. a CDN or `import wasmUrl from '@wattformer/backend-wasm/kernels.wasm?url'`.
 */
export function initWasm(source?: WasmSource): Promise<Loaded> {
  loading ??= compileWasm(source).then((module) => {
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
export function wasm(op: string): Loaded {
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
