/**
 * Backend switching inside the worker. The wasm module is loaded from the URL Vite gives its
 * asset (so it is fingerprinted and served next to the bundle); WebGPU uses the worker's
 * `navigator.gpu`.
 */
import { setBackend } from '@wattformer/core';
import { initWasm } from '@wattformer/backend-wasm';
import { detectWebGpu } from '@wattformer/backend-webgpu';
import wasmUrl from '@wattformer/backend-wasm/kernels.wasm?url';
import { studioError } from '../errors';
import type { BackendChoice } from '../protocol';

export async function webGpuAvailability(): Promise<{ available: boolean; reason?: string; adapter?: string }> {
  try {
    const found = await detectWebGpu();
    if (!found.available) return { available: false, reason: found.reason ?? 'no adapter' };
    const { vendor, architecture, description } = found.adapter ?? { vendor: '', architecture: '', description: '' };
    return { available: true, adapter: [description, vendor, architecture].filter(Boolean).join(' · ') || 'unnamed adapter' };
  } catch (error) {
    return { available: false, reason: `requestAdapter() failed: ${(error as Error).message}` };
  }
}

export async function useBackend(choice: BackendChoice): Promise<void> {
  if (choice === 'wasm') {
    await initWasm(new URL(wasmUrl, self.location.href));
  } else if (choice !== 'webgpu') {
    throw studioError('useBackend', "'wasm' or 'webgpu'", JSON.stringify(choice));
  }
  await setBackend(choice);
}
