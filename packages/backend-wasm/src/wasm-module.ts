import { initSync } from '../wasm/kernels.js';
import * as kernels from '../wasm/kernels.js';
import { backendError } from './errors';
import { chooseWasmBuild, isAutoBuild, isInitOptions, wasmBuildUrl, type InitWasmOptions, type WasmBuild } from './wasm-build';
import { compileWasm, type WasmSource } from './wasm-source';

export type Kernels = typeof kernels;

interface Loaded {
  readonly kernels: Kernels;
  readonly memory: WebAssembly.Memory;
  /** Which build runs: read from the instance itself, so a custom `source` reports truly. */
  readonly build: WasmBuild;
}

let loaded: Loaded | undefined;
let loading: Promise<Loaded> | undefined;

/**
 * Compiles and instantiates the kernels once per process (later calls return the same
 * instance). Pass bytes, a `WebAssembly.Module`, a URL or a `Response` to load from
 * elsewhere, e.g. a CDN or `import wasmUrl from '@wattformer/backend-wasm/kernels.wasm?url'`.
 * Or pass `{ source?, build? }`: without a source, `build` picks the shipped `.wasm`
 * (`'relaxed'`, `'simd128'`, or `'auto'`: relaxed when the engine supports it; wasm-build.ts).
 */
export function initWasm(sourceOrOptions?: WasmSource | InitWasmOptions): Promise<Loaded> {
  const options: InitWasmOptions = isInitOptions(sourceOrOptions) ? sourceOrOptions : { source: sourceOrOptions };
  let build: WasmBuild | undefined;
  try {
    build = options.source === undefined ? chooseWasmBuild(options.build) : undefined;
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  if (loaded && build !== undefined && options.build !== undefined && options.build !== 'auto' && build !== loaded.build) {
    return Promise.reject(
      backendError('E_ARGUMENT', 'init', `build '${loaded.build}' (the one already loaded in this process)`, `build '${build}'`, 'choose the build before the first initWasm() call, e.g. WATTFORMER_WASM_BUILD'),
    );
  }
  loading ??= compileBuild(options, build).then((module) => {
    const exports = initSync({ module });
    loaded = { kernels, memory: exports.memory, build: kernels.relaxedSimdEnabled() ? 'relaxed' : 'simd128' };
    return loaded;
  });
  loading.catch(() => {
    loading = undefined; // let a later call retry with another source
  });
  return loading;
}

/** The given source, else the chosen build's file; under 'auto' a relaxed file that fails to load falls back to simd128. */
function compileBuild(options: InitWasmOptions, build: WasmBuild | undefined): Promise<WebAssembly.Module> {
  if (options.source !== undefined || build === undefined) return compileWasm(options.source);
  const compiled = compileWasm(wasmBuildUrl(build));
  return build === 'relaxed' && isAutoBuild(options.build) ? compiled.catch(() => compileWasm(wasmBuildUrl('simd128'))) : compiled;
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
