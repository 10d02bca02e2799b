import { getBackendName, setBackend } from '@wattformer/core';
import { cliError } from './errors';

/** The CLI's `--backend` choices; `auto` picks webgpu, then wasm, then cpu (core's `setBackend('auto')`). */
export const CLI_BACKENDS = ['wasm', 'cpu', 'webgpu', 'auto'] as const;

/** Optional packages: the CLI depends on backend-wasm; WebGPU needs `@wattformer/backend-webgpu` and, in Node, `webgpu`. */
const WEBGPU_MODULE = '@wattformer/backend-webgpu';

/**
 * Registers the backends a CLI command may use and makes `name` active. Returns the real backend
 * name (what `auto` chose). `webgpu` without its package installed is a clear error; `auto`
 * then falls back to wasm and says so.
 */
export async function useCliBackend(name: string, _op: string, log: (line: string) => void): Promise<string> {
  if (!(CLI_BACKENDS as readonly string[]).includes(name)) {
    throw cliError(
      'E_UNKNOWN_CHOICE',
      '--backend',
      `one of ${CLI_BACKENDS.join(', ')}`,
      `'${name}'`,
      'e.g. --backend wasm, or auto (webgpu when available, else wasm)',
    );
  }
  await import('@wattformer/backend-wasm'); // registers 'wasm'
  if (name === 'webgpu' || name === 'auto') {
    const moduleName: string = WEBGPU_MODULE; // a variable: the package is optional, not a build dependency
    try {
      await import(moduleName);
    } catch (error) {
      if (name === 'webgpu') {
        throw cliError(
          'E_ARGUMENT',
          '--backend',
          `the optional package ${WEBGPU_MODULE} for --backend webgpu`,
          `an import error: ${(error as Error).message.split('\n')[0]}`,
          `npm install ${WEBGPU_MODULE} webgpu, or use --backend wasm or --backend auto`,
        );
      }
    }
  }
  await setBackend(name, { log });
  return getBackendName();
}
