import { MASKED_SCORE, type AttentionPlan, type CpuStorage, type FusedKernels } from '@wattformer/core';
import { f32, type Output } from './output';

/** Scaled, masked scores of query row i against every key, for head h of batch b. */
function scores(Q: Float32Array, K: Float32Array, mask: Float32Array | null, p: AttentionPlan, b: number, h: number, i: number): Float64Array {
  const { Tq, Tk, D, H } = p;
  const C = H * D;
  const s = new Float64Array(Tk);
  const q = (b * Tq + i) * C + h * D;
  for (let j = 0; j < Tk; j++) {
    const k = (b * Tk + j) * C + h * D;
    let dot = 0;
    for (let d = 0; d < D; d++) dot += Q[q + d]! * K[k + d]!;
    let score = dot * p.scale;
    // Each mask adds MASKED_SCORE, exactly as the default body's additive biases do.
    if (p.causal && j > i) score += MASKED_SCORE;
    if (mask !== null && mask[b * Tk + j] === 0) score += MASKED_SCORE;
    s[j] = score;
  }
  return s;
}

/**
 * Reference attention with the fused kernel's contract: out [B, Tq, C] and stats [B, H, Tq] =
 * log Σ exp(scores) per row, from which backward recomputes the probabilities (as a flash kernel
 * does) instead of storing [Tq, Tk]. Memory here is O(Tk) per row.
 */
export function attentionKernels(output: Output): NonNullable<FusedKernels<CpuStorage>['attention']> {
  return {
    forward(q, k, v, keyMask, p) {
      const [Q, K, V] = [f32(q), f32(k), f32(v)];
      const mask = keyMask === null ? null : f32(keyMask);
      const { B, H, Tq, Tk, D } = p;
      const C = H * D;
      const out = new Float32Array(B * Tq * C);
      const stats = new Float32Array(B * H * Tq);
      for (let b = 0; b < B; b++) {
        for (let h = 0; h < H; h++) {
          for (let i = 0; i < Tq; i++) {
            const s = scores(Q, K, mask, p, b, h, i);
            let m = -Infinity;
            for (const value of s) m = Math.max(m, value);
            let total = 0;
            for (let j = 0; j < Tk; j++) total += Math.exp(s[j]! - m);
            stats[(b * H + h) * Tq + i] = m + Math.log(total);
            const o = (b * Tq + i) * C + h * D;
            for (let j = 0; j < Tk; j++) {
              const weight = Math.exp(s[j]! - m) / total;
              const vj = (b * Tk + j) * C + h * D;
              for (let d = 0; d < D; d++) out[o + d]! += weight * V[vj + d]!;
            }
          }
        }
      }
      return { out: output(out), stats: output(stats) };
    },
    backward(q, k, v, keyMask, out, stats, dOut, p) {
      const [Q, K, V, O, L, dO] = [f32(q), f32(k), f32(v), f32(out), f32(stats), f32(dOut)];
      const mask = keyMask === null ? null : f32(keyMask);
      const { B, H, Tq, Tk, D } = p;
      const C = H * D;
      const dq = new Float32Array(Q.length);
      const dk = new Float32Array(K.length);
      const dv = new Float32Array(V.length);
      for (let b = 0; b < B; b++) {
        for (let h = 0; h < H; h++) {
          for (let i = 0; i < Tq; i++) {
            const s = scores(Q, K, mask, p, b, h, i);
            const lse = L[(b * H + h) * Tq + i]!;
            const o = (b * Tq + i) * C + h * D;
            // Δ = Σ_j P_ij dP_ij = dO_i · O_i
            let delta = 0;
            for (let d = 0; d < D; d++) delta += dO[o + d]! * O[o + d]!;
            for (let j = 0; j < Tk; j++) {
              const P = Math.exp(s[j]! - lse);
              const kv = (b * Tk + j) * C + h * D;
              let dP = 0;
              for (let d = 0; d < D; d++) {
                dv[kv + d]! += P * dO[o + d]!;
                dP += dO[o + d]! * V[kv + d]!;
              }
              const dS = P * (dP - delta) * p.scale;
              for (let d = 0; d < D; d++) {
                dq[o + d]! += dS * K[kv + d]!;
                dk[kv + d]! += dS * Q[o + d]!;
              }
            }
          }
        }
      }
      return { dq: output(dq), dk: output(dk), dv: output(dv) };
    },
  };
}
