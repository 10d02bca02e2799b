/**
 * The exact (erf) GELU that BERT checkpoints use (`hidden_act: "gelu"`, torch's default
 * `F.gelu`): x·Φ(x) = 0.5·x·(1 + erf(x/√2)). Core's `gelu` is the tanh approximation, so this
 * one is composed from core ops and differentiates through them. erf is Abramowitz & Stegun
 * 7.1.26 (|error| ≤ 1.5e-7): erf(a) = 1 − (a1·t + … + a5·t⁵)·e^(−a²), t = 1/(1 + p·a), a ≥ 0.
 * Since erf is odd, x·erf(x/√2) = |x|·erf(|x|/√2), so no sign is needed:
 *   gelu(x) = 0.5·(x + |x|·erf(|x|/√2)).
 */
import { add, div, exp, maximum, mul, neg, square, sub, type Tensor } from '@wattformer/core';

const P = 0.3275911;
const A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429] as const;

/** erf(a) for a ≥ 0 (A&S 7.1.26). */
function erfNonNegative(a: Tensor): Tensor {
  const t = div(1, add(mul(a, P), 1));
  // Horner: t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))
  let poly = mul(t, A[4]);
  for (let i = 3; i >= 0; i--) poly = mul(t, add(poly, A[i]!));
  return sub(1, mul(poly, exp(neg(square(a)))));
}

/** Exact GELU, x·Φ(x), elementwise. */
export function geluErf(x: Tensor): Tensor {
  const magnitude = maximum(x, neg(x));
  return mul(add(x, mul(magnitude, erfNonNegative(mul(magnitude, Math.SQRT1_2)))), 0.5);
}
