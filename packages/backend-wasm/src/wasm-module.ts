import { initSync } from '../wasm/kernels.js';
import * as kernels from '../wasm/kernels.js';
import { backendError } from './errors';
import { chooseWasmBuild, isAutoBuild, isInitOptions, type InitWasmOptions, type WasmBuild } from './wasm-build';

export type { InitWasmOptions } from './wasm-build';
import { compileWasm, type WasmSource } from './wasm-source';

export type Kernels = typeof kernels;

/** The instantiated kernels returned by `initWasm()`. */
export interface LoadedWasm {
  /** The wasm-bindgen exports (raw kernels taking offsets into `memory`). */
  readonly kernels: Kernels;
  /** The kernels' linear memory, where tensors live. */
  readonly memory: WebAssembly.Memory;
  /** Which build runs: read from the instance itself, so a custom `source` reports truly. */
  readonly build: WasmBuild;
}

let loaded: LoadedWasm | undefined;
let loading: Promise<LoadedWasm> | undefined;

/**
 * Compiles and instantiates the kernels once per process (later calls wait for the same
 * instance). Without a source the `.wasm` of the chosen build comes from `env.wasm.wasmPaths`
 * when set, else from beside the package (Node reads the file; browsers fetch it). Pass
 * `{ url }`, bytes, a `WebAssembly.Module`, a URL or a `Response` to load from elsewhere, e.g.
 * `initWasm({ url: wasmUrl })` with `import wasmUrl from '@wattformer/backend-wasm/kernels.wasm?url'`
 * in Vite. `{ build }` picks the shipped build when no source is given: `'relaxed'`, `'simd128'`,
 * or `'auto'` (default: relaxed when the engine supports it; see wasm-build.ts).
 */
export async function initWasm(sourceOrOptions?: WasmSource | InitWasmOptions): Promise<void> {
  await initKernels(sourceOrOptions);
}

/** `initWasm()` returning the raw instance (kernels + memory + build), for `createWasmBackend`. */
export function initKernels(sourceOrOptions?: WasmSource | InitWasmOptions): Promise<LoadedWasm> {
  const options: InitWasmOptions = isInitOptions(sourceOrOptions) ? sourceOrOptions : { source: sourceOrOptions };
  const source = options.source ?? options.url;
  let build: WasmBuild | undefined;
  try {
    build = source === undefined ? chooseWasmBuild(options.build) : undefined;
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  if (loaded && build !== undefined && options.build !== undefined && options.build !== 'auto' && build !== loaded.build) {
    return Promise.reject(
      backendError(
        'E_ARGUMENT',
        'init',
        `build '${loaded.build}' (the one already loaded in this process)`,
        `build '${build}'`,
        'choose the build before the first initWasm() call, e.g. WATTFORMER_WASM_BUILD',
      ),
    );
  }
  loading ??= compileBuild(source, build, options.build).then((module) => {
    const exports = initSync({ module });
    loaded = { kernels, memory: exports.memory, build: kernels.relaxedSimdEnabled() ? 'relaxed' : 'simd128' };
    return loaded;
  });
  loading.catch(() => {
    loading = undefined; // let a later call retry with another source
  });
  return loading;
}

/** The given source, else the chosen build's file (from `env.wasm.wasmPaths` or beside the package); under 'auto' a relaxed file that fails to load falls back to simd128. */
function compileBuild(source: WasmSource | undefined, build: WasmBuild | undefined, requested: WasmBuild | 'auto' | undefined): Promise<WebAssembly.Module> {
  if (source !== undefined || build === undefined) return compileWasm(source);
  const compiled = compileWasm(undefined, build);
  return build === 'relaxed' && isAutoBuild(requested) ? compiled.catch(() => compileWasm(undefined, 'simd128')) : compiled;
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
