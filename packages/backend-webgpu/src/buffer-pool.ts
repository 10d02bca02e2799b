/// <reference types="@webgpu/types" />

const USAGE_STORAGE = 0x0080; // GPUBufferUsage.STORAGE
const USAGE_COPY_SRC = 0x0004;
const USAGE_COPY_DST = 0x0008;

/** Rounds a request to a bucket: 16-byte multiples (no zero-size bindings), powers of two above 64 KiB. */
export function bucketBytes(bytes: number): number {
  const atLeast = Math.max(16, Math.ceil(bytes / 16) * 16);
  return atLeast <= 65536 ? atLeast : 2 ** Math.ceil(Math.log2(atLeast));
}

/**
 * Storage buffers by bucket size. A freed buffer goes back to its bucket and the next request of
 * that bucket reuses it; the queue orders every write after earlier reads, so reuse is safe as
 * soon as `release` is called. Pooled bytes are not tensor bytes: `bytesInUse` never counts them.
 */
export class BufferPool {
  readonly #free = new Map<number, GPUBuffer[]>();
  #pooledBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly maxPooledBytes = 256 * 1024 * 1024,
  ) {}

  acquire(bytes: number): GPUBuffer {
    const size = bucketBytes(bytes);
    const reused = this.#free.get(size)?.pop();
    if (reused) {
      this.#pooledBytes -= size;
      return reused;
    }
    return this.device.createBuffer({ size, usage: USAGE_STORAGE | USAGE_COPY_SRC | USAGE_COPY_DST });
  }

  release(buffer: GPUBuffer): void {
    if (this.#pooledBytes + buffer.size > this.maxPooledBytes) {
      buffer.destroy();
      return;
    }
    const list = this.#free.get(buffer.size) ?? [];
    list.push(buffer);
    this.#free.set(buffer.size, list);
    this.#pooledBytes += buffer.size;
  }

  get pooledBytes(): number {
    return this.#pooledBytes;
  }

  clear(): void {
    for (const list of this.#free.values()) for (const buffer of list) buffer.destroy();
    this.#free.clear();
    this.#pooledBytes = 0;
  }
}
