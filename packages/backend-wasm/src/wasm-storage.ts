import type { DType } from '@wattformer/core';
import { allocateElements } from './allocate';
import type { Kernels } from './wasm-module';

/** One tensor allocation in linear memory: byte offset, element count (4 bytes each), dtype. */
export interface WasmStorage {
  readonly ptr: number;
  readonly length: number;
  readonly dtype: DType;
}

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
    const ptr = allocateElements(this.kernels, this.memory, length, op, `a tensor of ${length} elements`);
    this.#bytes += length * 4;
    return { ptr, length, dtype };
  }

  free(storage: WasmStorage): void {
    this.kernels.freeF32(storage.ptr, storage.length);
    this.#bytes -= storage.length * 4;
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
