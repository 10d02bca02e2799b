/**
 * Test helpers for the encoder families (not exported from the package): fixture tensors and
 * the error measure the PyTorch parity tests use.
 */
import { tensor, tidy, valueAndGrad, type Tensor } from '@wattformer/core';

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

/** Per-element budget |actual − expected| ≤ abs + rel·|expected|, as backend-conformance's `compare`. */
export interface Tolerance {
  readonly abs: number;
  readonly rel: number;
}

/** backend-conformance's FINITE_DIFFERENCE: central differences, step 1e-2, in f32. */
export const FINITE_DIFFERENCE = { step: 1e-2, tolerance: { abs: 1e-3, rel: 5e-3 } as Tolerance };
/** backend-conformance's `fused` gradient budget: the encoders are chains of fused-kernel candidates. */
export const BACKEND_GRADIENT: Tolerance = { abs: 1e-4, rel: 1e-3 };

/** The elements outside the budget, as 'name[index]: got vs want' (empty when all pass). */
export function outsideTolerance(name: string, got: ArrayLike<number>, want: ArrayLike<number>, tolerance: Tolerance, indices?: readonly number[]): string[] {
  const failures: string[] = [];
  if (got.length !== want.length) return [`${name}: ${got.length} values, expected ${want.length}`];
  for (let i = 0; i < want.length; i++) {
    const bad = !(Math.abs(got[i]! - want[i]!) <= tolerance.abs + tolerance.rel * Math.abs(want[i]!));
    if (bad) failures.push(`${name}[${indices?.[i] ?? i}]: ${got[i]} vs ${want[i]}`);
  }
  return failures;
}

/** `count` indices spread evenly over `size` elements (all of them when size ≤ count). */
export function sampleIndices(size: number, count: number): number[] {
  if (size <= count) return Array.from({ length: size }, (_, i) => i);
  const stride = size / count;
  return Array.from({ length: count }, (_, i) => Math.floor(i * stride + stride / 2));
}

/**
 * Finite-difference gradient check of a scalar loss over named parameters: for each sampled
 * element, (L(θ + h·e) − L(θ − h·e)) / 2h against the analytic gradient. Returns the failures.
 * Piecewise-linear activations (ReLU) need a smaller h than the default, so that ±h rarely
 * crosses a kink.
 */
export function finiteDifferenceFailures(
  parameters: ReadonlyMap<string, Tensor>,
  analytic: ReadonlyMap<string, ArrayLike<number>>,
  loss: (p: Map<string, Tensor>) => number,
  elementsPerTensor: number,
  h = FINITE_DIFFERENCE.step,
): string[] {
  const failures: string[] = [];
  for (const [name, original] of parameters) {
    const host = Float32Array.from(original.dataSync());
    const indices = sampleIndices(host.length, elementsPerTensor);
    const numeric = indices.map((j) => {
      const at = (delta: number): number => {
        const copy = Float32Array.from(host);
        copy[j] = copy[j]! + delta;
        const shifted = tensor(copy, original.shape);
        try {
          return loss(new Map(parameters).set(name, shifted));
        } finally {
          shifted.dispose();
        }
      };
      return (at(h) - at(-h)) / (2 * h);
    });
    const picked = indices.map((j) => analytic.get(name)![j]!);
    failures.push(...outsideTolerance(name, picked, numeric, FINITE_DIFFERENCE.tolerance, indices));
  }
  return failures;
}

/** d loss / d every parameter on the active backend, copied to the host. */
export function analyticGradients(parameters: ReadonlyMap<string, Tensor>, loss: () => Tensor): Map<string, Float32Array> {
  const names = [...parameters.keys()];
  const grads = tidy(() =>
    valueAndGrad(
      loss,
      names.map((n) => parameters.get(n)!),
    ).grads.map((g) => Float32Array.from((g as Tensor).dataSync())),
  );
  return new Map(names.map((name, i) => [name, grads[i]!]));
}

/** A scalar loss evaluated without keeping anything. */
export function lossValue(loss: () => Tensor): number {
  return tidy(() => loss().dataSync()[0]!);
}
