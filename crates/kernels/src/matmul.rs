//! f32 matrix multiply, `C[p] = op(A[p]) · op(B[p])` for a batch of row-major matrices.
//!
//! Layout (row-major, batch outermost):
//!   A: [batch, M, K], or [batch, K, M] when `trans_a`
//!   B: [batch, K, N], or [batch, N, K] when `trans_b`
//!   C: [batch, M, N]
//!
//! Algorithm (Goto/BLIS blocking): for each KC-deep slice, B is packed into NR-wide column
//! panels (KC × NR, contiguous) and A into MR-tall row panels (MR × KC, k-major), zero-padded
//! at the edges; transposes are resolved while packing, so the micro-kernel sees one layout.
//! The micro-kernel keeps an MR × NR tile of C in registers (MR · NR/4 `F32x4` accumulators)
//! and walks the KC slice with one splat of A and NR/4 vector loads of B per step.
//!
//! A single row of A (M = 1: each step of KV-cached generation) skips the packing, which would
//! read and write all of B for one row, and streams B once (`row_times_matrix`).

use crate::simd::F32x4;

/// Rows of C per micro-tile.
pub const MR: usize = 4;
/// Columns of C per micro-tile (a multiple of 4).
pub const NR: usize = 8;
/// Depth of one packed slice: an MR × KC panel of A and a KC × NR panel of B stay in L1.
const KC: usize = 256;
/// Rows of A packed at once (MC × KC floats, L2-resident).
const MC: usize = 128;
/// Columns of B packed at once (KC × NC floats).
const NC: usize = 2048;
const LANES: usize = NR / 4;
// The packing fast paths move a panel row as one (A) or two (B) F32x4, and A's 4 × 4 blocks
// with one transpose. (MR 5 or 6 with NR 8 measured half the speed in V8: see micro_kernel.)
const _: () = assert!(MR == 4 && NR == 8);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatmulDims {
    pub batch: usize,
    pub m: usize,
    pub n: usize,
    pub k: usize,
    pub trans_a: bool,
    pub trans_b: bool,
}

impl MatmulDims {
    pub fn a_len(&self) -> usize {
        self.batch * self.m * self.k
    }
    pub fn b_len(&self) -> usize {
        self.batch * self.k * self.n
    }
    pub fn c_len(&self) -> usize {
        self.batch * self.m * self.n
    }
}

/// Scalar reference: the textbook triple loop, f32 accumulation in k order.
pub fn matmul_reference(a: &[f32], b: &[f32], c: &mut [f32], d: &MatmulDims) {
    check_lengths(a, b, c, d);
    let (m, n, k) = (d.m, d.n, d.k);
    for p in 0..d.batch {
        let (a, b) = (&a[p * m * k..], &b[p * k * n..]);
        let c = &mut c[p * m * n..];
        for i in 0..m {
            for j in 0..n {
                let mut sum = 0.0f32;
                for q in 0..k {
                    let av = if d.trans_a {
                        a[q * m + i]
                    } else {
                        a[i * k + q]
                    };
                    let bv = if d.trans_b {
                        b[j * k + q]
                    } else {
                        b[q * n + j]
                    };
                    sum += av * bv;
                }
                c[i * n + j] = sum;
            }
        }
    }
}

/// Packing buffers, reused across calls so the hot path does not allocate once warm.
#[derive(Default)]
pub struct MatmulWorkspace {
    packed_a: Vec<f32>,
    packed_b: Vec<f32>,
}

impl MatmulWorkspace {
    /// Bytes currently held by the packing buffers.
    pub fn bytes(&self) -> usize {
        (self.packed_a.capacity() + self.packed_b.capacity()) * 4
    }
}

/// Blocked, packed, SIMD matmul. Same contract and layout as [`matmul_reference`].
pub fn matmul(a: &[f32], b: &[f32], c: &mut [f32], d: &MatmulDims, ws: &mut MatmulWorkspace) {
    check_lengths(a, b, c, d);
    if d.c_len() == 0 {
        return;
    }
    if d.k == 0 {
        c.fill(0.0);
        return;
    }
    let a_need = round_up(d.m.min(MC), MR) * d.k.min(KC);
    let b_need = round_up(d.n.min(NC), NR) * d.k.min(KC);
    if ws.packed_a.len() < a_need {
        ws.packed_a.resize(a_need, 0.0);
    }
    if ws.packed_b.len() < b_need {
        ws.packed_b.resize(b_need, 0.0);
    }
    let (m, n, k) = (d.m, d.n, d.k);
    if m == 1 {
        for p in 0..d.batch {
            row_times_matrix(
                &a[p * k..(p + 1) * k],
                &b[p * k * n..(p + 1) * k * n],
                &mut c[p * n..(p + 1) * n],
                n,
                k,
                d.trans_b,
            );
        }
        return;
    }
    for p in 0..d.batch {
        gemm(
            &a[p * m * k..(p + 1) * m * k],
            &b[p * k * n..(p + 1) * k * n],
            &mut c[p * m * n..(p + 1) * m * n],
            d,
            ws,
        );
    }
}

fn check_lengths(a: &[f32], b: &[f32], c: &[f32], d: &MatmulDims) {
    assert!(
        a.len() >= d.a_len() && b.len() >= d.b_len() && c.len() >= d.c_len(),
        "matmul: operand buffers shorter than {d:?}"
    );
}

fn round_up(x: usize, to: usize) -> usize {
    x.div_ceil(to) * to
}

/// C (1 × n) = a (1 × k, contiguous with or without `trans_a`) · op(B). Without `trans_b`, B is
/// k rows of n: C accumulates a[q] · B[q, ..] four columns at a time, in q order (the
/// reference's order). With `trans_b`, B is n rows of k: C[j] is a 4-lane dot product of a and
/// B[j, ..]. Either way B is read once, sequentially.
fn row_times_matrix(a: &[f32], b: &[f32], c: &mut [f32], n: usize, k: usize, trans_b: bool) {
    let (a, b, c) = (&a[..k], &b[..k * n], &mut c[..n]);
    if trans_b {
        let k4 = k - k % 4;
        for (j, out) in c.iter_mut().enumerate() {
            let row = &b[j * k..(j + 1) * k];
            let mut acc = F32x4::zero();
            for q in (0..k4).step_by(4) {
                // SAFETY: q + 4 <= k4 <= k, inside both `a` and `row`.
                unsafe {
                    acc = acc.mul_add(
                        F32x4::load(a.as_ptr().add(q)),
                        F32x4::load(row.as_ptr().add(q)),
                    )
                };
            }
            let mut sum = acc.horizontal_sum();
            for q in k4..k {
                sum += a[q] * row[q];
            }
            *out = sum;
        }
        return;
    }
    c.fill(0.0);
    let n4 = n - n % 4;
    for (q, &aq) in a.iter().enumerate() {
        let row = &b[q * n..(q + 1) * n];
        let av = F32x4::splat(aq);
        for j in (0..n4).step_by(4) {
            // SAFETY: j + 4 <= n4 <= n, inside both `c` and `row`.
            unsafe {
                let p = c.as_mut_ptr().add(j);
                F32x4::load(p)
                    .mul_add(av, F32x4::load(row.as_ptr().add(j)))
                    .store(p);
            }
        }
        for j in n4..n {
            c[j] += aq * row[j];
        }
    }
}

/// One matrix of the batch.
fn gemm(a: &[f32], b: &[f32], c: &mut [f32], d: &MatmulDims, ws: &mut MatmulWorkspace) {
    let (m, n, k) = (d.m, d.n, d.k);
    for jc in (0..n).step_by(NC) {
        let nc = NC.min(n - jc);
        for pc in (0..k).step_by(KC) {
            let kc = KC.min(k - pc);
            pack_b(b, d, pc, kc, jc, nc, &mut ws.packed_b);
            for ic in (0..m).step_by(MC) {
                let mc = MC.min(m - ic);
                pack_a(a, d, ic, mc, pc, kc, &mut ws.packed_a);
                for jr in (0..nc).step_by(NR) {
                    let nr = NR.min(nc - jr);
                    for ir in (0..mc).step_by(MR) {
                        let mr = MR.min(mc - ir);
                        let offset = (ic + ir) * n + jc + jr;
                        // SAFETY: panels were packed for kc steps (ir*kc and jr*kc are panel
                        // starts) and the tile write stays inside C: rows < m, columns < n.
                        unsafe {
                            micro_kernel(
                                kc,
                                ws.packed_a.as_ptr().add(ir * kc),
                                ws.packed_b.as_ptr().add(jr * kc),
                                c.as_mut_ptr().add(offset),
                                n,
                                mr,
                                nr,
                                pc > 0,
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Packs B[pc..pc+kc, jc..jc+nc] into NR-wide panels: panel t holds, for each q, NR values.
fn pack_b(b: &[f32], d: &MatmulDims, pc: usize, kc: usize, jc: usize, nc: usize, out: &mut [f32]) {
    let (n, k) = (d.n, d.k);
    for j0 in (0..nc).step_by(NR) {
        let width = NR.min(nc - j0);
        let panel = &mut out[j0 * kc..(j0 + NR) * kc];
        if d.trans_b {
            // B stored [N, K]: column j of op(B) is row j of storage.
            for jj in 0..NR {
                if jj < width {
                    let row = &b[(jc + j0 + jj) * k + pc..][..kc];
                    for (q, &v) in row.iter().enumerate() {
                        panel[q * NR + jj] = v;
                    }
                } else {
                    for q in 0..kc {
                        panel[q * NR + jj] = 0.0;
                    }
                }
            }
        } else if width == NR {
            // Whole panels (all but the last): two vector moves per q, not a memcpy call.
            for q in 0..kc {
                let src = &b[(pc + q) * n + jc + j0..][..NR];
                let dst = &mut panel[q * NR..(q + 1) * NR];
                // SAFETY: src and dst hold NR = 8 floats each.
                unsafe {
                    F32x4::load(src.as_ptr()).store(dst.as_mut_ptr());
                    F32x4::load(src.as_ptr().add(4)).store(dst.as_mut_ptr().add(4));
                }
            }
        } else {
            for q in 0..kc {
                let src = &b[(pc + q) * n + jc + j0..][..width];
                let dst = &mut panel[q * NR..(q + 1) * NR];
                dst[..width].copy_from_slice(src);
                dst[width..].fill(0.0);
            }
        }
    }
}

/// Packs A[ic..ic+mc, pc..pc+kc] into MR-tall panels, k-major: panel t holds MR values per q.
fn pack_a(a: &[f32], d: &MatmulDims, ic: usize, mc: usize, pc: usize, kc: usize, out: &mut [f32]) {
    let (m, k) = (d.m, d.k);
    for i0 in (0..mc).step_by(MR) {
        let height = MR.min(mc - i0);
        let panel = &mut out[i0 * kc..(i0 + MR) * kc];
        if d.trans_a && height == MR {
            // A stored [K, M], a whole panel: one vector move per q, not a memcpy call.
            for q in 0..kc {
                let src = &a[(pc + q) * m + ic + i0..][..MR];
                // SAFETY: src and the panel row hold MR = 4 floats each.
                unsafe { F32x4::load(src.as_ptr()).store(panel.as_mut_ptr().add(q * MR)) };
            }
        } else if d.trans_a {
            // A stored [K, M]: row q of storage holds column q of op(A).
            for q in 0..kc {
                let src = &a[(pc + q) * m + ic + i0..][..height];
                let dst = &mut panel[q * MR..(q + 1) * MR];
                dst[..height].copy_from_slice(src);
                dst[height..].fill(0.0);
            }
        } else if height == MR {
            // A whole panel of rows: 4 × 4 blocks transposed in registers, then the tail.
            let rows: [&[f32]; MR] = core::array::from_fn(|ii| &a[(ic + i0 + ii) * k + pc..][..kc]);
            let body = kc - kc % 4;
            for q in (0..body).step_by(4) {
                // SAFETY: q + 4 <= kc for every row, and the panel holds kc · MR floats.
                unsafe {
                    let block = F32x4::transpose4(core::array::from_fn(|ii| {
                        F32x4::load(rows[ii].as_ptr().add(q))
                    }));
                    for (t, column) in block.iter().enumerate() {
                        column.store(panel.as_mut_ptr().add((q + t) * MR));
                    }
                }
            }
            for q in body..kc {
                for ii in 0..MR {
                    panel[q * MR + ii] = rows[ii][q];
                }
            }
        } else {
            for ii in 0..MR {
                if ii < height {
                    let row = &a[(ic + i0 + ii) * k + pc..][..kc];
                    for (q, &v) in row.iter().enumerate() {
                        panel[q * MR + ii] = v;
                    }
                } else {
                    for q in 0..kc {
                        panel[q * MR + ii] = 0.0;
                    }
                }
            }
        }
    }
}

/// MR × NR tile of C (+)= Apanel (MR × kc) · Bpanel (kc × NR).
///
/// # Safety
/// `ap` must hold `kc * MR` floats, `bp` `kc * NR`; rows `0..mr` × columns `0..nr` of `c`
/// (row stride `ldc`) must be writable.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn micro_kernel(
    kc: usize,
    ap: *const f32,
    bp: *const f32,
    c: *mut f32,
    ldc: usize,
    mr: usize,
    nr: usize,
    accumulate: bool,
) {
    let mut acc = [[F32x4::zero(); LANES]; MR];
    // One k step per iteration: unrolling by two (or MR 5 or 6) measured half the speed in V8,
    // whose register allocator then keeps accumulators on the stack.
    for q in 0..kc {
        let bq = bp.add(q * NR);
        let aq = ap.add(q * MR);
        let bv: [F32x4; LANES] = core::array::from_fn(|v| F32x4::load(bq.add(4 * v)));
        for (r, row) in acc.iter_mut().enumerate() {
            let av = F32x4::load_splat(aq.add(r));
            for (v, lane) in row.iter_mut().enumerate() {
                *lane = lane.mul_add(av, bv[v]);
            }
        }
    }
    if mr == MR && nr == NR {
        for (r, row) in acc.iter().enumerate() {
            for (v, lane) in row.iter().enumerate() {
                let p = c.add(r * ldc + 4 * v);
                let value = if accumulate {
                    *lane + F32x4::load(p)
                } else {
                    *lane
                };
                value.store(p);
            }
        }
    } else {
        let mut tile = [0.0f32; MR * NR];
        for (r, row) in acc.iter().enumerate() {
            for (v, lane) in row.iter().enumerate() {
                lane.store(tile.as_mut_ptr().add(r * NR + 4 * v));
            }
        }
        for r in 0..mr {
            for j in 0..nr {
                let p = c.add(r * ldc + j);
                let value = tile[r * NR + j];
                *p = if accumulate { *p + value } else { value };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::fill;

    fn check(d: MatmulDims) {
        let a = fill(d.a_len(), 7);
        let b = fill(d.b_len(), 11);
        let mut expected = vec![f32::NAN; d.c_len()];
        let mut actual = vec![f32::NAN; d.c_len()];
        matmul_reference(&a, &b, &mut expected, &d);
        matmul(&a, &b, &mut actual, &d, &mut MatmulWorkspace::default());
        let scale = (d.k as f32).sqrt().max(1.0);
        for (i, (e, g)) in expected.iter().zip(&actual).enumerate() {
            assert!(
                (e - g).abs() <= 1e-5 * scale * e.abs().max(1.0),
                "{d:?} index {i}: reference {e}, fast {g}"
            );
        }
    }

    const SHAPES: &[(usize, usize, usize, usize)] = &[
        (1, 1, 1, 1),
        (1, 2, 3, 4),
        (1, 7, 13, 11),
        (1, 37, 41, 43),
        (1, 5, 6, 7),
        (1, 4, 8, 16),
        (1, 129, 130, 257),
        (1, 300, 70, 600),
        (1, 17, 2100, 9),
        (3, 17, 19, 23),
        (2, 64, 64, 64),
        // One row of A (the row_times_matrix path): edges of 4 in n and k, a batch.
        (1, 1, 37, 300),
        (1, 1, 5, 3),
        (2, 1, 130, 257),
        (1, 1, 2100, 9),
    ];

    #[test]
    fn fast_path_matches_reference_on_awkward_shapes_and_transposes() {
        for &(batch, m, n, k) in SHAPES {
            for trans_a in [false, true] {
                for trans_b in [false, true] {
                    check(MatmulDims {
                        batch,
                        m,
                        n,
                        k,
                        trans_a,
                        trans_b,
                    });
                }
            }
        }
    }

    #[test]
    fn zero_sized_operands() {
        for (m, n, k) in [(0, 5, 3), (5, 0, 3), (5, 3, 0), (0, 0, 0)] {
            let d = MatmulDims {
                batch: 2,
                m,
                n,
                k,
                trans_a: false,
                trans_b: false,
            };
            let (a, b) = (fill(d.a_len(), 1), fill(d.b_len(), 2));
            let mut c = vec![f32::NAN; d.c_len()];
            matmul(&a, &b, &mut c, &d, &mut MatmulWorkspace::default());
            assert!(
                c.iter().all(|&v| v == 0.0),
                "k = 0 must give zeros, got {c:?}"
            );
        }
    }

    #[test]
    fn workspace_is_reused_without_growing_for_same_shapes() {
        let d = MatmulDims {
            batch: 1,
            m: 64,
            n: 64,
            k: 64,
            trans_a: false,
            trans_b: false,
        };
        let (a, b) = (fill(d.a_len(), 3), fill(d.b_len(), 5));
        let mut c = vec![0.0; d.c_len()];
        let mut ws = MatmulWorkspace::default();
        matmul(&a, &b, &mut c, &d, &mut ws);
        let bytes = ws.bytes();
        matmul(&a, &b, &mut c, &d, &mut ws);
        assert_eq!(ws.bytes(), bytes);
    }

    #[test]
    #[should_panic(expected = "operand buffers shorter")]
    fn short_buffers_are_refused() {
        let d = MatmulDims {
            batch: 1,
            m: 2,
            n: 2,
            k: 2,
            trans_a: false,
            trans_b: false,
        };
        matmul(
            &[0.0; 3],
            &[0.0; 4],
            &mut [0.0; 4],
            &d,
            &mut MatmulWorkspace::default(),
        );
    }
}
