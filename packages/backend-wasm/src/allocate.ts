import { backendError } from './errors';
import type { Kernels } from './wasm-module';

/** wasm32 addresses stop at 4 GiB: all tensors together live below it. */
export const WASM_MEMORY_LIMIT_BYTES = 2 ** 32;

/**
 * The largest single allocation: Rust (the kernels' allocator) refuses any `Layout` over
 * `isize::MAX`, which on wasm32 is 2^31 − 1 bytes; at the 16-byte alignment tensors use that is
 * 2^31 − 16. Measured on Node 20: 2^31 − 16 bytes allocates, 2^31 is refused (and two
 * allocations of 2 GiB − 16 B and 1.5 GiB together fit, so the 4 GiB total is real).
 */
export const WASM_MAX_ALLOCATION_BYTES = 2 ** 31 - 16;

/** Bytes for a message; a rounded figure that is not exact carries the exact count. */
export const formatBytes = (bytes: number): string => {
  const unit = bytes >= 2 ** 30 ? 2 ** 30 : 2 ** 20;
  const rounded = `${(bytes / unit).toFixed(unit === 2 ** 30 ? 2 : 1)} ${unit === 2 ** 30 ? 'GiB' : 'MiB'}`;
  return bytes % unit === 0 ? rounded : `${rounded} (${bytes} B)`;
};

/**
 * Allocates `length` 4-byte elements in linear memory and returns the byte offset. Refuses what
 * can never fit before asking Rust, and turns Rust's "no room" (offset 0) into E_OUT_OF_MEMORY.
 * `what` names the request in messages, e.g. `1024 f32`.
 */
export function allocateElements(kernels: Kernels, memory: WebAssembly.Memory, length: number, op: string, what: string): number {
  const bytes = length * 4;
  if (bytes > WASM_MAX_ALLOCATION_BYTES) {
    throw backendError(
      'E_OUT_OF_MEMORY',
      op,
      `at most ${formatBytes(WASM_MAX_ALLOCATION_BYTES)} in one allocation (wasm32 caps one allocation at isize::MAX = 2^31 − 1 bytes; all tensors together may use up to 4 GiB)`,
      `${what} = ${formatBytes(bytes)}`,
      'split the tensor (a smaller batch, sequence or vocabulary), or use the webgpu backend',
    );
  }
  const ptr = kernels.allocF32(length) >>> 0;
  if (ptr === 0) {
    throw backendError(
      'E_OUT_OF_MEMORY',
      op,
      `room for ${formatBytes(bytes)} more in WebAssembly memory (at most ${formatBytes(WASM_MEMORY_LIMIT_BYTES)} in all)`,
      `memory already grown to ${formatBytes(memory.buffer.byteLength)}, with no free block that large`,
      'free tensors you no longer need, or use a smaller batch',
    );
  }
  return ptr;
}
