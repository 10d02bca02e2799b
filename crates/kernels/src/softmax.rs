//! Softmax and log-softmax over the last axis, forward and backward.
//!
//! Layout: x, y, dy, dx [rows, cols] row-major.
//! softmax: y = exp(x − max) / Σ exp(x − max);  dx = y ∘ (dy − Σ dy ∘ y).
//! log-softmax: y = x − max − ln Σ exp(x − max);  dx = dy − exp(y) · Σ dy.
//! Fast path: the exponentials run four lanes at a time with the simd128 `exp`
//! ([`crate::simd_math`]); sums and scaling use `F32x4` with scalar tails.

use crate::simd::F32x4;
use crate::simd_math::exp_in_place;
use crate::vector::{dot, scale};

fn row_max(row: &[f32]) -> f32 {
    row.iter().cloned().fold(f32::NEG_INFINITY, f32::max)
}

pub fn softmax_forward_reference(x: &[f32], rows: usize, cols: usize, y: &mut [f32]) {
    for r in 0..rows {
        let (xr, yr) = (&x[r * cols..][..cols], &mut y[r * cols..][..cols]);
        let max = row_max(xr);
        let mut sum = 0.0f32;
        for (o, &v) in yr.iter_mut().zip(xr) {
            *o = (v - max).exp();
            sum += *o;
        }
        for o in yr.iter_mut() {
            *o /= sum;
        }
    }
}

pub fn softmax_backward_reference(y: &[f32], dy: &[f32], rows: usize, cols: usize, dx: &mut [f32]) {
    for r in 0..rows {
        let (yr, dyr) = (&y[r * cols..][..cols], &dy[r * cols..][..cols]);
        let inner: f32 = yr.iter().zip(dyr).map(|(a, b)| a * b).sum();
        for c in 0..cols {
            dx[r * cols + c] = yr[c] * (dyr[c] - inner);
        }
    }
}

pub fn log_softmax_forward_reference(x: &[f32], rows: usize, cols: usize, y: &mut [f32]) {
    for r in 0..rows {
        let xr = &x[r * cols..][..cols];
        let max = row_max(xr);
        let lse = max + xr.iter().map(|v| (v - max).exp()).sum::<f32>().ln();
        for c in 0..cols {
            y[r * cols + c] = xr[c] - lse;
        }
    }
}

pub fn log_softmax_backward_reference(
    y: &[f32],
    dy: &[f32],
    rows: usize,
    cols: usize,
    dx: &mut [f32],
) {
    for r in 0..rows {
        let dyr = &dy[r * cols..][..cols];
        let total: f32 = dyr.iter().sum();
        for c in 0..cols {
            dx[r * cols + c] = dyr[c] - y[r * cols + c].exp() * total;
        }
    }
}

/// exp(x − max) into `out`, returning the row sum.
fn shifted_exp(xr: &[f32], max: f32, out: &mut [f32]) -> f32 {
    for (o, &v) in out.iter_mut().zip(xr) {
        *o = v - max;
    }
    exp_in_place(out);
    sum(out)
}

fn sum(values: &[f32]) -> f32 {
    let body = values.len() - values.len() % 4;
    let mut acc = F32x4::zero();
    for i in (0..body).step_by(4) {
        // SAFETY: i + 4 <= body.
        acc = acc + unsafe { F32x4::load(values.as_ptr().add(i)) };
    }
    acc.horizontal_sum() + values[body..].iter().sum::<f32>()
}

pub fn softmax_forward(x: &[f32], rows: usize, cols: usize, y: &mut [f32]) {
    for r in 0..rows {
        let (xr, yr) = (&x[r * cols..][..cols], &mut y[r * cols..][..cols]);
        let total = shifted_exp(xr, row_max(xr), yr);
        scale(1.0 / total, yr);
    }
}

pub fn softmax_backward(y: &[f32], dy: &[f32], rows: usize, cols: usize, dx: &mut [f32]) {
    for r in 0..rows {
        let (yr, dyr) = (&y[r * cols..][..cols], &dy[r * cols..][..cols]);
        let inner = dot(yr, dyr);
        for ((o, &a), &g) in dx[r * cols..][..cols].iter_mut().zip(yr).zip(dyr) {
            *o = a * (g - inner);
        }
    }
}

pub fn log_softmax_forward(x: &[f32], rows: usize, cols: usize, y: &mut [f32]) {
    for r in 0..rows {
        let (xr, yr) = (&x[r * cols..][..cols], &mut y[r * cols..][..cols]);
        let max = row_max(xr);
        let lse = max + shifted_exp(xr, max, yr).ln();
        for (o, &v) in yr.iter_mut().zip(xr) {
            *o = v - lse;
        }
    }
}

pub fn log_softmax_backward(y: &[f32], dy: &[f32], rows: usize, cols: usize, dx: &mut [f32]) {
    for r in 0..rows {
        let (yr, dyr) = (&y[r * cols..][..cols], &dy[r * cols..][..cols]);
        let total = sum(dyr);
        let out = &mut dx[r * cols..][..cols];
        out.copy_from_slice(yr);
        exp_in_place(out);
        for (o, &g) in out.iter_mut().zip(dyr) {
            *o = g - *o * total;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{assert_close, fill};

    #[test]
    fn fast_matches_reference() {
        for (rows, cols) in [(1, 1), (3, 7), (4, 256), (2, 1001)] {
            let x: Vec<f32> = fill(rows * cols, 3).iter().map(|v| v * 30.0).collect();
            let dy = fill(rows * cols, 4);
            let n = rows * cols;
            type Pair = (
                fn(&[f32], usize, usize, &mut [f32]),
                fn(&[f32], usize, usize, &mut [f32]),
            );
            type Back = (
                fn(&[f32], &[f32], usize, usize, &mut [f32]),
                fn(&[f32], &[f32], usize, usize, &mut [f32]),
            );
            let cases: [(&str, Pair, Back); 2] = [
                (
                    "softmax",
                    (softmax_forward_reference, softmax_forward),
                    (softmax_backward_reference, softmax_backward),
                ),
                (
                    "logSoftmax",
                    (log_softmax_forward_reference, log_softmax_forward),
                    (log_softmax_backward_reference, log_softmax_backward),
                ),
            ];
            for (name, (fwd_ref, fwd), (bwd_ref, bwd)) in cases {
                let (mut y0, mut y1) = (vec![0.0; n], vec![0.0; n]);
                fwd_ref(&x, rows, cols, &mut y0);
                fwd(&x, rows, cols, &mut y1);
                assert_close(name, &y1, &y0, 2e-6);
                let (mut d0, mut d1) = (vec![0.0; n], vec![0.0; n]);
                bwd_ref(&y0, &dy, rows, cols, &mut d0);
                bwd(&y0, &dy, rows, cols, &mut d1);
                assert_close(name, &d1, &d0, 2e-6);
            }
        }
    }
}
