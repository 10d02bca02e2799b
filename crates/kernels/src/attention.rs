//! Multi-head scaled dot-product attention, forward and backward, with causal and key-padding masks.
//!
//! Layout (row-major, as `@wattformer/core`'s attention contract): Q, O and dO [B, Tq, C];
//! K and V [B, Tk, C]; C = H·D and head h owns channels [h·D, (h+1)·D), so no permute is needed.
//! Stats (log-sum-exp of each biased score row, saved for backward) [B, H, Tq]; key mask f32
//! [B, Tk] (1 = real key, 0 = padding).
//!
//! Masking is additive, exactly as core's composite: score = q·k·scale + causal + padding with
//! causal = −1e9 for key j > query i (top-left aligned, as PyTorch) and padding = (mask − 1)·1e9.
//! Masked keys therefore get probability 0 in any row that sees a real key, and a row that sees
//! none stays finite (uniform over its least-masked keys) instead of NaN.
//!
//! Fast path: FlashAttention-2 tiling. The forward walks BC-wide key blocks for each BR-tall
//! query block with a running max and sum per row (online softmax): O(BR·(BC + D)) scratch,
//! not O(Tq·Tk). Key blocks wholly in the causal future are skipped — their biased scores are at
//! least 1e9 below a visible one's, so they contribute exactly 0. The backward recomputes
//! P = exp(S − LSE) block by block and accumulates dQ, dK, dV with delta_i = dO_i · O_i.
//! Inner products and row updates over D use [`crate::vector`]'s simd128 `dot` and `axpy`.

use std::f32::consts::{LN_2, LOG2_E};

use crate::simd::F32x4;
use crate::simd_math::{exp, exp2_lean, Exp2Lanes};
use crate::vector::{axpy, dot, scale};

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
    fn model_dim(&self) -> usize {
        self.heads * self.head_dim
    }
    /// Offset of (batch b, position t, head h) in a [B, T, C] tensor with T positions.
    fn row(&self, b: usize, t: usize, h: usize, len: usize) -> usize {
        (b * len + t) * self.model_dim() + h * self.head_dim
    }
    /// The additive bias of score (i, j): 0, or −1e9 per mask that hides the key.
    fn bias(&self, mask: Option<&[f32]>, b: usize, i: usize, j: usize) -> f32 {
        let causal = if self.causal && j > i {
            MASKED_SCORE
        } else {
            0.0
        };
        match mask {
            Some(m) => causal + (m[b * self.k_len + j] - 1.0) * -MASKED_SCORE,
            None => causal,
        }
    }
}

/// The score added where attention is masked (core's `MASKED_SCORE`).
pub const MASKED_SCORE: f32 = -1e9;

pub struct AttentionInputs<'a> {
    pub q: &'a [f32],
    pub k: &'a [f32],
    pub v: &'a [f32],
    pub key_mask: Option<&'a [f32]>,
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

/// Reference forward: materialises the full Tq × Tk biased score row per (batch, head, query).
pub fn attention_forward_reference(
    d: &AttentionDims,
    x: &AttentionInputs,
    out: &mut [f32],
    lse: &mut [f32],
) {
    check(d, x);
    let (tq, tk, hd) = (d.q_len, d.k_len, d.head_dim);
    let mut p = vec![0.0f32; tk];
    for b in 0..d.batch {
        for h in 0..d.heads {
            for i in 0..tq {
                let qi = &x.q[d.row(b, i, h, tq)..][..hd];
                let mut max = f32::NEG_INFINITY;
                for (j, pj) in p.iter_mut().enumerate() {
                    let kj = &x.k[d.row(b, j, h, tk)..][..hd];
                    *pj = qi.iter().zip(kj).map(|(a, b)| a * b).sum::<f32>() * d.scale
                        + d.bias(x.key_mask, b, i, j);
                    max = max.max(*pj);
                }
                let sum: f32 = p
                    .iter_mut()
                    .map(|s| {
                        *s = (*s - max).exp();
                        *s
                    })
                    .sum();
                let oi = &mut out[d.row(b, i, h, tq)..][..hd];
                oi.fill(0.0);
                for (j, &pj) in p.iter().enumerate() {
                    let vj = &x.v[d.row(b, j, h, tk)..][..hd];
                    for (o, &vv) in oi.iter_mut().zip(vj) {
                        *o += pj / sum * vv;
                    }
                }
                lse[(b * d.heads + h) * tq + i] = max + sum.ln();
            }
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
    dq[..d.q_size()].fill(0.0);
    dk[..d.k_size()].fill(0.0);
    dv[..d.k_size()].fill(0.0);
    let (mut p, mut dp) = (vec![0.0f32; tk], vec![0.0f32; tk]);
    for b in 0..d.batch {
        for h in 0..d.heads {
            for i in 0..tq {
                let qrow = d.row(b, i, h, tq);
                let mut max = f32::NEG_INFINITY;
                let qi = &x.q[qrow..][..hd];
                let doi = &d_out[qrow..][..hd];
                for j in 0..tk {
                    let krow = d.row(b, j, h, tk);
                    let s = x.q[qrow..][..hd]
                        .iter()
                        .zip(&x.k[krow..][..hd])
                        .map(|(a, b)| a * b)
                        .sum::<f32>()
                        * d.scale;
                    p[j] = s + d.bias(x.key_mask, b, i, j);
                    max = max.max(p[j]);
                    dp[j] = doi.iter().zip(&x.v[krow..][..hd]).map(|(a, b)| a * b).sum();
                }
                // Normalised probabilities from a fresh max and sum, as a composite softmax has.
                let sum: f32 = p
                    .iter_mut()
                    .map(|v| {
                        *v = (*v - max).exp();
                        *v
                    })
                    .sum();
                p.iter_mut().for_each(|v| *v /= sum);
                let rowsum: f32 = p.iter().zip(&dp).map(|(a, b)| a * b).sum();
                for j in 0..tk {
                    let ds = p[j] * (dp[j] - rowsum) * d.scale;
                    let krow = d.row(b, j, h, tk);
                    for c in 0..hd {
                        dq[qrow + c] += ds * x.k[krow + c];
                        dk[krow + c] += ds * qi[c];
                        dv[krow + c] += p[j] * doi[c];
                    }
                }
            }
        }
    }
}

/// Query rows per block: a multiple of the micro-kernels' 4 rows.
const BR: usize = 32;
/// Keys per block: a multiple of the Q·Kᵀ micro-kernel's 8 columns.
const BC: usize = 64;
/// Rows and columns of one register block (4 rows × 2 f32x4), as the matmul's micro-kernel.
const MR: usize = 4;
const NR: usize = 8;

fn round_up(x: usize, to: usize) -> usize {
    x.div_ceil(to) * to
}

/// Scratch for the tiled kernels; reused across calls (the wasm build keeps one per thread).
#[derive(Default)]
pub struct AttentionWorkspace {
    /// Q block, pre-multiplied by the scale: [BR, D] (rows past the block zero).
    q_pack: Vec<f32>,
    /// K of one (batch, head), transposed block by block: [⌈Tk/BC⌉, D, BC] (padding keys zero).
    k_pack: Vec<f32>,
    /// V of one (batch, head): [Tk, Dp], Dp = D rounded up to 8 (padding columns zero).
    v_pack: Vec<f32>,
    /// Scores, then probabilities, of the block: [BR, BC].
    scores: Vec<f32>,
    /// Unnormalised output rows: [BR, Dp].
    acc: Vec<f32>,
    row_max: Vec<f32>,
    row_sum: Vec<f32>,
    delta: Vec<f32>,
    shift: Vec<f32>,
    norm: Vec<f32>,
    // Backward only: dO block [BR, D]; V transposed as K; Q and dO rows [BR, Dp]; dP, then dS,
    // [BR, BC]; Pᵀ and dSᵀ [BC, BR]; one head's dK and dV [⌈Tk/BC⌉·BC, Dp].
    do_pack: Vec<f32>,
    vt_pack: Vec<f32>,
    q_rows: Vec<f32>,
    do_rows: Vec<f32>,
    dp_block: Vec<f32>,
    p_t: Vec<f32>,
    ds_t: Vec<f32>,
    dk_acc: Vec<f32>,
    dv_acc: Vec<f32>,
}

impl AttentionWorkspace {
    pub fn bytes(&self) -> usize {
        4 * (self.q_pack.capacity()
            + self.k_pack.capacity()
            + self.v_pack.capacity()
            + self.scores.capacity()
            + self.acc.capacity()
            + self.row_max.capacity()
            + self.row_sum.capacity()
            + self.delta.capacity()
            + self.shift.capacity()
            + self.norm.capacity()
            + self.do_pack.capacity()
            + self.vt_pack.capacity()
            + self.q_rows.capacity()
            + self.do_rows.capacity()
            + self.dp_block.capacity()
            + self.p_t.capacity()
            + self.ds_t.capacity()
            + self.dk_acc.capacity()
            + self.dv_acc.capacity())
    }
}

/// S[BR, BC] = Qp[BR, D] · Kp[D, BC] over the first `rows_p` rows and `cols_p` columns, in
/// 4 × 8 register blocks (8 f32x4 accumulators, one splat of Q and two loads of Kᵀ per step).
/// Rows r0..r0+4 stop at column `limit(r0)` (rounded up to 8): the rest is causally masked.
///
/// # Safety
/// `q` holds `rows_p · d` floats, `k` `d · BC`, `s` `rows_p · BC`; `rows_p % 4 == 0`,
/// `cols_p % 8 == 0`, `cols_p <= BC`.
#[inline(always)]
unsafe fn scores_block(
    q: *const f32,
    k: *const f32,
    s: *mut f32,
    d: usize,
    rows_p: usize,
    cols_p: usize,
    limit: impl Fn(usize) -> usize,
) {
    for r0 in (0..rows_p).step_by(MR) {
        let qr = q.add(r0 * d);
        for c0 in (0..cols_p.min(limit(r0))).step_by(NR) {
            let mut acc = [[F32x4::zero(); 2]; MR];
            let kc = k.add(c0);
            for t in 0..d {
                let k0 = F32x4::load(kc.add(t * BC));
                let k1 = F32x4::load(kc.add(t * BC + 4));
                for (r, row) in acc.iter_mut().enumerate() {
                    let a = F32x4::load_splat(qr.add(r * d + t));
                    row[0] = row[0].mul_add(a, k0);
                    row[1] = row[1].mul_add(a, k1);
                }
            }
            for (r, row) in acc.iter().enumerate() {
                let p = s.add((r0 + r) * BC + c0);
                row[0].store(p);
                row[1].store(p.add(4));
            }
        }
    }
}

/// Acc[rows_p, Dp] += P[rows_p, cols] · Vp[cols, Dp] (P's rows `ps` floats apart) over `rows_p`
/// rows and `cols` keys, in 4 × 8 register blocks of the accumulator (loaded once, updated over
/// every key, stored once). Rows r0..r0+4 stop at key `limit(r0)`: P is zero past it (causal).
/// The backward runs it on transposed blocks too (Pᵀ·dO, dSᵀ·Q) and for dS·K.
///
/// # Safety
/// `p` holds `rows_p · ps` floats, `v` `cols · dp`, `acc` `rows_p · dp`; `rows_p % 4 == 0`,
/// `dp % 8 == 0`, `cols <= ps`.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn pv_block(
    p: *const f32,
    ps: usize,
    v: *const f32,
    acc: *mut f32,
    dp: usize,
    rows_p: usize,
    cols: usize,
    limit: impl Fn(usize) -> usize,
) {
    for r0 in (0..rows_p).step_by(MR) {
        let pr = p.add(r0 * ps);
        let cols = cols.min(limit(r0));
        for c0 in (0..dp).step_by(NR) {
            let out = acc.add(r0 * dp + c0);
            let mut a: [[F32x4; 2]; MR] = core::array::from_fn(|r| {
                [
                    F32x4::load(out.add(r * dp)),
                    F32x4::load(out.add(r * dp + 4)),
                ]
            });
            let vc = v.add(c0);
            for j in 0..cols {
                let v0 = F32x4::load(vc.add(j * dp));
                let v1 = F32x4::load(vc.add(j * dp + 4));
                for (r, row) in a.iter_mut().enumerate() {
                    let w = F32x4::load_splat(pr.add(r * ps + j));
                    row[0] = row[0].mul_add(w, v0);
                    row[1] = row[1].mul_add(w, v1);
                }
            }
            for (r, row) in a.iter().enumerate() {
                row[0].store(out.add(r * dp));
                row[1].store(out.add(r * dp + 4));
            }
        }
    }
}

/// Maximum of a slice whose length is a multiple of 4.
#[inline(always)]
fn max_of(values: &[f32]) -> f32 {
    debug_assert_eq!(values.len() % 4, 0);
    let mut m = F32x4::splat(f32::NEG_INFINITY);
    for c in values.chunks_exact(4) {
        // SAFETY: four floats.
        m = m.pmax(unsafe { F32x4::load(c.as_ptr()) });
    }
    let mut lanes = [0.0f32; 4];
    // SAFETY: four floats.
    unsafe { m.store(lanes.as_mut_ptr()) };
    lanes[0].max(lanes[1]).max(lanes[2].max(lanes[3]))
}

/// `v = 2^(v − shift)` in place over a slice whose length is a multiple of 4; returns the sum.
#[inline(always)]
fn exp2_shifted_sum(values: &mut [f32], shift: f32, e2: &Exp2Lanes) -> f32 {
    debug_assert_eq!(values.len() % 4, 0);
    let m = F32x4::splat(shift);
    let mut total = F32x4::zero();
    for c in values.chunks_exact_mut(4) {
        // SAFETY: four floats.
        unsafe {
            let e = e2.exp2(F32x4::load(c.as_ptr()) - m);
            e.store(c.as_mut_ptr());
            total = total + e;
        }
    }
    total.horizontal_sum()
}

/// Tiled forward (online softmax). Writes O and the stats; same contract as the reference.
///
/// Per (batch, head) and BR-row query block: Q is packed once (scaled), then each visible key
/// block is packed (K transposed, V padded to 8 columns), its scores come from the 4 × 8
/// Q·Kᵀ micro-kernel, the online-softmax update runs over whole rows (vector max and exp), and
/// the 4 × 8 P·V micro-kernel accumulates into the block's output rows. With `causal`, keys
/// after the block's last query are never touched.
pub fn attention_forward(
    d: &AttentionDims,
    x: &AttentionInputs,
    out: &mut [f32],
    lse: &mut [f32],
    ws: &mut AttentionWorkspace,
) {
    check(d, x);
    let (tq, tk, hd) = (d.q_len, d.k_len, d.head_dim);
    let dp = round_up(hd.max(1), NR);
    let tk_p = round_up(tk, BC);
    // Scores in log2 units (scale·log2 e folded into the packed Q), so the softmax is 2^x.
    let q_scale = d.scale * LOG2_E;
    ws.q_pack.resize(BR * hd, 0.0);
    ws.k_pack.resize(tk_p * hd, 0.0);
    ws.v_pack.resize(tk * dp, 0.0);
    ws.scores.resize(BR * BC, 0.0);
    ws.acc.resize(BR * dp, 0.0);
    let e2 = Exp2Lanes::held(); // constants in registers, not rebuilt per use
    ws.row_max.resize(BR, 0.0);
    ws.row_sum.resize(BR, 0.0);
    for b in 0..d.batch {
        for h in 0..d.heads {
            // Pack K (transposed per key block) and V once per head; every query block reuses them.
            for j in 0..tk_p {
                let (blk, c) = (j / BC, j % BC);
                let dst = &mut ws.k_pack[blk * hd * BC..][..hd * BC];
                if j < tk {
                    let kj = &x.k[d.row(b, j, h, tk)..][..hd];
                    for (t, &v) in kj.iter().enumerate() {
                        dst[t * BC + c] = v;
                    }
                    let vrow = &mut ws.v_pack[j * dp..][..dp];
                    vrow[..hd].copy_from_slice(&x.v[d.row(b, j, h, tk)..][..hd]);
                    vrow[hd..].fill(0.0);
                } else {
                    for t in 0..hd {
                        dst[t * BC + c] = 0.0;
                    }
                }
            }
            for i0 in (0..tq).step_by(BR) {
                let rows = BR.min(tq - i0);
                let rows_p = round_up(rows, MR);
                for r in 0..rows_p {
                    let dst = &mut ws.q_pack[r * hd..][..hd];
                    if r < rows {
                        let src = &x.q[d.row(b, i0 + r, h, tq)..][..hd];
                        for (o, &v) in dst.iter_mut().zip(src) {
                            *o = v * q_scale;
                        }
                    } else {
                        dst.fill(0.0);
                    }
                }
                ws.row_max[..rows].fill(f32::NEG_INFINITY);
                ws.row_sum[..rows].fill(0.0);
                ws.acc[..rows_p * dp].fill(0.0);
                // With `causal`, keys at or after i0 + rows are in every row's future.
                let visible = if d.causal { tk.min(i0 + rows) } else { tk };
                for j0 in (0..visible).step_by(BC) {
                    let cols = BC.min(visible - j0);
                    let cols_p = round_up(cols, NR);
                    // Causal without a key mask: rows r0..r0+4 see keys below i0 + r0 + 4 only.
                    let fast_causal = d.causal && x.key_mask.is_none();
                    let limit = |r0: usize| {
                        if fast_causal {
                            (i0 + r0 + MR).saturating_sub(j0)
                        } else {
                            usize::MAX
                        }
                    };
                    // SAFETY: the buffers were sized above: BR rows, whole key blocks of BC, Dp columns.
                    unsafe {
                        scores_block(
                            ws.q_pack.as_ptr(),
                            ws.k_pack.as_ptr().add(j0 / BC * hd * BC),
                            ws.scores.as_mut_ptr(),
                            hd,
                            rows_p,
                            cols_p,
                            limit,
                        );
                    }
                    for r in 0..rows_p {
                        let s = &mut ws.scores[r * BC..][..cols_p];
                        if r >= rows {
                            s.fill(0.0); // padding rows: no weight, so their accumulators stay 0
                            continue;
                        }
                        let i = i0 + r;
                        // Columns that can carry weight: with a key mask, all of them (biased as
                        // one sum, as the reference adds it); causal only, keys up to i — the
                        // rest have exactly zero probability, so they are zeroed, not exp'd.
                        let live = if x.key_mask.is_some() {
                            for (c, sc) in s[..cols].iter_mut().enumerate() {
                                *sc += d.bias(x.key_mask, b, i, j0 + c) * LOG2_E;
                            }
                            cols
                        } else if d.causal {
                            cols.min((i + 1).saturating_sub(j0))
                        } else {
                            cols
                        };
                        if live == 0 {
                            s.fill(0.0);
                            continue;
                        }
                        let live_p = round_up(live, 4);
                        s[live..live_p].fill(f32::NEG_INFINITY); // exp gives 0 there
                                                                 // P·V reads this row's group up to `limit`: zero what lies past live_p.
                        let read = cols.min(limit(r & !(MR - 1))).max(live_p);
                        s[live_p..read].fill(0.0);
                        let s = &mut s[..live_p];
                        let m_old = ws.row_max[r];
                        let m_new = m_old.max(max_of(s));
                        // 2^(m_old − m_new) on a vector lane: 0 when m_old = −inf (clamped).
                        let alpha = if m_old == m_new {
                            1.0
                        } else {
                            let mut lanes = [0.0f32; 4];
                            // SAFETY: four floats.
                            unsafe {
                                exp2_lean(F32x4::splat(m_old - m_new)).store(lanes.as_mut_ptr())
                            };
                            lanes[0]
                        };
                        if alpha != 1.0 {
                            scale(alpha, &mut ws.acc[r * dp..][..dp]);
                        }
                        let sum = exp2_shifted_sum(s, m_new, &e2);
                        ws.row_sum[r] = ws.row_sum[r] * alpha + sum;
                        ws.row_max[r] = m_new;
                    }
                    // SAFETY: as above; P has rows_p rows of BC, V `cols` rows of Dp.
                    unsafe {
                        pv_block(
                            ws.scores.as_ptr(),
                            BC,
                            ws.v_pack.as_ptr().add(j0 * dp),
                            ws.acc.as_mut_ptr(),
                            dp,
                            rows_p,
                            cols,
                            limit,
                        );
                    }
                }
                if d.causal {
                    // A row that met no real key (all its visible keys are padding) is uniform over
                    // its least-masked keys, and the skipped future keys are among them: fold them in.
                    for r in 0..rows {
                        if ws.row_max[r] <= MASKED_SCORE * LOG2_E / 2.0 {
                            let i = i0 + r;
                            let qi = &x.q[d.row(b, i, h, tq)..][..hd];
                            for j in visible..tk {
                                let sc = (dot(qi, &x.k[d.row(b, j, h, tk)..][..hd]) * d.scale
                                    + d.bias(x.key_mask, b, i, j))
                                    * LOG2_E;
                                let m_new = ws.row_max[r].max(sc);
                                let alpha = (ws.row_max[r] - m_new).exp2();
                                let acc = &mut ws.acc[r * dp..][..hd];
                                if alpha != 1.0 {
                                    scale(alpha, acc);
                                }
                                let p = (sc - m_new).exp2();
                                axpy(p, &x.v[d.row(b, j, h, tk)..][..hd], acc);
                                ws.row_sum[r] = ws.row_sum[r] * alpha + p;
                                ws.row_max[r] = m_new;
                            }
                        }
                    }
                }
                for r in 0..rows {
                    let o = &mut out[d.row(b, i0 + r, h, tq)..][..hd];
                    let l = ws.row_sum[r];
                    let inv = 1.0 / l;
                    for (dst, &a) in o.iter_mut().zip(&ws.acc[r * dp..][..hd]) {
                        *dst = a * inv;
                    }
                    lse[(b * d.heads + h) * tq + i0 + r] = ws.row_max[r] * LN_2 + l.ln();
                }
            }
        }
    }
}

/// The 4 × 4 block at `src` (row stride `src_stride`) transposed into `dst` (row stride
/// `dst_stride`).
///
/// # Safety
/// Four rows of four floats must be readable at `src` and writable at `dst` with those strides.
#[inline(always)]
unsafe fn transpose_block(src: *const f32, src_stride: usize, dst: *mut f32, dst_stride: usize) {
    let block = F32x4::transpose4(core::array::from_fn(|u| {
        F32x4::load(src.add(u * src_stride))
    }));
    for (u, column) in block.iter().enumerate() {
        column.store(dst.add(u * dst_stride));
    }
}

/// Packs one head's rows `[0, len)` of a [B, len, C] tensor transposed block by block:
/// `dst` [⌈len/BC⌉, D, BC] (columns past `len` zero), the right-hand side of [`scores_block`].
fn pack_transposed(
    d: &AttentionDims,
    src: &[f32],
    b: usize,
    h: usize,
    len: usize,
    dst: &mut [f32],
) {
    let hd = d.head_dim;
    // Whole groups of 4 keys (inside one block, as BC is a multiple of 4) and 4 columns at a
    // time: a 4 × 4 transpose in registers; the rest element by element below.
    let (keys4, cols4) = (len - len % 4, hd - hd % 4);
    for j in (0..keys4).step_by(4) {
        let blk = &mut dst[j / BC * hd * BC..][..hd * BC];
        let rows: [&[f32]; 4] = core::array::from_fn(|u| &src[d.row(b, j + u, h, len)..][..hd]);
        for t in (0..cols4).step_by(4) {
            // SAFETY: t + 4 <= hd in each source row; (t + 3)·BC + j % BC + 4 <= hd·BC.
            unsafe {
                let block = F32x4::transpose4(core::array::from_fn(|u| {
                    F32x4::load(rows[u].as_ptr().add(t))
                }));
                for (u, column) in block.iter().enumerate() {
                    column.store(blk.as_mut_ptr().add((t + u) * BC + j % BC));
                }
            }
        }
        for t in cols4..hd {
            for (u, row) in rows.iter().enumerate() {
                blk[t * BC + j % BC + u] = row[t];
            }
        }
    }
    for j in keys4..round_up(len, BC) {
        let blk = &mut dst[j / BC * hd * BC..][..hd * BC];
        let c = j % BC;
        if j < len {
            for (t, &v) in src[d.row(b, j, h, len)..][..hd].iter().enumerate() {
                blk[t * BC + c] = v;
            }
        } else {
            for t in 0..hd {
                blk[t * BC + c] = 0.0;
            }
        }
    }
}

/// Copies one head's rows `[first, first + n)` of a [B, len, C] tensor into `dst` [rows, dp]
/// times `factor` (D columns, then zeros to dp; rows past `n` zero).
#[allow(clippy::too_many_arguments)]
fn pack_rows(
    d: &AttentionDims,
    src: &[f32],
    (b, h, len): (usize, usize, usize),
    first: usize,
    n: usize,
    factor: f32,
    dst: &mut [f32],
    dp: usize,
) {
    let hd = d.head_dim;
    for (r, row) in dst.chunks_exact_mut(dp).enumerate() {
        if r < n {
            let from = &src[d.row(b, first + r, h, len)..][..hd];
            for (o, &v) in row.iter_mut().zip(from) {
                *o = v * factor;
            }
            row[hd..].fill(0.0);
        } else {
            row.fill(0.0);
        }
    }
}

/// Tiled backward from saved O and stats (FlashAttention-2). Overwrites dQ, dK, dV.
///
/// Per (batch, head): K and V are packed transposed (for S = Q·Kᵀ and dP = dO·Vᵀ with the
/// forward's 4 × 8 micro-kernel) and K row-major (for dQ). Per BR-row query block and visible key
/// block: S and dP come from that micro-kernel, P = 2^(S − LSE·log2 e) (scores in log2 units, as
/// the forward) and dS = P ∘ (dP − δ)·scale with δ_i = dO_i·O_i are formed row by row in vector
/// lanes and transposed, then three 4 × 8 P·V-style products accumulate dV += Pᵀ·dO,
/// dK += dSᵀ·Q (per head, in scratch) and dQ += dS·K (per query block). With `causal`, key blocks
/// wholly in a query block's future are skipped and rows stop at their last key. A block holding a
/// row that met no real key (LSE ≈ −1e9, where f32 absorbs ln(sum)) has that row's max and sum
/// redone and is computed in natural units with every key visible, as the reference.
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
    let dp = round_up(hd.max(1), NR);
    let tk_p = round_up(tk, BC);
    ws.delta.resize(tq, 0.0);
    ws.shift.resize(tq, 0.0);
    ws.norm.resize(tq, 0.0);
    ws.q_pack.resize(BR * hd, 0.0);
    ws.do_pack.resize(BR * hd, 0.0);
    ws.k_pack.resize(tk_p * hd, 0.0);
    ws.vt_pack.resize(tk_p * hd, 0.0);
    ws.v_pack.resize(tk_p * dp, 0.0); // K rows here: the right-hand side of dQ += dS·K
    ws.q_rows.resize(BR * dp, 0.0);
    ws.do_rows.resize(BR * dp, 0.0);
    ws.scores.resize(BR * BC, 0.0);
    ws.dp_block.resize(BR * BC, 0.0);
    ws.p_t.resize(BC * BR, 0.0);
    let e2 = Exp2Lanes::held(); // constants in registers, not rebuilt per use
    ws.ds_t.resize(BC * BR, 0.0);
    ws.acc.resize(BR * dp, 0.0);
    ws.dk_acc.resize(tk_p * dp, 0.0);
    ws.dv_acc.resize(tk_p * dp, 0.0);
    let fast_causal = d.causal && x.key_mask.is_none();
    for b in 0..d.batch {
        for h in 0..d.heads {
            for i in 0..tq {
                let row = d.row(b, i, h, tq);
                ws.delta[i] = dot(&d_out[row..][..hd], &out[row..][..hd]);
                // P = exp(S − shift) · norm. Normally shift = LSE and norm = 1; a row that met no
                // real key has LSE ≈ −1e9, where f32 absorbs ln(sum), so its max and sum are redone.
                let stat = lse[(b * d.heads + h) * tq + i];
                (ws.shift[i], ws.norm[i]) = if stat > MASKED_SCORE / 2.0 {
                    (stat, 1.0)
                } else {
                    let qi = &x.q[row..][..hd];
                    let score = |j: usize| {
                        dot(qi, &x.k[d.row(b, j, h, tk)..][..hd]) * d.scale
                            + d.bias(x.key_mask, b, i, j)
                    };
                    let max = (0..tk).map(score).fold(f32::NEG_INFINITY, f32::max);
                    let sum: f32 = (0..tk).map(|j| (score(j) - max).exp()).sum();
                    (max, 1.0 / sum)
                };
            }
            pack_transposed(d, x.k, b, h, tk, &mut ws.k_pack);
            pack_transposed(d, x.v, b, h, tk, &mut ws.vt_pack);
            pack_rows(d, x.k, (b, h, tk), 0, tk, 1.0, &mut ws.v_pack, dp);
            ws.dk_acc.fill(0.0);
            ws.dv_acc.fill(0.0);
            for i0 in (0..tq).step_by(BR) {
                let rows = BR.min(tq - i0);
                let rows_p = round_up(rows, MR);
                // Natural units (exp, every key) when a row of the block met no real key.
                let natural = ws.norm[i0..i0 + rows].iter().any(|&n| n != 1.0);
                let units = if natural { 1.0 } else { LOG2_E };
                for r in 0..rows_p {
                    let (dst, src) = (
                        &mut ws.q_pack[r * hd..][..hd],
                        &mut ws.do_pack[r * hd..][..hd],
                    );
                    if r < rows {
                        let i = d.row(b, i0 + r, h, tq);
                        for (o, &v) in dst.iter_mut().zip(&x.q[i..][..hd]) {
                            *o = v * d.scale * units;
                        }
                        src.copy_from_slice(&d_out[i..][..hd]);
                    } else {
                        dst.fill(0.0);
                        src.fill(0.0);
                    }
                }
                pack_rows(
                    d,
                    x.q,
                    (b, h, tq),
                    i0,
                    rows,
                    1.0,
                    &mut ws.q_rows[..rows_p * dp],
                    dp,
                );
                pack_rows(
                    d,
                    d_out,
                    (b, h, tq),
                    i0,
                    rows,
                    1.0,
                    &mut ws.do_rows[..rows_p * dp],
                    dp,
                );
                ws.acc[..rows_p * dp].fill(0.0);
                let visible = if d.causal && !natural {
                    tk.min(i0 + rows)
                } else {
                    tk
                };
                for j0 in (0..visible).step_by(BC) {
                    let cols = BC.min(visible - j0);
                    let cols_p = round_up(cols, NR);
                    let cut = fast_causal && !natural;
                    let limit = |r0: usize| {
                        if cut {
                            (i0 + r0 + MR).saturating_sub(j0)
                        } else {
                            usize::MAX
                        }
                    };
                    // SAFETY: buffers sized above: BR rows of D, whole key blocks of BC.
                    unsafe {
                        let kb = j0 / BC * hd * BC;
                        scores_block(
                            ws.q_pack.as_ptr(),
                            ws.k_pack.as_ptr().add(kb),
                            ws.scores.as_mut_ptr(),
                            hd,
                            rows_p,
                            cols_p,
                            limit,
                        );
                        scores_block(
                            ws.do_pack.as_ptr(),
                            ws.vt_pack.as_ptr().add(kb),
                            ws.dp_block.as_mut_ptr(),
                            hd,
                            rows_p,
                            cols_p,
                            limit,
                        );
                    }
                    for r in 0..rows_p {
                        let (s, g) = (
                            &mut ws.scores[r * BC..][..cols_p],
                            &mut ws.dp_block[r * BC..][..cols_p],
                        );
                        if r >= rows {
                            s.fill(0.0);
                            g.fill(0.0);
                            continue;
                        }
                        let i = i0 + r;
                        let live = if x.key_mask.is_some() || natural {
                            for (c, sc) in s[..cols].iter_mut().enumerate() {
                                *sc += d.bias(x.key_mask, b, i, j0 + c) * units;
                            }
                            cols
                        } else if d.causal {
                            cols.min((i + 1).saturating_sub(j0))
                        } else {
                            cols
                        };
                        let (shift, norm) = (ws.shift[i] * units, ws.norm[i]);
                        let (delta, sc) = (ws.delta[i], d.scale);
                        let body = live - live % 4;
                        let (vs, vn, vd, vsc) = (
                            F32x4::splat(shift),
                            F32x4::splat(norm),
                            F32x4::splat(delta),
                            F32x4::splat(sc),
                        );
                        for c in (0..body).step_by(4) {
                            // SAFETY: c + 4 <= live <= cols_p.
                            unsafe {
                                let z = F32x4::load(s.as_ptr().add(c)) - vs;
                                let p = if natural { exp(z) * vn } else { e2.exp2(z) };
                                let ds = p * (F32x4::load(g.as_ptr().add(c)) - vd) * vsc;
                                p.store(s.as_mut_ptr().add(c));
                                ds.store(g.as_mut_ptr().add(c));
                            }
                        }
                        for c in body..live {
                            let z = s[c] - shift;
                            let p = if natural { z.exp() * norm } else { z.exp2() };
                            g[c] = p * (g[c] - delta) * sc;
                            s[c] = p;
                        }
                        s[live..].fill(0.0);
                        g[live..].fill(0.0);
                    }
                    // Pᵀ and dSᵀ [cols_p, BR] for the key-side products (query columns past
                    // `rows` are zero: those rows were zeroed above).
                    // 4 × 4 blocks transposed in registers (rows_p and cols_p are multiples of 4).
                    for r in (0..rows_p).step_by(4) {
                        for c in (0..cols_p).step_by(4) {
                            // SAFETY: r + 4 <= rows_p <= BR and c + 4 <= cols_p <= BC, inside
                            // the [BR, BC] blocks and their [BC, BR] transposes.
                            unsafe {
                                transpose_block(
                                    ws.scores.as_ptr().add(r * BC + c),
                                    BC,
                                    ws.p_t.as_mut_ptr().add(c * BR + r),
                                    BR,
                                );
                                transpose_block(
                                    ws.dp_block.as_ptr().add(r * BC + c),
                                    BC,
                                    ws.ds_t.as_mut_ptr().add(c * BR + r),
                                    BR,
                                );
                            }
                        }
                    }
                    // SAFETY: P and dS [rows_p, BC], their transposes [cols_p, BR], Q and dO rows
                    // [rows_p, Dp], K rows and the key accumulators [tk_p, Dp].
                    unsafe {
                        let none = |_: usize| usize::MAX;
                        pv_block(
                            ws.p_t.as_ptr(),
                            BR,
                            ws.do_rows.as_ptr(),
                            ws.dv_acc.as_mut_ptr().add(j0 * dp),
                            dp,
                            cols_p,
                            rows_p,
                            none,
                        );
                        pv_block(
                            ws.ds_t.as_ptr(),
                            BR,
                            ws.q_rows.as_ptr(),
                            ws.dk_acc.as_mut_ptr().add(j0 * dp),
                            dp,
                            cols_p,
                            rows_p,
                            none,
                        );
                        pv_block(
                            ws.dp_block.as_ptr(),
                            BC,
                            ws.v_pack.as_ptr().add(j0 * dp),
                            ws.acc.as_mut_ptr(),
                            dp,
                            rows_p,
                            cols,
                            limit,
                        );
                    }
                }
                for r in 0..rows {
                    dq[d.row(b, i0 + r, h, tq)..][..hd].copy_from_slice(&ws.acc[r * dp..][..hd]);
                }
            }
            for j in 0..tk {
                let at = d.row(b, j, h, tk);
                dk[at..][..hd].copy_from_slice(&ws.dk_acc[j * dp..][..hd]);
                dv[at..][..hd].copy_from_slice(&ws.dv_acc[j * dp..][..hd]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{assert_close, fill};

    fn check_against_reference(d: AttentionDims, mask: Option<Vec<f32>>) {
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
            check_against_reference(dims(1, 1, 1, 1, 1, causal), None);
            check_against_reference(dims(2, 3, 17, 17, 5, causal), None);
            check_against_reference(dims(1, 2, 100, 100, 32, causal), None); // crosses BR and BC blocks
            check_against_reference(dims(2, 2, 70, 130, 8, causal), None); // Tq < Tk
            check_against_reference(dims(1, 2, 33, 20, 3, causal), None); // Tq > Tk, D odd
            check_against_reference(dims(3, 1, 4, 4, 4, causal), None); // one register block
            check_against_reference(dims(1, 1, 65, 129, 9, causal), None); // ragged blocks, D > 8
            check_against_reference(dims(1, 2, 97, 97, 64, causal), None); // D = 64, 4 column tiles
        }
        check_against_reference(dims(2, 2, 9, 130, 8, false), None); // cross-attention, Tq ≠ Tk
    }

    #[test]
    fn key_padding_mask_including_rows_that_see_nothing() {
        let d = dims(2, 2, 70, 70, 12, true);
        let mut mask = vec![1.0; 2 * 70];
        for j in 60..70 {
            mask[j] = 0.0; // batch 0: last ten keys are padding
        }
        mask[70] = 0.0; // batch 1: key 0 masked, so causal query 0 sees nothing
        check_against_reference(d, Some(mask));
        check_against_reference(
            AttentionDims { causal: false, ..d },
            Some(vec![0.0; 2 * 70]),
        );
    }

    #[test]
    fn workspace_is_linear_in_sequence_length_not_quadratic() {
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
        // Q block, one head's K and V (T·D each), BR·BC scores, BR·D accumulators, 2·BR row
        // stats: nothing O(T²) (that would be 1 MiB here).
        assert!(
            ws.bytes() <= 4 * (BR * 16 + 2 * 512 * 16 + BR * BC + BR * 16 + 2 * BR) + 64,
            "{} bytes",
            ws.bytes()
        );
    }
}
