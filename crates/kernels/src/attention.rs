//! Multi-head scaled dot-product attention, forward and backward, with causal and key-padding masks.
//!
//! Layout (row-major): Q [B, H, Tq, D], K and V [B, H, Tk, D], O and dO [B, H, Tq, D],
//! LSE (log-sum-exp of each score row, saved for backward) [B, H, Tq], key mask [B, Tk]
//! (non-zero = attend). Causal masking is top-left aligned as in PyTorch: query i sees keys j ≤ i.
//! A query that sees no key gets O = 0 and LSE = -inf, and no gradient.
//!
//! Fast path: FlashAttention-2 tiling. The forward walks BC-wide key blocks for each BR-tall
//! query block, keeping a running max and sum per row (online softmax), so memory is
//! O(BR·(BC + D)) scratch instead of O(Tq·Tk). The backward recomputes P = exp(S - LSE)
//! block by block and accumulates dQ, dK and dV directly, using delta_i = dO_i · O_i.
//! Inner products and row updates over D use [`crate::vector`]'s simd128 `dot` and `axpy`.

use crate::vector::{axpy, dot, scale};

const BR: usize = 32;
const BC: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AttentionDims {
    pub batch: usize,
    pub heads: usize,
    pub q_len: usize,
    pub k_len: usize,
    pub head_dim: usize,
    pub causal: bool,
    /// Usually 1/sqrt(head_dim).
    pub scale: f32,
}

impl AttentionDims {
    pub fn q_size(&self) -> usize {
        self.batch * self.heads * self.q_len * self.head_dim
    }
    pub fn k_size(&self) -> usize {
        self.batch * self.heads * self.k_len * self.head_dim
    }
    pub fn lse_size(&self) -> usize {
        self.batch * self.heads * self.q_len
    }
    fn visible(&self, mask: Option<&[i32]>, b: usize, i: usize, j: usize) -> bool {
        !(self.causal && j > i) && mask.is_none_or(|m| m[b * self.k_len + j] != 0)
    }
}

pub struct AttentionInputs<'a> {
    pub q: &'a [f32],
    pub k: &'a [f32],
    pub v: &'a [f32],
    pub key_mask: Option<&'a [i32]>,
}

fn check(d: &AttentionDims, x: &AttentionInputs) {
    assert!(
        x.q.len() >= d.q_size()
            && x.k.len() >= d.k_size()
            && x.v.len() >= d.k_size()
            && x.key_mask.is_none_or(|m| m.len() >= d.batch * d.k_len),
        "attention: operand buffers shorter than {d:?}"
    );
}

/// Reference forward: materialises the full Tq × Tk score matrix per (batch, head).
pub fn attention_forward_reference(
    d: &AttentionDims,
    x: &AttentionInputs,
    out: &mut [f32],
    lse: &mut [f32],
) {
    check(d, x);
    let (tq, tk, hd) = (d.q_len, d.k_len, d.head_dim);
    let mut p = vec![0.0f32; tk];
    for bh in 0..d.batch * d.heads {
        let b = bh / d.heads;
        for i in 0..tq {
            let qi = &x.q[(bh * tq + i) * hd..][..hd];
            let mut max = f32::NEG_INFINITY;
            for (j, pj) in p.iter_mut().enumerate() {
                *pj = if d.visible(x.key_mask, b, i, j) {
                    let kj = &x.k[(bh * tk + j) * hd..][..hd];
                    d.scale * qi.iter().zip(kj).map(|(a, b)| a * b).sum::<f32>()
                } else {
                    f32::NEG_INFINITY
                };
                max = max.max(*pj);
            }
            let oi = &mut out[(bh * tq + i) * hd..][..hd];
            oi.fill(0.0);
            if max == f32::NEG_INFINITY {
                lse[bh * tq + i] = f32::NEG_INFINITY;
                continue;
            }
            let sum: f32 = p
                .iter_mut()
                .map(|s| {
                    *s = (*s - max).exp();
                    *s
                })
                .sum();
            for (j, &pj) in p.iter().enumerate() {
                let vj = &x.v[(bh * tk + j) * hd..][..hd];
                for (o, &vv) in oi.iter_mut().zip(vj) {
                    *o += pj / sum * vv;
                }
            }
            lse[bh * tq + i] = max + sum.ln();
        }
    }
}

/// Reference backward: P = softmax(S), dP = dO·Vᵀ, dS = P ∘ (dP − rowsum(P ∘ dP)).
pub fn attention_backward_reference(
    d: &AttentionDims,
    x: &AttentionInputs,
    d_out: &[f32],
    grads: (&mut [f32], &mut [f32], &mut [f32]),
) {
    check(d, x);
    let (dq, dk, dv) = grads;
    let (tq, tk, hd) = (d.q_len, d.k_len, d.head_dim);
    let mut out = vec![0.0; d.q_size()];
    let mut lse = vec![0.0; d.lse_size()];
    attention_forward_reference(d, x, &mut out, &mut lse);
    dq[..d.q_size()].fill(0.0);
    dk[..d.k_size()].fill(0.0);
    dv[..d.k_size()].fill(0.0);
    for bh in 0..d.batch * d.heads {
        let b = bh / d.heads;
        for i in 0..tq {
            let row = bh * tq + i;
            if lse[row] == f32::NEG_INFINITY {
                continue;
            }
            let qi = &x.q[row * hd..][..hd];
            let doi = &d_out[row * hd..][..hd];
            let mut p = vec![0.0f32; tk];
            let mut dp = vec![0.0f32; tk];
            for j in 0..tk {
                if !d.visible(x.key_mask, b, i, j) {
                    continue;
                }
                let kj = &x.k[(bh * tk + j) * hd..][..hd];
                let vj = &x.v[(bh * tk + j) * hd..][..hd];
                let s: f32 = d.scale * qi.iter().zip(kj).map(|(a, b)| a * b).sum::<f32>();
                p[j] = (s - lse[row]).exp();
                dp[j] = doi.iter().zip(vj).map(|(a, b)| a * b).sum();
            }
            let rowsum: f32 = p.iter().zip(&dp).map(|(a, b)| a * b).sum();
            for j in 0..tk {
                if p[j] == 0.0 {
                    continue;
                }
                let ds = p[j] * (dp[j] - rowsum) * d.scale;
                let krow = (bh * tk + j) * hd;
                for c in 0..hd {
                    dq[row * hd + c] += ds * x.k[krow + c];
                    dk[krow + c] += ds * qi[c];
                    dv[krow + c] += p[j] * doi[c];
                }
            }
        }
    }
}

/// Scratch for the tiled forward; reused across calls.
#[derive(Default)]
pub struct AttentionWorkspace {
    scores: Vec<f32>,
    acc: Vec<f32>,
    row_max: Vec<f32>,
    row_sum: Vec<f32>,
    delta: Vec<f32>,
}

impl AttentionWorkspace {
    pub fn bytes(&self) -> usize {
        4 * (self.scores.capacity()
            + self.acc.capacity()
            + self.row_max.capacity()
            + self.row_sum.capacity()
            + self.delta.capacity())
    }
}

/// Tiled forward (online softmax). Writes O and LSE; same contract as the reference.
pub fn attention_forward(
    d: &AttentionDims,
    x: &AttentionInputs,
    out: &mut [f32],
    lse: &mut [f32],
    ws: &mut AttentionWorkspace,
) {
    check(d, x);
    let (tq, tk, hd) = (d.q_len, d.k_len, d.head_dim);
    ws.scores.resize(BR * BC, 0.0);
    ws.acc.resize(BR * hd, 0.0);
    ws.row_max.resize(BR, 0.0);
    ws.row_sum.resize(BR, 0.0);
    for bh in 0..d.batch * d.heads {
        let b = bh / d.heads;
        let q = &x.q[bh * tq * hd..][..tq * hd];
        let k = &x.k[bh * tk * hd..][..tk * hd];
        let v = &x.v[bh * tk * hd..][..tk * hd];
        for i0 in (0..tq).step_by(BR) {
            let rows = BR.min(tq - i0);
            ws.row_max[..rows].fill(f32::NEG_INFINITY);
            ws.row_sum[..rows].fill(0.0);
            ws.acc[..rows * hd].fill(0.0);
            for j0 in (0..tk).step_by(BC) {
                if d.causal && j0 > i0 + rows - 1 {
                    break; // every later key is in the future of every row of this block
                }
                let cols = BC.min(tk - j0);
                for r in 0..rows {
                    let i = i0 + r;
                    let qi = &q[i * hd..][..hd];
                    let s = &mut ws.scores[r * BC..][..cols];
                    let mut block_max = f32::NEG_INFINITY;
                    for (c, sc) in s.iter_mut().enumerate() {
                        let j = j0 + c;
                        *sc = if d.visible(x.key_mask, b, i, j) {
                            d.scale * dot(qi, &k[j * hd..][..hd])
                        } else {
                            f32::NEG_INFINITY
                        };
                        block_max = block_max.max(*sc);
                    }
                    let m_old = ws.row_max[r];
                    let m_new = m_old.max(block_max);
                    if m_new == f32::NEG_INFINITY {
                        continue; // nothing visible yet for this row
                    }
                    let acc = &mut ws.acc[r * hd..][..hd];
                    let alpha = (m_old - m_new).exp(); // 0 when m_old = -inf
                    if alpha != 1.0 {
                        scale(alpha, acc);
                    }
                    let mut sum = 0.0f32;
                    for (c, &sc) in s.iter().enumerate() {
                        if sc == f32::NEG_INFINITY {
                            continue;
                        }
                        let p = (sc - m_new).exp();
                        sum += p;
                        axpy(p, &v[(j0 + c) * hd..][..hd], acc);
                    }
                    ws.row_sum[r] = ws.row_sum[r] * alpha + sum;
                    ws.row_max[r] = m_new;
                }
            }
            for r in 0..rows {
                let row = bh * tq + i0 + r;
                let o = &mut out[row * hd..][..hd];
                let l = ws.row_sum[r];
                if l > 0.0 {
                    let inv = 1.0 / l;
                    for (dst, &a) in o.iter_mut().zip(&ws.acc[r * hd..][..hd]) {
                        *dst = a * inv;
                    }
                    lse[row] = ws.row_max[r] + l.ln();
                } else {
                    o.fill(0.0);
                    lse[row] = f32::NEG_INFINITY;
                }
            }
        }
    }
}

/// Tiled backward from saved O and LSE. Overwrites dQ, dK, dV.
#[allow(clippy::too_many_arguments)]
pub fn attention_backward(
    d: &AttentionDims,
    x: &AttentionInputs,
    out: &[f32],
    lse: &[f32],
    d_out: &[f32],
    grads: (&mut [f32], &mut [f32], &mut [f32]),
    ws: &mut AttentionWorkspace,
) {
    check(d, x);
    let (dq, dk, dv) = grads;
    let (tq, tk, hd) = (d.q_len, d.k_len, d.head_dim);
    dq[..d.q_size()].fill(0.0);
    dk[..d.k_size()].fill(0.0);
    dv[..d.k_size()].fill(0.0);
    ws.delta.resize(tq, 0.0);
    for bh in 0..d.batch * d.heads {
        let b = bh / d.heads;
        let (qo, ko) = (bh * tq * hd, bh * tk * hd);
        for i in 0..tq {
            ws.delta[i] = dot(&d_out[qo + i * hd..][..hd], &out[qo + i * hd..][..hd]);
        }
        for j0 in (0..tk).step_by(BC) {
            let cols = BC.min(tk - j0);
            let first_row = if d.causal { j0 } else { 0 };
            for i in first_row..tq {
                let row_lse = lse[bh * tq + i];
                if row_lse == f32::NEG_INFINITY {
                    continue;
                }
                let qi = &x.q[qo + i * hd..][..hd];
                let doi = &d_out[qo + i * hd..][..hd];
                let mut dq_row_scale = [0.0f32; BC];
                for c in 0..cols {
                    let j = j0 + c;
                    if !d.visible(x.key_mask, b, i, j) {
                        continue;
                    }
                    let kj = &x.k[ko + j * hd..][..hd];
                    let p = (d.scale * dot(qi, kj) - row_lse).exp();
                    let dp = dot(doi, &x.v[ko + j * hd..][..hd]);
                    let ds = p * (dp - ws.delta[i]) * d.scale;
                    axpy(p, doi, &mut dv[ko + j * hd..][..hd]);
                    axpy(ds, qi, &mut dk[ko + j * hd..][..hd]);
                    dq_row_scale[c] = ds;
                }
                let dqi = &mut dq[qo + i * hd..][..hd];
                for (c, &ds) in dq_row_scale[..cols].iter().enumerate() {
                    if ds != 0.0 {
                        axpy(ds, &x.k[ko + (j0 + c) * hd..][..hd], dqi);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{assert_close, fill};

    fn check(d: AttentionDims, mask: Option<Vec<i32>>) {
        let (q, k, v) = (
            fill(d.q_size(), 3),
            fill(d.k_size(), 5),
            fill(d.k_size(), 7),
        );
        let d_out = fill(d.q_size(), 9);
        let x = AttentionInputs {
            q: &q,
            k: &k,
            v: &v,
            key_mask: mask.as_deref(),
        };
        let mut ws = AttentionWorkspace::default();
        let (mut o_ref, mut l_ref) = (vec![0.0; d.q_size()], vec![0.0; d.lse_size()]);
        let (mut o, mut l) = (vec![f32::NAN; d.q_size()], vec![f32::NAN; d.lse_size()]);
        attention_forward_reference(&d, &x, &mut o_ref, &mut l_ref);
        attention_forward(&d, &x, &mut o, &mut l, &mut ws);
        assert_close("O", &o, &o_ref, 1e-5);
        assert_close("LSE", &l, &l_ref, 1e-5);
        let mut r = (
            vec![0.0; d.q_size()],
            vec![0.0; d.k_size()],
            vec![0.0; d.k_size()],
        );
        let mut f = (
            vec![f32::NAN; d.q_size()],
            vec![f32::NAN; d.k_size()],
            vec![f32::NAN; d.k_size()],
        );
        attention_backward_reference(&d, &x, &d_out, (&mut r.0, &mut r.1, &mut r.2));
        attention_backward(
            &d,
            &x,
            &o,
            &l,
            &d_out,
            (&mut f.0, &mut f.1, &mut f.2),
            &mut ws,
        );
        assert_close("dQ", &f.0, &r.0, 1e-4);
        assert_close("dK", &f.1, &r.1, 1e-4);
        assert_close("dV", &f.2, &r.2, 1e-4);
    }

    fn dims(
        batch: usize,
        heads: usize,
        q_len: usize,
        k_len: usize,
        head_dim: usize,
        causal: bool,
    ) -> AttentionDims {
        AttentionDims {
            batch,
            heads,
            q_len,
            k_len,
            head_dim,
            causal,
            scale: 1.0 / (head_dim as f32).sqrt(),
        }
    }

    #[test]
    fn tiled_matches_reference_causal_and_not() {
        for causal in [false, true] {
            check(dims(1, 1, 1, 1, 1, causal), None);
            check(dims(2, 3, 17, 17, 5, causal), None);
            check(dims(1, 2, 100, 100, 32, causal), None); // crosses BR and BC blocks
        }
        check(dims(2, 2, 9, 130, 8, false), None); // cross-attention, Tq ≠ Tk
    }

    #[test]
    fn key_padding_mask_including_rows_that_see_nothing() {
        let d = dims(2, 2, 70, 70, 12, true);
        let mut mask = vec![1; 2 * 70];
        for j in 60..70 {
            mask[j] = 0; // batch 0: last ten keys are padding
        }
        mask[70] = 0; // batch 1: key 0 masked, so causal query 0 sees nothing
        check(d, Some(mask));
        check(AttentionDims { causal: false, ..d }, Some(vec![0; 2 * 70]));
    }

    #[test]
    fn workspace_stays_bounded_by_block_sizes_not_sequence_length() {
        let mut ws = AttentionWorkspace::default();
        let d = dims(1, 1, 512, 512, 16, true);
        let (q, k, v) = (
            fill(d.q_size(), 1),
            fill(d.k_size(), 2),
            fill(d.k_size(), 3),
        );
        let x = AttentionInputs {
            q: &q,
            k: &k,
            v: &v,
            key_mask: None,
        };
        let (mut o, mut l) = (vec![0.0; d.q_size()], vec![0.0; d.lse_size()]);
        attention_forward(&d, &x, &mut o, &mut l, &mut ws);
        // BR·BC scores + BR·D accumulators + 2·BR row stats; nothing O(T²).
        assert!(
            ws.bytes() <= 4 * (BR * BC + BR * 16 + 2 * BR) + 64,
            "{} bytes",
            ws.bytes()
        );
    }
}
