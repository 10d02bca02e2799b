/// <reference types="@webgpu/types" />
import type { DType, TypedArray } from '@wattformer/core';
import { WattformerError } from '@wattformer/core';
import { BufferPool } from './buffer-pool';
import { deviceLostError } from './gpu-errors';
import { PipelineCache, type Access } from './pipelines';

/** One tensor allocation on the GPU: a pooled buffer (maybe larger) and the bytes the tensor owns. */
export interface WebGpuStorage {
  readonly buffer: GPUBuffer;
  readonly bytes: number;
  /** Host copy of an uploaded i32 tensor, for synchronous index checks (index-checks.ts). */
  readonly hostValues?: Int32Array;
}

export interface Binding {
  readonly buffer: GPUBuffer;
  readonly access: Access;
}

const WORKGROUP = 64;
const MAX_GROUPS = 65535;
const PARAMS_BYTES = 4096;
/** Dispatches per submitted command buffer. */
const BATCH = 256;
const USAGE_MAP_READ = 0x0001;
const USAGE_COPY_SRC = 0x0004;
/** Host bytes staged for copies in the open encoder before it is submitted regardless of BATCH. */
const MAX_STAGED_BYTES = 64 * 1024 * 1024;
const USAGE_COPY_DST = 0x0008;
const USAGE_STORAGE = 0x0080;
const MAP_MODE_READ = 0x0001;

const bits = new DataView(new ArrayBuffer(4));
/** The u32 bit pattern of an f32, for the params array every kernel reads. */
export function f32Bits(value: number): number {
  bits.setFloat32(0, value, true);
  return bits.getUint32(0, true);
}

/** Workgroups for `threads` one-dimensional invocations of 64; y spills past the 65,535 limit. */
export function groupsFor(threads: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(threads / WORKGROUP));
  return groups <= MAX_GROUPS ? [groups, 1, 1] : [MAX_GROUPS, Math.ceil(groups / MAX_GROUPS), 1];
}

/**
 * The device side of the backend: allocation with exact tensor-byte accounting, a buffer pool,
 * cached pipelines, and dispatches recorded into one open command encoder (compute passes;
 * WebGPU orders and synchronises dispatches within a pass) that is submitted in batches of 256
 * dispatches or when a read needs it. Each dispatch gets its own small params buffer, written
 * before the batch is submitted and recycled after. Host data (`upload`, `scratchFrom`) goes
 * through a mapped-at-creation staging buffer and a copy recorded in the same encoder, between
 * passes: a queue write would run before the unsubmitted dispatches, which may still read the
 * (pooled, reused) target buffer, and flushing before each upload cost a submit each. A read
 * records its copy-out in the same encoder too, so a training step is one submit.
 */
export class GpuRuntime {
  readonly pool: BufferPool;
  readonly pipelines: PipelineCache;
  readonly #freeParams = new Map<number, GPUBuffer[]>();
  #batchParams: GPUBuffer[] = [];
  /** Staging buffers of copies recorded in the open encoder; destroyed once it is submitted. */
  #staging: GPUBuffer[] = [];
  #stagedBytes = 0;
  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  #batched = 0;
  #dispatches = 0;
  #submits = 0;
  /** A 16-byte buffer bound where a kernel's optional input is absent. */
  readonly placeholder: GPUBuffer;
  #tensorBytes = 0;
  #lost: string | null = null;
  #firstError: string | null = null;

  constructor(readonly device: GPUDevice) {
    this.pool = new BufferPool(device);
    this.pipelines = new PipelineCache(device);
    this.placeholder = device.createBuffer({ size: 16, usage: USAGE_STORAGE });
    void device.lost.then((info) => {
      this.#lost = info.message || info.reason || 'unknown reason';
    });
    device.addEventListener('uncapturederror', (event) => {
      this.#firstError ??= (event as GPUUncapturedErrorEvent).error.message;
    });
  }

  get tensorBytes(): number {
    return this.#tensorBytes;
  }

  /** Compute dispatches recorded since the device was made (every kernel launch counts once). */
  get dispatches(): number {
    return this.#dispatches;
  }

  /** Command buffers submitted since the device was made (dispatch batches, uploads' flushes, reads' copies). */
  get submits(): number {
    return this.#submits;
  }

  check(op: string): void {
    if (this.#lost !== null) throw deviceLostError(op, this.#lost);
  }

  /** A fresh output of `elements` 4-byte elements; contents undefined until a kernel writes them. */
  allocate(elements: number, op: string): WebGpuStorage {
    this.check(op);
    const bytes = elements * 4;
    this.#tensorBytes += bytes;
    return { buffer: this.pool.acquire(bytes), bytes };
  }

  free(storage: WebGpuStorage): void {
    this.#tensorBytes -= storage.bytes;
    if (this.#lost === null) this.pool.release(storage.buffer);
  }

  /** Scratch for one kernel: not a tensor, so not counted; release with `pool.release`. */
  scratch(elements: number): GPUBuffer {
    return this.pool.acquire(elements * 4);
  }

  /** Scratch filled from the host; a queue write, so the pending batch is submitted first. */
  scratchFrom(values: Int32Array): GPUBuffer {
    const buffer = this.pool.acquire(values.byteLength);
    this.#copyIn(buffer, values);
    return buffer;
  }

  /**
   * Copies `data` (a multiple of 4 bytes) to the start of `target` in command order: through a
   * staging buffer and a copy recorded in the open encoder between compute passes, so kernels
   * recorded earlier that read `target` (a reused pooled buffer) still see its old contents.
   */
  #copyIn(target: GPUBuffer, data: ArrayBufferView): void {
    const bytes = data.byteLength;
    if (bytes === 0) return;
    const staging = this.device.createBuffer({ size: bytes, usage: USAGE_COPY_SRC, mappedAtCreation: true });
    new Uint8Array(staging.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, bytes));
    staging.unmap();
    this.#endPass();
    this.#encoder ??= this.device.createCommandEncoder();
    this.#encoder.copyBufferToBuffer(staging, 0, target, 0, bytes);
    this.#staging.push(staging);
    this.#stagedBytes += bytes;
    if (this.#stagedBytes > MAX_STAGED_BYTES) this.flush();
  }

  #endPass(): void {
    this.#pass?.end();
    this.#pass = null;
  }

  upload(values: TypedArray, dtype: DType, op: string): WebGpuStorage {
    const storage = this.allocate(values.length, op);
    const typed = dtype === 'f32' ? Float32Array.from(values) : Int32Array.from(values);
    this.#copyIn(storage.buffer, typed);
    return typed instanceof Int32Array ? { ...storage, hostValues: typed } : storage;
  }

  dispatch(code: string, entryPoint: string, bindings: readonly Binding[], words: readonly number[], groups: readonly [number, number, number]): void {
    if (words.length * 4 > PARAMS_BYTES) {
      throw new WattformerError('E_UNSUPPORTED', {
        packageName: 'backend-webgpu',
        op: entryPoint,
        expected: `at most ${PARAMS_BYTES / 4} parameter words`,
        got: String(words.length),
        help: 'reshape to fewer dimensions',
      });
    }
    const access = [...bindings.map((b) => b.access), 'read' as const];
    const { pipeline, layout } = this.pipelines.get(code, entryPoint, access);
    const params = this.#paramsBuffer(words);
    const buffers = [...bindings.map((b) => b.buffer), params];
    const bindGroup = this.device.createBindGroup({
      layout,
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    this.#encoder ??= this.device.createCommandEncoder();
    this.#pass ??= this.#encoder.beginComputePass();
    this.#pass.setPipeline(pipeline);
    this.#pass.setBindGroup(0, bindGroup);
    this.#pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    this.#dispatches++;
    if (++this.#batched >= BATCH) this.flush();
  }

  /** A params buffer holding `words`, private to one dispatch until its batch is submitted. */
  #paramsBuffer(words: readonly number[]): GPUBuffer {
    const size = Math.max(16, Math.ceil((words.length * 4) / 64) * 64);
    const buffer = this.#freeParams.get(size)?.pop() ?? this.device.createBuffer({ size, usage: USAGE_STORAGE | USAGE_COPY_DST });
    if (words.length > 0) this.device.queue.writeBuffer(buffer, 0, Uint32Array.from(words));
    this.#batchParams.push(buffer);
    return buffer;
  }

  /** Submits the recorded dispatches; their params buffers may then be rewritten (queue order). */
  flush(): void {
    if (this.#encoder === null) return;
    this.#endPass();
    this.device.queue.submit([this.#encoder.finish()]);
    this.#submits++;
    this.#encoder = null;
    this.#batched = 0;
    // Destroying after submit is safe: the submitted copies keep their sources until they run.
    for (const staging of this.#staging) staging.destroy();
    this.#staging = [];
    this.#stagedBytes = 0;
    for (const buffer of this.#batchParams) {
      const list = this.#freeParams.get(buffer.size) ?? [];
      list.push(buffer);
      this.#freeParams.set(buffer.size, list);
    }
    this.#batchParams = [];
  }

  /** One invocation per element of [threads], 64 to a workgroup. */
  dispatch1d(code: string, entryPoint: string, bindings: readonly Binding[], params: readonly number[], threads: number): void {
    if (threads > 0) this.dispatch(code, entryPoint, bindings, params, groupsFor(threads));
  }

  async read(storage: WebGpuStorage, dtype: DType, size: number): Promise<TypedArray> {
    this.check('read');
    const bytes = size * 4;
    const result = dtype === 'f32' ? new Float32Array(size) : new Int32Array(size);
    if (size === 0) return result;
    const staging = this.device.createBuffer({ size: Math.ceil(bytes / 16) * 16, usage: USAGE_MAP_READ | USAGE_COPY_DST });
    // The copy-out joins the recorded kernels: one submit for the work and the read.
    this.#endPass();
    this.#encoder ??= this.device.createCommandEncoder();
    this.#encoder.copyBufferToBuffer(storage.buffer, 0, staging, 0, bytes);
    this.flush();
    try {
      await staging.mapAsync(MAP_MODE_READ, 0, bytes);
      new Uint8Array(result.buffer).set(new Uint8Array(staging.getMappedRange(0, bytes)));
      staging.unmap();
    } catch (error) {
      if (this.#lost !== null) throw deviceLostError('read', this.#lost);
      throw error;
    } finally {
      staging.destroy();
    }
    if (this.#firstError !== null) {
      const message = this.#firstError;
      this.#firstError = null;
      throw new WattformerError('E_UNSUPPORTED', {
        packageName: 'backend-webgpu',
        op: 'read',
        expected: 'kernels without GPU validation errors',
        got: message,
        help: 'this is a bug in backend-webgpu; please report it with the op and shapes',
      });
    }
    return result;
  }

  destroy(): void {
    this.flush();
    this.pool.clear();
    for (const list of this.#freeParams.values()) for (const buffer of list) buffer.destroy();
    this.#freeParams.clear();
    this.placeholder.destroy();
    this.device.destroy();
  }
}
