import { env } from './env';
import { backendError } from './errors';
import { localFileReader } from './local-file';
import { wasmBuildUrl, type WasmBuild } from './wasm-build';

/**
 * What `initWasm()` accepts for the kernels' `.wasm`: bytes, a compiled `WebAssembly.Module`,
 * a URL (or URL string), or a `Response` (or a promise of one, e.g. `fetch(url)`).
 */
export type WasmSource = BufferSource | WebAssembly.Module | URL | string | Response | Promise<Response>;

/** File name of the kernels inside the package (`wasm/kernels_bg.wasm`) and after bundling. */
export const WASM_FILE_NAME = 'kernels_bg.wasm';

const HELP_SETTING =
  "serve the package's kernels .wasm (`@wattformer/backend-wasm/kernels.wasm`) with your app and point at it: " +
  "`env.wasm.wasmPaths = '/assets/'` (the folder holding kernels_bg.wasm, or the file's URL) " +
  "or `initWasm({ url })`; see the backend-wasm README, section 'Bundlers'";

/**
 * URL of the `.wasm` shipped in the package (`wasm/kernels_bg.wasm`), resolved against this
 * module's URL. Vite, webpack 5 and Next.js see this `new URL(…, import.meta.url)` and emit the
 * file with the bundle; other bundlers need `env.wasm.wasmPaths`.
 */
export function defaultWasmUrl(): URL {
  return new URL('../wasm/kernels_bg.wasm', import.meta.url);
}

function pageBase(): string | undefined {
  const global = globalThis as { document?: { baseURI?: string }; location?: { href?: string } };
  return global.document?.baseURI ?? global.location?.href;
}

/** File name of each build's `.wasm`, in the package and after bundling. */
const BUILD_FILE_NAME: Record<WasmBuild, string> = { simd128: WASM_FILE_NAME, relaxed: 'kernels_relaxed_bg.wasm' };

/** The URL set by `env.wasm.wasmPaths`: a folder (the build's file name appended) or the `.wasm` itself. */
function urlFromWasmPaths(paths: string | URL, build: WasmBuild): URL {
  const text = String(paths);
  const base = pageBase();
  let url: URL;
  try {
    url = base === undefined ? new URL(text) : new URL(text, base);
  } catch {
    throw backendError('E_ARGUMENT', 'init', 'env.wasm.wasmPaths to be a URL (absolute, or relative to the page)', JSON.stringify(text), HELP_SETTING);
  }
  if (!url.pathname.endsWith('.wasm')) {
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    url = new URL(BUILD_FILE_NAME[build], url);
  }
  return url;
}

function defaultUrl(build: WasmBuild = 'simd128'): URL {
  try {
    return build === 'simd128' ? defaultWasmUrl() : wasmBuildUrl(build);
  } catch (error) {
    throw backendError(
      'E_ARGUMENT',
      'init',
      'the URL of the kernels .wasm (from import.meta.url)',
      `no usable module URL (${(error as Error).message}); the bundle is probably a classic script`,
      HELP_SETTING,
    );
  }
}

/** Where an argument-less `initWasm()` loads from, and which setting chose it. */
export function resolveWasmUrl(build: WasmBuild = 'simd128'): { url: URL; setting: string } {
  const paths = env.wasm.wasmPaths;
  if (paths !== undefined && paths !== '') return { url: urlFromWasmPaths(paths, build), setting: 'env.wasm.wasmPaths' };
  return { url: defaultUrl(build), setting: 'the default URL beside the package' };
}

/** Compiles the given source, or (none given) the `build`'s `.wasm` from `env.wasm.wasmPaths` or beside the package. */
export async function compileWasm(source: WasmSource | undefined, build: WasmBuild = 'simd128'): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source === undefined || typeof source === 'string' || source instanceof URL) {
    const { url, setting } = source === undefined ? resolveWasmUrl(build) : { url: new URL(source, pageBase() ?? defaultUrl()), setting: 'initWasm({ url })' };
    const read = localFileReader();
    if (url.protocol === 'file:' && read) return compileBytes(await read(url), url.href, setting);
    let response: Response;
    try {
      response = await fetch(url);
    } catch (error) {
      throw backendError('E_ARGUMENT', 'init', `the kernels .wasm at ${url.href} (${setting})`, `a failed fetch (${(error as Error).message})`, HELP_SETTING);
    }
    return compileResponse(response, setting);
  }
  if (source instanceof Response || source instanceof Promise) return compileResponse(await source, 'initWasm(response)');
  return compileBytes(source, 'the given bytes', 'initWasm(bytes)');
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

function compileBytes(bytes: BufferSource, where: string, setting: string): Promise<WebAssembly.Module> {
  const view = ArrayBuffer.isView(bytes)
    ? new Uint8Array(bytes.buffer, bytes.byteOffset, Math.min(4, bytes.byteLength))
    : new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
  if (view.length < 4 || WASM_MAGIC.some((byte, i) => view[i] !== byte)) {
    const head = Array.from(view, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
    throw backendError(
      'E_ARGUMENT',
      'init',
      `a WebAssembly binary (starting 00 61 73 6d) from ${where} (${setting})`,
      `${bytes.byteLength} bytes starting ${head || '(nothing)'}`,
      HELP_SETTING,
    );
  }
  return WebAssembly.compile(bytes);
}

async function compileResponse(response: Response, setting: string): Promise<WebAssembly.Module> {
  const where = response.url || 'the response';
  if (!response.ok) {
    throw backendError('E_ARGUMENT', 'init', `the kernels .wasm at ${where} (${setting})`, `HTTP ${response.status}`, HELP_SETTING);
  }
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type.startsWith('text/')) {
    // A dev server or SPA fallback answering with a page instead of the file.
    throw backendError('E_ARGUMENT', 'init', `the kernels .wasm at ${where} (${setting}) served as application/wasm`, `content-type ${type}`, HELP_SETTING);
  }
  return compileBytes(await response.arrayBuffer(), where, setting);
}
