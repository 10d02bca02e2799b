import { backendError } from './errors';

/**
 * Where the kernels' `.wasm` comes from when `initWasm()` is called without a source:
 * Node reads the file beside the package with `fs` (Node 20's fetch cannot read `file:`);
 * browsers fetch the same file relative to this module's URL. No bundler is needed.
 */
export type WasmSource =
  | BufferSource
  | WebAssembly.Module
  | URL
  | string
  | Response
  | Promise<Response>;

/** URL of the `.wasm` shipped in the package (`wasm/kernels_bg.wasm`). */
export function defaultWasmUrl(): URL {
  return new URL('../wasm/kernels_bg.wasm', import.meta.url);
}

const isNode = (): boolean =>
  typeof process !== 'undefined' && typeof process.versions?.node === 'string';

export async function compileWasm(source: WasmSource | undefined): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source === undefined || typeof source === 'string' || source instanceof URL) {
    const url = source === undefined ? defaultWasmUrl() : new URL(source, defaultWasmUrl());
    if (url.protocol === 'file:' && isNode()) {
      const [{ readFile }, { fileURLToPath }] = await Promise.all([import('node:fs/promises'), import('node:url')]);
      return WebAssembly.compile(await readFile(fileURLToPath(url)));
    }
    return compileResponse(fetch(url));
  }
  if (source instanceof Response || source instanceof Promise) return compileResponse(source);
  return WebAssembly.compile(source);
}

async function compileResponse(pending: Response | Promise<Response>): Promise<WebAssembly.Module> {
  const response = await pending;
  if (!response.ok) {
    throw backendError('E_ARGUMENT', 'init', 'the kernels .wasm', `HTTP ${response.status} for ${response.url}`);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}
