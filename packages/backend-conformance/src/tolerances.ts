/**
 * Named tolerances. An element passes when |actual − expected| ≤ abs + rel·|expected|
 * (NaN passes only against NaN). Forward values and gradients have separate budgets: gradients
 * go through more kernels, so they accumulate more rounding.
 */
export interface Tolerance {
  readonly abs: number;
  readonly rel: number;
}

export interface ToleranceBudget {
  readonly forward: Tolerance;
  readonly gradient: Tolerance;
}

export type ToleranceName = 'exact' | 'elementwise' | 'transcendental' | 'reduction' | 'matmul' | 'fused' | 'update';

export const TOLERANCES: Readonly<Record<ToleranceName, ToleranceBudget>> = {
  /** Integer ops, data movement, the counter-based RNG: bit-exact everywhere. */
  exact: { forward: { abs: 0, rel: 0 }, gradient: { abs: 0, rel: 0 } },
  /** One correctly rounded f32 op per element (add, mul, div, …). */
  elementwise: { forward: { abs: 1e-6, rel: 1e-6 }, gradient: { abs: 1e-6, rel: 1e-5 } },
  /** exp, log, tanh, sqrt, GELU: libm-quality f32 approximations differ by a few ulp. */
  transcendental: { forward: { abs: 1e-6, rel: 1e-5 }, gradient: { abs: 1e-5, rel: 1e-4 } },
  /** Sums in a different order (SIMD lanes, tiles, f32 vs f64 accumulators). */
  reduction: { forward: { abs: 1e-5, rel: 1e-5 }, gradient: { abs: 1e-5, rel: 1e-4 } },
  /** K-long dot products, blocked and reordered. */
  matmul: { forward: { abs: 1e-5, rel: 1e-4 }, gradient: { abs: 1e-4, rel: 1e-4 } },
  /** Composite ops a backend may fuse (attention, layer norm, softmax, cross-entropy). */
  fused: { forward: { abs: 1e-5, rel: 1e-4 }, gradient: { abs: 1e-4, rel: 1e-3 } },
  /** Optimizer updates: a few dependent f32 ops per element. */
  update: { forward: { abs: 1e-6, rel: 1e-5 }, gradient: { abs: 0, rel: 0 } },
};

/** Finite differences: central, step h, in f32 on the backend under test. */
export const FINITE_DIFFERENCE = { step: 1e-2, tolerance: { abs: 1e-3, rel: 5e-3 } as Tolerance };

export interface Comparison {
  readonly passed: boolean;
  readonly maxAbsError: number;
  readonly maxRelError: number;
  /** Flat index of the worst element (by excess over the tolerance), -1 when none. */
  readonly worstIndex: number;
}

export function compare(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Tolerance): Comparison {
  if (actual.length !== expected.length) {
    return { passed: false, maxAbsError: Infinity, maxRelError: Infinity, worstIndex: -1 };
  }
  let passed = true;
  let maxAbsError = 0;
  let maxRelError = 0;
  let worstIndex = -1;
  let worstExcess = -Infinity;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(a) || Number.isNaN(e)) {
      if (Number.isNaN(a) !== Number.isNaN(e)) {
        passed = false;
        maxAbsError = Infinity;
        worstIndex = i;
        worstExcess = Infinity;
      }
      continue;
    }
    const error = a === e ? 0 : Math.abs(a - e);
    const excess = error - (tolerance.abs + tolerance.rel * Math.abs(e));
    if (excess > 0) passed = false;
    maxAbsError = Math.max(maxAbsError, error);
    if (e !== 0) maxRelError = Math.max(maxRelError, error / Math.abs(e));
    if (excess > worstExcess) {
      worstExcess = excess;
      worstIndex = i;
    }
  }
  return { passed, maxAbsError, maxRelError, worstIndex };
}
