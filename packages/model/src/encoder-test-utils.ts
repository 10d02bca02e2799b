/**
 * Test helpers for the encoder families (not exported from the package): fixture tensors and
 * the error measure the PyTorch parity tests use.
 */
import { tensor, type Tensor } from '@wattformer/core';

export interface FixtureTensor {
  readonly shape: number[];
  readonly data: number[];
}

/** Kept f32 tensors from a fixture's name → { shape, data }. */
export function fixtureParameters(entries: Record<string, FixtureTensor>): Map<string, Tensor> {
  return new Map(Object.entries(entries).map(([name, p]) => [name, tensor(Float32Array.from(p.data), p.shape).keep()]));
}

/**
 * max |got − want| / max(max |want|, floor): the error relative to the tensor's scale (Infinity on
 * a length mismatch). The floor keeps gradients that are zero in exact arithmetic (an attention
 * key bias cancels in the softmax) from dividing rounding noise by ~0.
 */
export function relativeError(got: ArrayLike<number>, want: readonly number[], floor = 0): number {
  let error = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    error = Math.max(error, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return got.length === want.length ? error / Math.max(scale, floor) : Infinity;
}
