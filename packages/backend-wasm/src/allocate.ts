import { backendError } from './errors';
import type { Kernels } from './wasm-module';

/** wasm32 addresses stop at 4 GiB; nothing larger can ever be allocated. */
export const WASM_MEMORY_LIMIT_BYTES = 2 ** 32;

export const formatBytes = (bytes: number): string =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/**
 * Allocates `length` 4-byte elements in linear memory and returns the byte offset. Refuses what
 * can never fit before asking Rust, and turns Rust's "no room" (offset 0) into E_OUT_OF_MEMORY.
 * `what` names the request in messages, e.g. `1024 f32`.
 */
export function allocateElements(kernels: Kernels, memory: WebAssembly.Memory, length: number, op: string, what: string): number {
  const bytes = length * 4;
  if (bytes >= WASM_MEMORY_LIMIT_BYTES) {
    throw backendError(
      'E_OUT_OF_MEMORY',
      op,
      `at most ${formatBytes(WASM_MEMORY_LIMIT_BYTES)} (the wasm32 address space)`,
      `${what} = ${formatBytes(bytes)}`,
      'use a smaller batch or model, or the webgpu backend',
    );
  }
  const ptr = kernels.allocF32(length) >>> 0;
  if (ptr === 0) {
    throw backendError(
      'E_OUT_OF_MEMORY',
      op,
      `room for ${formatBytes(bytes)} in WebAssembly memory`,
      `${formatBytes(memory.buffer.byteLength)} already in use of ${formatBytes(WASM_MEMORY_LIMIT_BYTES)}`,
      'free tensors you no longer need, or use a smaller batch',
    );
  }
  return ptr;
}
