import type { DType } from '@wattformer/core';
import { backendError } from './errors';
import { WASM_MEMORY_LIMIT_BYTES } from './f32-buffer';
import type { Kernels } from './wasm-module';

/** One tensor allocation in linear memory: byte offset, element count (4 bytes each), dtype. */
export interface WasmStorage {
  readonly ptr: number;
  readonly length: number;
  readonly dtype: DType;
}

const formatBytes = (bytes: number): string =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/**
 * Allocation, views and accounting over the kernels' memory. Views are re-made whenever
 * `memory.buffer` changes, because growth detaches every view of the old buffer.
 */
export class WasmHeap {
  #bytes = 0;
  #buffer: ArrayBuffer | undefined;
  #f32 = new Float32Array(0);
  #i32 = new Int32Array(0);

  constructor(
    readonly kernels: Kernels,
    readonly memory: WebAssembly.Memory,
  ) {}

  get bytesInUse(): number {
    return this.#bytes;
  }

  allocate(length: number, dtype: DType, op: string): WasmStorage {
    const bytes = length * 4;
    if (bytes >= WASM_MEMORY_LIMIT_BYTES) {
      throw backendError(
        'E_OUT_OF_MEMORY',
        op,
        `at most ${formatBytes(WASM_MEMORY_LIMIT_BYTES)} (the wasm32 address space)`,
        `a tensor of ${length} elements = ${formatBytes(bytes)}`,
        'use a smaller batch or model, or the webgpu backend',
      );
    }
    const ptr = this.kernels.allocF32(length) >>> 0;
    if (ptr === 0) {
      throw backendError(
        'E_OUT_OF_MEMORY',
        op,
        `room for ${formatBytes(bytes)} in WebAssembly memory`,
        `${formatBytes(this.memory.buffer.byteLength)} already in use of ${formatBytes(WASM_MEMORY_LIMIT_BYTES)}`,
        'use a smaller batch or model',
      );
    }
    this.#bytes += length > 0 ? bytes : 0;
    return { ptr, length, dtype };
  }

  free(storage: WasmStorage): void {
    this.kernels.freeF32(storage.ptr, storage.length);
    this.#bytes -= storage.length > 0 ? storage.length * 4 : 0;
  }

  #refresh(): void {
    if (this.#buffer !== this.memory.buffer) {
      this.#buffer = this.memory.buffer;
      this.#f32 = new Float32Array(this.#buffer);
      this.#i32 = new Int32Array(this.#buffer);
    }
  }

  /** A view of `size` elements of `storage`; valid until the next allocation. */
  view(storage: WasmStorage, size = storage.length): Float32Array | Int32Array {
    this.#refresh();
    const start = storage.ptr >>> 2;
    return storage.dtype === 'f32' ? this.#f32.subarray(start, start + size) : this.#i32.subarray(start, start + size);
  }

  /** The single f32 at `storage` (a [1] loss or dLoss). */
  scalar(storage: WasmStorage): number {
    this.#refresh();
    return this.#f32[storage.ptr >>> 2]!;
  }
}
