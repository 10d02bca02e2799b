/** Settings read when the kernels' `.wasm` is loaded; see {@link env}. */
export interface WasmEnv {
  /** Where the WebAssembly kernels come from. */
  readonly wasm: {
    /**
     * Where the kernels' `.wasm` is served from after bundling, like onnxruntime-web's
     * `env.wasm.wasmPaths`: a folder URL (`'/assets/'`, `'https://cdn.example/wf/'`; the file
     * `kernels_bg.wasm` is appended, or `kernels_relaxed_bg.wasm` for the relaxed-SIMD build, which
     * falls back to the first when missing) or the URL of the file itself (ending in `.wasm`). Relative
     * URLs resolve against the page (`document.baseURI`). Unset: the file beside the package
     * (`new URL('../wasm/kernels_bg.wasm', import.meta.url)`), which Vite, webpack 5 and Next.js
     * rewrite on their own. Read by `initWasm()` and `setBackend('wasm')`; set it before either.
     */
    wasmPaths?: string | URL;
  };
}

const key = Symbol.for('wattformer.backend-wasm.env');
const holder = globalThis as { [key]?: WasmEnv };

/**
 * Global settings of the wasm backend, shared by the ESM and CJS builds in one process.
 *
 * @example
 * ```ts
 * import { env } from '@wattformer/backend-wasm';
 * env.wasm.wasmPaths = '/assets/'; // the app serves /assets/kernels_bg.wasm
 * ```
 */
export const env: WasmEnv = (holder[key] ??= { wasm: {} });
