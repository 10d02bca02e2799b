//! Residual add + layer norm, fused: sum = x + r, y = LayerNorm(sum)·γ + β over the last axis,
//! keeping `sum` (the next residual stream of a pre-LN Transformer block) and `stats` [2, rows]
//! (each row's mean, then each rstd) for backward. The add's backward is the identity, so backward is layer norm's on
//! `sum` ([`crate::layer_norm`]), with dγ and dβ overwritten rather than accumulated.
//!
//! Layout: x, r, sum, y [rows, cols] row-major, γ and β [cols], stats [2, rows]; var is
//! biased (as PyTorch). Fast path, per row with `F32x4`: one pass writes sum and accumulates its
//! mean, a second its centred squares, a third y — three passes over a row in cache where the
//! unfused path writes the sum as its own tensor and then reads it back three times.

use crate::layer_norm::{layer_norm_backward, LayerNormDims};
use crate::simd::F32x4;

crate::fused_abi! {
    addLayerNorm.forward(x: f32[rows * cols], residual: f32[rows * cols], gamma: f32[cols], beta: f32[cols], rows: usize, cols: usize, epsilon: f32)
        -> { sum: f32[rows * cols], y: f32[rows * cols], stats: f32[2 * rows] };
    addLayerNorm.backward(dy: f32[rows * cols], sum: f32[rows * cols], gamma: f32[cols], stats: f32[2 * rows], rows: usize, cols: usize)
        -> { dx: f32[rows * cols], dgamma: f32[cols], dbeta: f32[cols] };
}

fn check(x: &[f32], residual: &[f32], gamma: &[f32], beta: &[f32], rows: usize, cols: usize) {
    assert!(
        x.len() >= rows * cols
            && residual.len() >= rows * cols
            && gamma.len() >= cols
            && beta.len() >= cols,
        "add_layer_norm: operands shorter than [{rows}, {cols}]"
    );
}

#[allow(clippy::too_many_arguments)]
pub fn add_layer_norm_forward_reference(
    x: &[f32],
    residual: &[f32],
    gamma: &[f32],
    beta: &[f32],
    rows: usize,
    cols: usize,
    epsilon: f32,
    sum: &mut [f32],
    y: &mut [f32],
    stats: &mut [f32],
) {
    check(x, residual, gamma, beta, rows, cols);
    let (mean, rstd) = stats[..2 * rows].split_at_mut(rows);
    for i in 0..rows * cols {
        sum[i] = x[i] + residual[i];
    }
    for n in 0..rows {
        let row = &sum[n * cols..][..cols];
        let m = row.iter().sum::<f32>() / cols as f32;
        let var = row.iter().map(|v| (v - m) * (v - m)).sum::<f32>() / cols as f32;
        let s = 1.0 / (var + epsilon).sqrt();
        for i in 0..cols {
            y[n * cols + i] = (row[i] - m) * s * gamma[i] + beta[i];
        }
        mean[n] = m;
        rstd[n] = s;
    }
}

#[allow(clippy::too_many_arguments)]
pub fn add_layer_norm_forward(
    x: &[f32],
    residual: &[f32],
    gamma: &[f32],
    beta: &[f32],
    rows: usize,
    cols: usize,
    epsilon: f32,
    sum: &mut [f32],
    y: &mut [f32],
    stats: &mut [f32],
) {
    check(x, residual, gamma, beta, rows, cols);
    assert!(
        sum.len() >= rows * cols && y.len() >= rows * cols && stats.len() >= 2 * rows,
        "add_layer_norm: outputs shorter than [{rows}, {cols}]"
    );
    let (mean, rstd) = stats[..2 * rows].split_at_mut(rows);
    let body = cols - cols % 4;
    for n in 0..rows {
        let (xr, rr) = (&x[n * cols..][..cols], &residual[n * cols..][..cols]);
        let sr = &mut sum[n * cols..][..cols];
        let mut acc = F32x4::zero();
        for i in (0..body).step_by(4) {
            // SAFETY: i + 4 <= body <= cols for every row slice.
            unsafe {
                let s = F32x4::load(xr.as_ptr().add(i)) + F32x4::load(rr.as_ptr().add(i));
                s.store(sr.as_mut_ptr().add(i));
                acc = acc + s;
            }
        }
        let mut tail = 0.0f32;
        for i in body..cols {
            sr[i] = xr[i] + rr[i];
            tail += sr[i];
        }
        let m = (acc.horizontal_sum() + tail) / cols as f32;
        let m4 = F32x4::splat(m);
        let mut acc = F32x4::zero();
        for i in (0..body).step_by(4) {
            // SAFETY: as above.
            let centred = unsafe { F32x4::load(sr.as_ptr().add(i)) } - m4;
            acc = acc.mul_add(centred, centred);
        }
        let tail: f32 = sr[body..].iter().map(|v| (v - m) * (v - m)).sum();
        let s = 1.0 / ((acc.horizontal_sum() + tail) / cols as f32 + epsilon).sqrt();
        let s4 = F32x4::splat(s);
        let yr = &mut y[n * cols..][..cols];
        for i in (0..body).step_by(4) {
            // SAFETY: i + 4 <= cols for the row slices, gamma and beta.
            unsafe {
                let xhat = (F32x4::load(sr.as_ptr().add(i)) - m4) * s4;
                F32x4::load(beta.as_ptr().add(i))
                    .mul_add(xhat, F32x4::load(gamma.as_ptr().add(i)))
                    .store(yr.as_mut_ptr().add(i));
            }
        }
        for i in body..cols {
            yr[i] = (sr[i] - m) * s * gamma[i] + beta[i];
        }
        mean[n] = m;
        rstd[n] = s;
    }
}

/// Overwrites dx, dgamma and dbeta (layer norm's backward on `sum`; the add passes dx through).
#[allow(clippy::too_many_arguments)]
pub fn add_layer_norm_backward(
    dy: &[f32],
    sum: &[f32],
    gamma: &[f32],
    stats: &[f32],
    rows: usize,
    cols: usize,
    dx: &mut [f32],
    dgamma: &mut [f32],
    dbeta: &mut [f32],
) {
    dgamma[..cols].fill(0.0);
    dbeta[..cols].fill(0.0);
    let (mean, rstd) = stats[..2 * rows].split_at(rows);
    let d = LayerNormDims {
        rows,
        channels: cols,
        eps: 0.0,
    };
    layer_norm_backward(&d, sum, gamma, mean, rstd, dy, dx, dgamma, dbeta);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer_norm::{
        layer_norm_backward_reference, layer_norm_forward_reference, LayerNormStats,
    };
    use crate::test_util::{assert_close, fill};

    #[test]
    fn fast_matches_reference_and_the_unfused_pair_on_awkward_shapes() {
        for &(rows, cols) in &[(0, 4), (1, 1), (2, 3), (3, 8), (5, 13), (4, 130)] {
            let n = rows * cols;
            let x = fill(n, 3);
            let r: Vec<f32> = fill(n, 5).iter().map(|v| v * 3.0 + 1.0).collect();
            let gamma: Vec<f32> = fill(cols, 7).iter().map(|v| v + 1.0).collect();
            let beta = fill(cols, 9);
            let outputs = || (vec![0.0; n], vec![0.0; n], vec![0.0; 2 * rows]);
            let (mut s0, mut y0, mut st0) = outputs();
            let (mut s1, mut y1, mut st1) = outputs();
            add_layer_norm_forward_reference(
                &x, &r, &gamma, &beta, rows, cols, 1e-5, &mut s0, &mut y0, &mut st0,
            );
            add_layer_norm_forward(
                &x, &r, &gamma, &beta, rows, cols, 1e-5, &mut s1, &mut y1, &mut st1,
            );
            assert_close("sum", &s1, &s0, 0.0);
            assert_close("y", &y1, &y0, 2e-5);
            assert_close("stats", &st1, &st0, 2e-5);
            let (m0, r0) = st0.split_at(rows);
            // The unfused pair: layer norm of the sum.
            let (mut y2, mut m2, mut r2) = (vec![0.0; n], vec![0.0; rows], vec![0.0; rows]);
            let d = LayerNormDims {
                rows,
                channels: cols,
                eps: 1e-5,
            };
            layer_norm_forward_reference(
                &d,
                &s0,
                &gamma,
                &beta,
                &mut y2,
                LayerNormStats {
                    mean: &mut m2,
                    rstd: &mut r2,
                },
            );
            assert_close("y vs layer norm", &y1, &y2, 2e-5);

            let dy = fill(n, 11);
            let (mut dx, mut dg, mut db) = (vec![0.0; n], vec![5.0; cols], vec![5.0; cols]);
            add_layer_norm_backward(
                &dy, &s1, &gamma, &st1, rows, cols, &mut dx, &mut dg, &mut db,
            );
            let (mut dx2, mut dg2, mut db2) = (vec![0.0; n], vec![0.0; cols], vec![0.0; cols]);
            layer_norm_backward_reference(
                &d, &s0, &gamma, m0, r0, &dy, &mut dx2, &mut dg2, &mut db2,
            );
            assert_close("dx", &dx, &dx2, 1e-4);
            assert_close("dgamma", &dg, &dg2, 1e-4);
            assert_close("dbeta", &db, &db2, 1e-5);
        }
    }
}
