import type { CpuStorage } from '@wattformer/core';

/** Wraps a kernel's result as cpu storage (the reference backend's `upload`). */
export type Output = (values: Float32Array) => CpuStorage;

/** The f32 values of a cpu tensor. */
export const f32 = (s: CpuStorage): Float32Array => s.values as Float32Array;
