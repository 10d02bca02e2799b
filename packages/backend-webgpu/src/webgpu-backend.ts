/// <reference types="@webgpu/types" />
import type { Backend, DType } from '@wattformer/core';
import { unknownChoiceError, WattformerError } from '@wattformer/core';
import { checkIndices } from './index-checks';
import { groupByIndex } from './scatter-groups';
import { createFusedKernels } from './webgpu-fused';
import { GpuRuntime, f32Bits, groupsFor, type WebGpuStorage } from './gpu-runtime';
import { binaryShader, castShader, FILL, RANDOM_UNIFORM, unaryShader } from './kernels/elementwise';
import { matmulGroups, matmulShader, matmulVariant, type MatmulVariant } from './kernels/matmul';
import { COPY_STRIDED, GATHER, PAD, SCATTER_ADD, SCATTER_ADD_GROUPED } from './kernels/movement';
import { reduceShader, WIDE_REDUCE, wideReduceShader } from './kernels/reduce';

export type { WebGpuStorage } from './gpu-runtime';

/**
 * Half precision: `'auto'` runs matmul with f16 tiles and f32 accumulation (see `matmulShader`)
 * when the device has the `shader-f16` feature; `'off'` (the default) keeps every kernel f32.
 */
export type WebGpuF16 = 'auto' | 'off';

/**
 * Options of `createWebGpuBackend`: f16 matmul inputs, the batch split per dispatch and a hook run on `dispose()`.
 */
export interface WebGpuBackendOptions {
  /** Called by `dispose()` after the device is destroyed, e.g. to drop Node's `create()` object. */
  readonly onDispose?: () => void;
  /** Default `'off'`: f16 rounds matmul inputs to 11 significant bits and overflows past ±65,504. */
  readonly f16?: WebGpuF16;
  /**
   * Matmul batches per dispatch (workgroup z); default and cap: the device's
   * `maxComputeWorkgroupsPerDimension`. Tests lower it to reach the split path with small shapes.
   */
  readonly maxBatchPerDispatch?: number;
}

/** Refuses an `f16` option other than `'auto'` or `'off'` (before any device is requested). */
export function checkF16Option(value: unknown, op: string): void {
  if (value !== undefined && value !== 'auto' && value !== 'off') throw unknownChoiceError('backend-webgpu', op, 'f16', String(value), ['auto', 'off']);
}

/** What a backend made by `createWebGpuBackend` runs with. */
export interface WebGpuBackendInfo {
  /** Whether matmul runs the f16 variant (asked for with `f16: 'auto'` and the device has `shader-f16`). */
  readonly f16: boolean;
  /** The device's features, sorted (e.g. `shader-f16`, `subgroups`). */
  readonly features: readonly string[];
}

/** What the device holds beyond tensor bytes: pooled free buffers and cached pipelines. */
export interface WebGpuMemoryInfo {
  readonly tensorBytes: number;
  readonly pooledBytes: number;
  readonly pipelines: number;
}

/** Work a backend made by `createWebGpuBackend` has sent to its device, counted since it was made. */
export interface WebGpuCounters {
  /** Compute dispatches (one per kernel launch; a matmul past 65,535 batches counts several). */
  readonly dispatches: number;
  /** Command buffers submitted to the queue. */
  readonly submits: number;
}

const runtimes = new WeakMap<object, GpuRuntime>();
const infos = new WeakMap<object, WebGpuBackendInfo>();

/** Whether a backend made by `createWebGpuBackend` uses f16, and its device's features. */
export function webGpuInfo(backend: Backend): WebGpuBackendInfo {
  const info = infos.get(backend);
  if (!info) {
    throw new WattformerError('E_ARGUMENT', {
      packageName: 'backend-webgpu',
      op: 'webGpuInfo',
      expected: "a backend made by createWebGpuBackend or setBackend('webgpu')",
      got: `a '${backend.name}' backend`,
    });
  }
  return info;
}

/**
 * Dispatches and submits so far: take the difference around a training step to count its
 * dispatches (the webgpu bench reports it per step).
 */
export function webGpuCounters(backend: Backend): WebGpuCounters {
  const gpu = runtimes.get(backend);
  if (!gpu) {
    throw new WattformerError('E_ARGUMENT', {
      packageName: 'backend-webgpu',
      op: 'webGpuCounters',
      expected: "a backend made by createWebGpuBackend or setBackend('webgpu')",
      got: `a '${backend.name}' backend`,
    });
  }
  return { dispatches: gpu.dispatches, submits: gpu.submits };
}

/** Device-side memory of a backend made by `createWebGpuBackend`, for leak tests and debugging. */
export function webGpuMemory(backend: Backend<WebGpuStorage>): WebGpuMemoryInfo {
  const gpu = runtimes.get(backend);
  if (!gpu) return { tensorBytes: backend.bytesInUse(), pooledBytes: 0, pipelines: 0 };
  return { tensorBytes: gpu.tensorBytes, pooledBytes: gpu.pool.pooledBytes, pipelines: gpu.pipelines.size };
}

/**
 * Resolves with the reason once the device of a backend made by `createWebGpuBackend` is lost
 * (`destroy()`, `dispose()`, a driver reset); never resolves for other backends.
 */
export function whenDeviceLost(backend: Backend): Promise<string> {
  const gpu = runtimes.get(backend);
  return gpu ? gpu.device.lost.then((info) => info.message || info.reason || 'unknown reason') : new Promise(() => undefined);
}

/** The GPUDevice under a backend made by `createWebGpuBackend`, or undefined for others. */
export function webGpuDevice(backend: Backend): GPUDevice | undefined {
  return runtimes.get(backend)?.device;
}

const fillBits = (value: number, dtype: DType): number => (dtype === 'f32' ? f32Bits(value) : (value | 0) >>> 0);

/**
 * The WebGPU backend on a device you already have: every kernel enqueues WGSL compute work and
 * returns its output buffer at once; only `read` waits for the GPU. There is no `readSync`.
 */
export function createWebGpuBackend(device: GPUDevice, options: WebGpuBackendOptions = {}): Backend<WebGpuStorage> {
  checkF16Option(options.f16, 'createWebGpuBackend');
  const maxBatch = Math.min(device.limits.maxComputeWorkgroupsPerDimension, options.maxBatchPerDispatch ?? Infinity);
  if (!(Number.isInteger(maxBatch) && maxBatch >= 1)) {
    throw new WattformerError('E_ARGUMENT', {
      packageName: 'backend-webgpu',
      op: 'createWebGpuBackend',
      expected: 'maxBatchPerDispatch to be a positive integer',
      got: String(options.maxBatchPerDispatch),
    });
  }
  const f16 = options.f16 === 'auto' && device.features.has('shader-f16');
  const matmulCodes = new Map<string, string>();
  const matmulCode = (variant: MatmulVariant): string => {
    const key = JSON.stringify(variant);
    let code = matmulCodes.get(key);
    if (code === undefined) {
      code = matmulShader(variant);
      matmulCodes.set(key, code);
    }
    return code;
  };
  const gpu = new GpuRuntime(device);
  const read = (buffer: GPUBuffer) => ({ buffer, access: 'read' as const });
  const write = (buffer: GPUBuffer) => ({ buffer, access: 'write' as const });
  /** Allocates the output, runs a one-dimensional kernel over `threads`, returns the output. */
  const run1d = (op: string, code: string, inputs: readonly WebGpuStorage[], elements: number, rest: readonly number[], threads = elements): WebGpuStorage => {
    const out = gpu.allocate(elements, op);
    gpu.dispatch1d(code, 'main', [...inputs.map((s) => read(s.buffer)), write(out.buffer)], [threads, ...rest], threads);
    return out;
  };

  const backend: Backend<WebGpuStorage> = {
    name: 'webgpu',
    maxBufferBytes: Math.min(device.limits.maxBufferSize, device.limits.maxStorageBufferBindingSize),
    upload: (values, dtype) => gpu.upload(values, dtype, 'upload'),
    read: (storage, dtype, size) => gpu.read(storage, dtype, size),
    free: (storage) => gpu.free(storage),
    bytesInUse: () => gpu.tensorBytes,

    fill: (size, value, dtype) => run1d('fill', FILL, [], size, [fillBits(value, dtype)]),
    unary: (op, x, size, dtype) => run1d(op, unaryShader(op, dtype), [x], size, []),
    binary: (op, a, b, plan, dtype) =>
      run1d(op, binaryShader(op, dtype), [a, b], plan.size, [plan.outShape.length, ...plan.outShape, ...plan.aStrides, ...plan.bStrides]),
    matmul: (a, b, d) => {
      const out = gpu.allocate(d.batch * d.m * d.n, 'matmul');
      if (d.batch * d.m * d.n > 0) {
        const variant = matmulVariant(d, f16);
        const code = matmulCode(variant);
        for (let first = 0; first < d.batch; first += maxBatch) {
          gpu.dispatch(
            code,
            'main',
            [read(a.buffer), read(b.buffer), write(out.buffer)],
            [d.m, d.n, d.k, first],
            matmulGroups(variant.tile, d, Math.min(maxBatch, d.batch - first)),
          );
        }
      }
      return out;
    },
    reduce: (op, x, plan, dtype) => {
      const outputs = plan.outer * plan.inner;
      if (plan.size < WIDE_REDUCE) return run1d(op, reduceShader(op, dtype), [x], outputs, [plan.size, plan.inner]);
      // Long axes (a global norm, a bias gradient over B·T rows): a workgroup per output.
      const out = gpu.allocate(outputs, op);
      if (outputs > 0) {
        const [gx, gy] = groupsFor(outputs * 64);
        gpu.dispatch(wideReduceShader(op, dtype), 'main', [read(x.buffer), write(out.buffer)], [outputs, plan.size, plan.inner], [gx, gy, 1]);
      }
      return out;
    },
    copyStrided: (x, plan) =>
      run1d('copyStrided', COPY_STRIDED, [x], plan.size, [plan.outShape.length, plan.offset, ...plan.outShape, ...plan.strides.map((s) => s >>> 0)]),
    pad: (x, plan) => run1d('pad', PAD, [x], plan.size, [plan.outShape.length, ...plan.outShape, ...plan.inShape, ...plan.before]),
    gather: (x, indices, plan) => {
      checkIndices('gather', indices, plan.count, plan.axisSize);
      return run1d('gather', GATHER, [x, indices], plan.outer * plan.count * plan.inner, [plan.axisSize, plan.inner, plan.count]);
    },
    scatterAdd: (updates, indices, plan) => {
      checkIndices('scatterAdd', indices, plan.count, plan.axisSize);
      const size = plan.outer * plan.axisSize * plan.inner;
      if (indices.hostValues !== undefined && size > 0) {
        const { starts, positions } = groupByIndex(indices.hostValues, plan.count, plan.axisSize);
        const startsBuffer = gpu.scratchFrom(starts);
        const positionsBuffer = gpu.scratchFrom(positions);
        const out = gpu.allocate(size, 'scatterAdd');
        gpu.dispatch1d(
          SCATTER_ADD_GROUPED,
          'main',
          [read(updates.buffer), read(startsBuffer), read(positionsBuffer), write(out.buffer)],
          [size, plan.axisSize, plan.inner, plan.count],
          size,
        );
        gpu.pool.release(startsBuffer);
        gpu.pool.release(positionsBuffer);
        return out;
      }
      return run1d('scatterAdd', SCATTER_ADD, [updates, indices], plan.outer * plan.axisSize * plan.inner, [plan.axisSize, plan.inner, plan.count]);
    },
    cast: (x, size, from, to) => run1d('cast', castShader(from, to), [x], size, []),
    randomUniform: (size, seed, offset) => run1d('randomUniform', RANDOM_UNIFORM, [], size, [seed >>> 0, offset >>> 0]),

    fused: createFusedKernels(gpu),
    dispose: () => {
      gpu.destroy();
      options.onDispose?.();
    },
  };
  runtimes.set(backend, gpu);
  infos.set(backend, { f16, features: [...device.features].sort() });
  return backend;
}
