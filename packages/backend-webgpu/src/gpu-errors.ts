import { WattformerError } from '@wattformer/core';

export const FALLBACK_HELP =
  "use setBackend('wasm'), or setBackend('auto') to take the best backend that starts; in Node install the npm 'webgpu' package and a Vulkan driver";

/** The error for a device that was lost (driver reset, `destroy()`, tab backgrounded too long). */
export function deviceLostError(op: string, reason: string): WattformerError {
  return new WattformerError('E_UNSUPPORTED', {
    packageName: 'backend-webgpu',
    op,
    expected: 'a live GPU device',
    got: `a lost device (${reason})`,
    help: `tensors on the lost device are gone: await setBackend('webgpu') again for a new device, or ${FALLBACK_HELP}`,
  });
}

/** The error for a runtime without WebGPU or without an adapter. */
export function noAdapterError(reason: string): WattformerError {
  return new WattformerError('E_UNSUPPORTED', {
    packageName: 'backend-webgpu',
    op: 'init',
    expected: 'a WebGPU adapter',
    got: reason,
    help: FALLBACK_HELP,
  });
}
