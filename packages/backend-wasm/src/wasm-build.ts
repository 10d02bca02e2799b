import { backendError } from './errors';
import type { WasmSource } from './wasm-source';

/**
 * The two kernel builds the package ships: `simd128` (wasm/kernels_bg.wasm), which every engine
 * with WebAssembly SIMD runs, and `relaxed` (wasm/kernels_relaxed_bg.wasm), the same kernels
 * with relaxed-simd, whose multiply-adds are one `f32x4.relaxed_madd` (a fused multiply-add on
 * CPUs with FMA). Both export the same functions and drive the same JavaScript glue.
 */
export type WasmBuild = 'simd128' | 'relaxed';

const BUILDS: readonly WasmBuild[] = ['simd128', 'relaxed'];

/** What `initWasm()` accepts besides a bare source. */
export interface InitWasmOptions {
  /** Where the `.wasm` comes from; default: the file of the chosen build shipped in the package. */
  readonly source?: WasmSource;
  /**
   * URL of the kernels' `.wasm` (relative URLs resolve against the page). Overrides
   * `env.wasm.wasmPaths` for this call; same as `source` given as a URL.
   */
  readonly url?: string | URL;
  /**
   * Which build to load when no `source` is given: `'auto'` (default) picks `relaxed` when the
   * engine validates a relaxed-SIMD probe, else `simd128` (and falls back to `simd128` when the
   * relaxed file cannot be loaded, e.g. an app that copied only kernels_bg.wasm). The variable
   * `WATTFORMER_WASM_BUILD=simd128|relaxed|auto` sets the default in Node.
   */
  readonly build?: WasmBuild | 'auto';
}

/**
 * A 44-byte module: one function `(v128, v128, v128) -> v128` whose body is
 * `f32x4.relaxed_madd` (opcode 0xfd 0x105). An engine without relaxed SIMD refuses it.
 */
export const RELAXED_SIMD_PROBE = Uint8Array.of(
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // magic, version 1
  0x01,
  0x08,
  0x01,
  0x60,
  0x03,
  0x7b,
  0x7b,
  0x7b,
  0x01,
  0x7b, // type: (v128 v128 v128) -> v128
  0x03,
  0x02,
  0x01,
  0x00, // function 0 has type 0
  0x0a,
  0x0d,
  0x01,
  0x0b,
  0x00, // code: one body of 11 bytes, no locals
  0x20,
  0x00,
  0x20,
  0x01,
  0x20,
  0x02, // local.get 0, 1, 2
  0xfd,
  0x85,
  0x02, // f32x4.relaxed_madd
  0x0b, // end
);

let relaxedSupport: boolean | undefined;

/** Whether this engine runs relaxed SIMD (checked once by validating {@link RELAXED_SIMD_PROBE}). */
export function relaxedSimdSupported(): boolean {
  relaxedSupport ??= WebAssembly.validate(RELAXED_SIMD_PROBE);
  return relaxedSupport;
}

function environmentBuild(): string | undefined {
  const value = typeof process === 'undefined' ? undefined : process.env?.WATTFORMER_WASM_BUILD;
  return value === '' ? undefined : value;
}

/**
 * The build to load: the `requested` one (`initWasm({ build })`), else `WATTFORMER_WASM_BUILD`,
 * else auto-detection. Asking for `relaxed` on an engine without relaxed SIMD is an error rather
 * than a silent fallback, so a test run that names a build really runs it.
 */
export function chooseWasmBuild(requested?: WasmBuild | 'auto'): WasmBuild {
  const fromEnv = requested === undefined ? environmentBuild() : undefined;
  const wanted = requested ?? fromEnv ?? 'auto';
  const op = 'init';
  if (wanted !== 'auto' && !BUILDS.includes(wanted as WasmBuild)) {
    throw backendError(
      'E_ARGUMENT',
      op,
      `build 'simd128', 'relaxed' or 'auto'${fromEnv === undefined ? '' : ' in WATTFORMER_WASM_BUILD'}`,
      JSON.stringify(wanted).slice(0, 40),
      fromEnv === undefined ? "pass initWasm({ build: 'relaxed' }) or leave build out" : 'unset WATTFORMER_WASM_BUILD or set it to simd128, relaxed or auto',
    );
  }
  if (wanted === 'auto') return relaxedSimdSupported() ? 'relaxed' : 'simd128';
  if (wanted === 'relaxed' && !relaxedSimdSupported()) {
    throw backendError(
      'E_UNSUPPORTED',
      op,
      'an engine with WebAssembly relaxed SIMD for the relaxed build',
      'an engine that refuses the relaxed-SIMD probe',
      "use build 'simd128' or 'auto' (Node >= 22 and current Chromium have relaxed SIMD)",
    );
  }
  return wanted as WasmBuild;
}

/** Whether the build is left to detection (no `build` option and no WATTFORMER_WASM_BUILD, or 'auto'). */
export function isAutoBuild(requested?: WasmBuild | 'auto'): boolean {
  return (requested ?? environmentBuild() ?? 'auto') === 'auto';
}

/** URL of a build's `.wasm` shipped in the package. */
export function wasmBuildUrl(build: WasmBuild): URL {
  return build === 'relaxed' ? new URL('../wasm/kernels_relaxed_bg.wasm', import.meta.url) : new URL('../wasm/kernels_bg.wasm', import.meta.url);
}

/** Tells `initWasm(options)` from `initWasm(source)`: a plain object that is no source. */
export function isInitOptions(value: WasmSource | InitWasmOptions | undefined): value is InitWasmOptions {
  if (value === undefined || value === null || typeof value !== 'object') return false;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof WebAssembly.Module) return false;
  if (value instanceof URL || value instanceof Promise) return false;
  if (typeof Response !== 'undefined' && value instanceof Response) return false;
  if (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer) return false;
  return true;
}
