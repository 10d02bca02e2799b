import { WattformerError } from '@wattformer/core';
import type { WebGpuStorage } from './gpu-runtime';

/**
 * Index checks without reading the GPU. An i32 tensor uploaded from the host (token ids,
 * targets: the usual case) keeps a host copy of its values, since storages are immutable; gather,
 * scatterAdd and cross-entropy check those synchronously, before allocating anything, as cpu and
 * wasm do. Indices computed on the GPU (a cast, an argmax) have no copy and cannot be checked
 * without waiting: there an out-of-range gather index reads zeros, scatterAdd ignores it, and a
 * cross-entropy target outside [0, V) makes the loss NaN.
 */
export function checkIndices(op: 'gather' | 'scatterAdd', indices: WebGpuStorage, count: number, axisSize: number): void {
  const values = indices.hostValues;
  if (values === undefined) return;
  for (let i = 0; i < count; i++) {
    const index = values[i]!;
    if (index < 0 || index >= axisSize) {
      throw new WattformerError('E_ARGUMENT', {
        packageName: 'backend-webgpu',
        op,
        expected: `indices in [0, ${axisSize})`,
        got: `${index} at position ${i}`,
      });
    }
  }
}

export function checkTargets(targets: WebGpuStorage, rows: number, V: number, ignoreIndex: number): void {
  const values = targets.hostValues;
  if (values === undefined) return;
  for (let i = 0; i < rows; i++) {
    const t = values[i]!;
    if (t !== ignoreIndex && (t < 0 || t >= V)) {
      throw new WattformerError('E_ARGUMENT', {
        packageName: 'backend-webgpu',
        op: 'softmaxCrossEntropy',
        expected: `targets in [0, ${V}) or the ignore index ${ignoreIndex}`,
        got: `${t} at position ${i}`,
      });
    }
  }
}
