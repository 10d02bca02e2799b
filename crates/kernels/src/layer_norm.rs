//! Layer normalisation over the last axis, forward and backward.
//!
//! Layout: X and Y [N, C] row-major, gamma and beta [C], mean and rstd [N] (saved for backward).
//! y = (x − mean) · rstd · gamma + beta with rstd = 1 / sqrt(var + eps), var biased (as PyTorch).
//! Backward: x̂ = (x − mean)·rstd, g = dy·gamma,
//!   dx = rstd · (g − mean(g) − x̂ · mean(g · x̂)), dgamma += Σₙ dy·x̂, dbeta += Σₙ dy.
//! Fast path: rows processed four channels at a time with `F32x4`, two passes per row.

use crate::simd::F32x4;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayerNormDims {
    pub rows: usize,
    pub channels: usize,
    pub eps: f32,
}

/// Saved statistics, one per row.
pub struct LayerNormStats<'a> {
    pub mean: &'a mut [f32],
    pub rstd: &'a mut [f32],
}

fn check(d: &LayerNormDims, x: &[f32], gamma: &[f32], beta: &[f32]) {
    assert!(
        x.len() >= d.rows * d.channels && gamma.len() >= d.channels && beta.len() >= d.channels,
        "layer_norm: operand buffers shorter than {d:?}"
    );
}

pub fn layer_norm_forward_reference(
    d: &LayerNormDims,
    x: &[f32],
    gamma: &[f32],
    beta: &[f32],
    y: &mut [f32],
    stats: LayerNormStats,
) {
    check(d, x, gamma, beta);
    let c = d.channels;
    for n in 0..d.rows {
        let row = &x[n * c..][..c];
        let mean = row.iter().sum::<f32>() / c as f32;
        let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / c as f32;
        let rstd = 1.0 / (var + d.eps).sqrt();
        for i in 0..c {
            y[n * c + i] = (row[i] - mean) * rstd * gamma[i] + beta[i];
        }
        stats.mean[n] = mean;
        stats.rstd[n] = rstd;
    }
}

/// Shared by reference and fast backward tests: plain loops over the formulas above.
#[allow(clippy::too_many_arguments)]
pub fn layer_norm_backward_reference(
    d: &LayerNormDims,
    x: &[f32],
    gamma: &[f32],
    mean: &[f32],
    rstd: &[f32],
    dy: &[f32],
    dx: &mut [f32],
    dgamma: &mut [f32],
    dbeta: &mut [f32],
) {
    let c = d.channels;
    for n in 0..d.rows {
        let (mut g_mean, mut gx_mean) = (0.0f32, 0.0f32);
        for i in 0..c {
            let xhat = (x[n * c + i] - mean[n]) * rstd[n];
            let g = dy[n * c + i] * gamma[i];
            g_mean += g;
            gx_mean += g * xhat;
            dgamma[i] += dy[n * c + i] * xhat;
            dbeta[i] += dy[n * c + i];
        }
        g_mean /= c as f32;
        gx_mean /= c as f32;
        for i in 0..c {
            let xhat = (x[n * c + i] - mean[n]) * rstd[n];
            dx[n * c + i] = rstd[n] * (dy[n * c + i] * gamma[i] - g_mean - xhat * gx_mean);
        }
    }
}

/// Four lanes at a time over channels; scalar tail.
pub fn layer_norm_forward(
    d: &LayerNormDims,
    x: &[f32],
    gamma: &[f32],
    beta: &[f32],
    y: &mut [f32],
    stats: LayerNormStats,
) {
    check(d, x, gamma, beta);
    let c = d.channels;
    let body = c - c % 4;
    for n in 0..d.rows {
        let row = &x[n * c..][..c];
        let mut acc = F32x4::zero();
        for i in (0..body).step_by(4) {
            // SAFETY: i + 4 <= body <= c.
            acc = acc + unsafe { F32x4::load(row.as_ptr().add(i)) };
        }
        let mean = (acc.horizontal_sum() + row[body..].iter().sum::<f32>()) / c as f32;
        let m4 = F32x4::splat(mean);
        let mut acc = F32x4::zero();
        for i in (0..body).step_by(4) {
            // SAFETY: as above.
            let centred = unsafe { F32x4::load(row.as_ptr().add(i)) } - m4;
            acc = acc.mul_add(centred, centred);
        }
        let var = (acc.horizontal_sum()
            + row[body..]
                .iter()
                .map(|v| (v - mean) * (v - mean))
                .sum::<f32>())
            / c as f32;
        let rstd = 1.0 / (var + d.eps).sqrt();
        let r4 = F32x4::splat(rstd);
        let out = &mut y[n * c..][..c];
        for i in (0..body).step_by(4) {
            // SAFETY: i + 4 <= c for x, y, gamma and beta rows.
            unsafe {
                let xhat = (F32x4::load(row.as_ptr().add(i)) - m4) * r4;
                let value = F32x4::load(beta.as_ptr().add(i))
                    .mul_add(xhat, F32x4::load(gamma.as_ptr().add(i)));
                value.store(out.as_mut_ptr().add(i));
            }
        }
        for i in body..c {
            out[i] = (row[i] - mean) * rstd * gamma[i] + beta[i];
        }
        stats.mean[n] = mean;
        stats.rstd[n] = rstd;
    }
}

/// Four lanes at a time; accumulates into dgamma and dbeta, overwrites dx.
#[allow(clippy::too_many_arguments)]
pub fn layer_norm_backward(
    d: &LayerNormDims,
    x: &[f32],
    gamma: &[f32],
    mean: &[f32],
    rstd: &[f32],
    dy: &[f32],
    dx: &mut [f32],
    dgamma: &mut [f32],
    dbeta: &mut [f32],
) {
    let c = d.channels;
    let body = c - c % 4;
    for n in 0..d.rows {
        let (xr, dyr) = (&x[n * c..][..c], &dy[n * c..][..c]);
        let (m4, r4) = (F32x4::splat(mean[n]), F32x4::splat(rstd[n]));
        let (mut g_acc, mut gx_acc) = (F32x4::zero(), F32x4::zero());
        for i in (0..body).step_by(4) {
            // SAFETY: i + 4 <= c for every row slice and for gamma, dgamma, dbeta.
            unsafe {
                let xhat = (F32x4::load(xr.as_ptr().add(i)) - m4) * r4;
                let dyv = F32x4::load(dyr.as_ptr().add(i));
                let g = dyv * F32x4::load(gamma.as_ptr().add(i));
                g_acc = g_acc + g;
                gx_acc = gx_acc.mul_add(g, xhat);
                F32x4::load(dgamma.as_ptr().add(i))
                    .mul_add(dyv, xhat)
                    .store(dgamma.as_mut_ptr().add(i));
                (F32x4::load(dbeta.as_ptr().add(i)) + dyv).store(dbeta.as_mut_ptr().add(i));
            }
        }
        let (mut g_mean, mut gx_mean) = (g_acc.horizontal_sum(), gx_acc.horizontal_sum());
        for i in body..c {
            let xhat = (xr[i] - mean[n]) * rstd[n];
            let g = dyr[i] * gamma[i];
            g_mean += g;
            gx_mean += g * xhat;
            dgamma[i] += dyr[i] * xhat;
            dbeta[i] += dyr[i];
        }
        g_mean /= c as f32;
        gx_mean /= c as f32;
        let (gm4, gxm4) = (F32x4::splat(g_mean), F32x4::splat(gx_mean));
        let dxr = &mut dx[n * c..][..c];
        for i in (0..body).step_by(4) {
            // SAFETY: as above.
            unsafe {
                let xhat = (F32x4::load(xr.as_ptr().add(i)) - m4) * r4;
                let g = F32x4::load(dyr.as_ptr().add(i)) * F32x4::load(gamma.as_ptr().add(i));
                ((g - gm4 - xhat * gxm4) * r4).store(dxr.as_mut_ptr().add(i));
            }
        }
        for i in body..c {
            let xhat = (xr[i] - mean[n]) * rstd[n];
            dxr[i] = rstd[n] * (dyr[i] * gamma[i] - g_mean - xhat * gx_mean);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{assert_close, fill};

    #[test]
    fn fast_matches_reference_forward_and_backward() {
        for (rows, channels) in [(1, 1), (3, 7), (5, 128), (2, 130)] {
            let d = LayerNormDims {
                rows,
                channels,
                eps: 1e-5,
            };
            let x = fill(rows * channels, 3);
            let gamma: Vec<f32> = fill(channels, 5).iter().map(|v| 1.0 + v).collect();
            let beta = fill(channels, 7);
            let dy = fill(rows * channels, 9);
            let (mut y0, mut m0, mut r0) =
                (vec![0.0; rows * channels], vec![0.0; rows], vec![0.0; rows]);
            let (mut y1, mut m1, mut r1) =
                (vec![0.0; rows * channels], vec![0.0; rows], vec![0.0; rows]);
            layer_norm_forward_reference(
                &d,
                &x,
                &gamma,
                &beta,
                &mut y0,
                LayerNormStats {
                    mean: &mut m0,
                    rstd: &mut r0,
                },
            );
            layer_norm_forward(
                &d,
                &x,
                &gamma,
                &beta,
                &mut y1,
                LayerNormStats {
                    mean: &mut m1,
                    rstd: &mut r1,
                },
            );
            assert_close("y", &y1, &y0, 1e-5);
            assert_close("rstd", &r1, &r0, 1e-5);
            let mut g0 = (
                vec![0.0; rows * channels],
                vec![0.0; channels],
                vec![0.0; channels],
            );
            let mut g1 = (
                vec![0.0; rows * channels],
                vec![0.0; channels],
                vec![0.0; channels],
            );
            layer_norm_backward_reference(
                &d, &x, &gamma, &m0, &r0, &dy, &mut g0.0, &mut g0.1, &mut g0.2,
            );
            layer_norm_backward(
                &d, &x, &gamma, &m1, &r1, &dy, &mut g1.0, &mut g1.1, &mut g1.2,
            );
            assert_close("dx", &g1.0, &g0.0, 1e-4);
            assert_close("dgamma", &g1.1, &g0.1, 1e-4);
            assert_close("dbeta", &g1.2, &g0.2, 1e-5);
        }
    }

    #[test]
    fn normalised_rows_have_zero_mean_and_unit_variance() {
        let d = LayerNormDims {
            rows: 2,
            channels: 64,
            eps: 0.0,
        };
        let x = fill(128, 11);
        let (ones, zeros) = (vec![1.0; 64], vec![0.0; 64]);
        let (mut y, mut m, mut r) = (vec![0.0; 128], vec![0.0; 2], vec![0.0; 2]);
        layer_norm_forward(
            &d,
            &x,
            &ones,
            &zeros,
            &mut y,
            LayerNormStats {
                mean: &mut m,
                rstd: &mut r,
            },
        );
        for row in y.chunks(64) {
            let mean = row.iter().sum::<f32>() / 64.0;
            let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / 64.0;
            assert!(
                mean.abs() < 1e-5 && (var - 1.0).abs() < 1e-4,
                "mean {mean}, var {var}"
            );
        }
    }
}
