import { tensor, type DType, type Tensor } from '@wattformer/core';
import { normalAt, uniformAt } from '@wattformer/core/internal';

/**
 * How a case's input is filled. Values are generated on the host from the counter-based RNG, so
 * every backend (and the oracle) starts from the same bits.
 * - normal: N(0, 1) · scale
 * - positive: uniform in [0.5, 2) (log, sqrt, division)
 * - awayFromZero: ±[0.2, 1.2) (ReLU, so no element sits within a finite-difference step of the kink)
 * - distinct: a shuffled ramp 0.25 apart (max, so no near-ties)
 * - indices: integers in [0, max)
 * - values: exactly these
 */
export type InputKind =
  | { readonly kind: 'normal'; readonly scale?: number }
  | { readonly kind: 'positive' }
  | { readonly kind: 'awayFromZero' }
  | { readonly kind: 'distinct' }
  | { readonly kind: 'indices'; readonly max: number }
  | { readonly kind: 'values'; readonly values: readonly number[] };

export interface InputSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype?: DType;
  readonly fill?: InputKind;
  /** Whether gradients are checked for this input (default: f32 inputs). */
  readonly differentiable?: boolean;
}

export function isDifferentiable(spec: InputSpec): boolean {
  return spec.differentiable ?? (spec.dtype ?? 'f32') === 'f32';
}

export function hostValues(spec: InputSpec, seed: number): Float32Array | Int32Array {
  const size = spec.shape.reduce((p, n) => p * n, 1);
  const fill = spec.fill ?? { kind: 'normal' };
  const dtype = spec.dtype ?? 'f32';
  const out = dtype === 'f32' ? new Float32Array(size) : new Int32Array(size);
  const u = (i: number): number => uniformAt(seed, i);
  switch (fill.kind) {
    case 'normal':
      for (let i = 0; i < size; i++) out[i] = normalAt(seed, i) * (fill.scale ?? 1);
      break;
    case 'positive':
      for (let i = 0; i < size; i++) out[i] = 0.5 + 1.5 * u(i);
      break;
    case 'awayFromZero':
      for (let i = 0; i < size; i++) out[i] = (u(2 * i) < 0.5 ? -1 : 1) * (0.2 + u(2 * i + 1));
      break;
    case 'distinct': {
      const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => u(a) - u(b));
      order.forEach((rank, i) => (out[i] = (rank - size / 2) * 0.25));
      break;
    }
    case 'indices':
      for (let i = 0; i < size; i++) out[i] = Math.floor(u(i) * fill.max);
      break;
    case 'values':
      fill.values.forEach((v, i) => (out[i] = v));
      break;
  }
  return out;
}

/** Uploads host values as a tensor on the active backend. */
export function makeInput(spec: InputSpec, values: Float32Array | Int32Array): Tensor {
  return tensor(values, spec.shape, spec.dtype ?? 'f32');
}
