/**
 * Multi-head attention with dropout on the attention probabilities, as Hugging Face
 * (`attn_pdrop`, `attention_probs_dropout_prob`) and torch's MultiheadAttention apply it.
 * Core's fused `attention` has no probability dropout, so when a site is active (training, rate
 * > 0) this runs the explicit body — the same maths as core's default body, plus the dropout
 * between softmax and ·V — which materialises the [B·H, Tq, Tk] scores. Otherwise it is core's
 * `attention` unchanged (fused where the backend has it).
 */
import { add, attention, matmul, MASKED_SCORE, mul, noGrad, permute, reshape, softmax, sub, tensor, type Tensor } from '@wattformer/core';
import type { DropoutSites } from './dropout-sites';

export interface AttentionDropoutOptions {
  readonly numHeads: number;
  readonly causal?: boolean;
  /** f32 [B, Tk]: 1 real key, 0 padding. */
  readonly keyMask?: Tensor;
  /** Probability dropout rate (applied in training mode only). */
  readonly dropout: number;
  readonly sites: DropoutSites;
}

/** q [B, Tq, C], k and v [B, Tk, C] → [B, Tq, C]. */
export function attentionWithDropout(q: Tensor, k: Tensor, v: Tensor, options: AttentionDropoutOptions): Tensor {
  const { numHeads: H, causal = false, keyMask, sites } = options;
  if (!sites.active(options.dropout)) return attention(q, k, v, { numHeads: H, causal, ...(keyMask ? { keyMask } : {}) });
  const [B, Tq, C] = q.shape as [number, number, number];
  const Tk = k.shape[1]!;
  const D = C / H;
  // [B, T, C] → [B, H, T, D] → [B·H, T, D]
  const heads = (t: Tensor, T: number): Tensor => reshape(permute(reshape(t, [B, T, H, D]), [0, 2, 1, 3]), [B * H, T, D]);
  let scores = mul(matmul(heads(q, Tq), heads(k, Tk), { transposeB: true }), 1 / Math.sqrt(D)); // (B·H, Tq, Tk)
  if (causal) {
    const bias = new Float32Array(Tq * Tk);
    for (let i = 0; i < Tq; i++) for (let j = i + 1; j < Tk; j++) bias[i * Tk + j] = MASKED_SCORE;
    scores = add(scores, tensor(bias, [Tq, Tk]));
  }
  if (keyMask !== undefined) {
    const bias = noGrad(() => reshape(mul(sub(keyMask, 1), -MASKED_SCORE), [B, 1, 1, Tk]));
    scores = reshape(add(reshape(scores, [B, H, Tq, Tk]), bias), [B * H, Tq, Tk]);
  }
  const probabilities = sites.apply(softmax(scores), options.dropout);
  const out = matmul(probabilities, heads(v, Tk)); // (B·H, Tq, D)
  return reshape(permute(reshape(out, [B, H, Tq, D]), [0, 2, 1, 3]), [B, Tq, C]);
}
