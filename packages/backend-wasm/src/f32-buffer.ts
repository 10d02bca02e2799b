import { allocateElements } from './allocate';
import { backendError } from './errors';
import { wasm } from './wasm-module';

const registry = new FinalizationRegistry<{ ptr: number; length: number }>(({ ptr, length }) => {
  wasm('free').kernels.freeF32(ptr, length);
});

/**
 * An f32 buffer resident in the kernels' linear memory, addressed by byte offset. Kernels take
 * offsets, so passing a buffer to a kernel copies nothing. `view()` is re-made on every call:
 * any allocation may grow memory, which detaches views over the old `ArrayBuffer`.
 * Freed by `free()`, or by the garbage collector when dropped.
 */
export class WasmF32Buffer {
  readonly ptr: number;
  readonly length: number;
  #freed = false;

  private constructor(ptr: number, length: number) {
    this.ptr = ptr;
    this.length = length;
    registry.register(this, { ptr, length }, this);
  }

  /** An uninitialised buffer of `length` f32 elements in WebAssembly memory (refused at 4 GiB or more). */
  static allocate(length: number): WasmF32Buffer {
    if (!Number.isInteger(length) || length < 0) {
      throw backendError('E_ARGUMENT', 'allocate', 'a non-negative integer length', String(length));
    }
    const { kernels, memory } = wasm('allocate');
    const ptr = allocateElements(kernels, memory, length, 'allocate', `${length} f32`);
    return new WasmF32Buffer(ptr, length);
  }

  /** A new buffer holding a copy of `data`. */
  static from(data: ArrayLike<number>): WasmF32Buffer {
    const buffer = WasmF32Buffer.allocate(data.length);
    buffer.view().set(data);
    return buffer;
  }

  get freed(): boolean {
    return this.#freed;
  }

  /** A fresh view over the current memory; do not keep it across allocations. */
  view(): Float32Array {
    if (this.#freed) {
      throw backendError('E_ARGUMENT', 'view', 'a live buffer', 'a freed buffer');
    }
    return new Float32Array(wasm('view').memory.buffer, this.ptr, this.length);
  }

  /** A copy of the contents, safe to keep. */
  toFloat32Array(): Float32Array {
    return this.view().slice();
  }

  /** Releases the buffer's memory now instead of at garbage collection; calling it twice is harmless. */
  free(): void {
    if (this.#freed) return;
    this.#freed = true;
    registry.unregister(this);
    wasm('free').kernels.freeF32(this.ptr, this.length);
  }
}
