//! Bias + GELU, fused: y = gelu(x + b) over the last axis, the tanh approximation of
//! [`crate::gelu`] (GPT-2's `gelu_new`); backward dx = dy · gelu'(x + b), db = Σ_rows dx.
//!
//! Layout: x, y, dy, dx [rows, cols] row-major, b and db [cols]. One pass over memory each way
//! (the unfused path reads and writes x + b as its own tensor, then again for GELU, and reduces
//! dx over rows in a third kernel). Fast path: four columns at a time with `F32x4`, GELU's
//! [`GeluLanes`] (constants held in registers, tanh saturating cleanly to ±1); db accumulates per row into its [cols]
//! output, so it stays in cache; scalar tail for cols not a multiple of 4.

use crate::gelu::GeluLanes;
use crate::simd::F32x4;

const SQRT_2_OVER_PI: f32 = 0.797_884_6;
const COEFF: f32 = 0.044_715;

crate::fused_abi! {
    biasGelu.forward(x: f32[rows * cols], bias: f32[cols], rows: usize, cols: usize)
        -> y: f32[rows * cols];
    biasGelu.backward(x: f32[rows * cols], bias: f32[cols], dy: f32[rows * cols], rows: usize, cols: usize)
        -> { dx: f32[rows * cols], dbias: f32[cols] };
}

fn check(x: &[f32], bias: &[f32], rows: usize, cols: usize) {
    assert!(
        x.len() >= rows * cols && bias.len() >= cols,
        "bias_gelu: operands shorter than [{rows}, {cols}]"
    );
}

#[inline(always)]
fn gelu1(v: f32) -> f32 {
    0.5 * v * (1.0 + (SQRT_2_OVER_PI * (v + COEFF * v * v * v)).tanh())
}

#[inline(always)]
fn gelu_grad1(v: f32) -> f32 {
    let t = (SQRT_2_OVER_PI * (v + COEFF * v * v * v)).tanh();
    let du = SQRT_2_OVER_PI * (1.0 + 3.0 * COEFF * v * v);
    0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * du
}

pub fn bias_gelu_forward_reference(
    x: &[f32],
    bias: &[f32],
    rows: usize,
    cols: usize,
    y: &mut [f32],
) {
    check(x, bias, rows, cols);
    for r in 0..rows {
        for c in 0..cols {
            y[r * cols + c] = gelu1(x[r * cols + c] + bias[c]);
        }
    }
}

/// Overwrites dx and dbias.
#[allow(clippy::too_many_arguments)]
pub fn bias_gelu_backward_reference(
    x: &[f32],
    bias: &[f32],
    dy: &[f32],
    rows: usize,
    cols: usize,
    dx: &mut [f32],
    dbias: &mut [f32],
) {
    check(x, bias, rows, cols);
    dbias[..cols].fill(0.0);
    for r in 0..rows {
        for c in 0..cols {
            let i = r * cols + c;
            let g = dy[i] * gelu_grad1(x[i] + bias[c]);
            dx[i] = g;
            dbias[c] += g;
        }
    }
}

pub fn bias_gelu_forward(x: &[f32], bias: &[f32], rows: usize, cols: usize, y: &mut [f32]) {
    check(x, bias, rows, cols);
    assert!(y.len() >= rows * cols, "bias_gelu: output too short");
    let body = cols - cols % 4;
    let gelu = GeluLanes::new();
    for r in 0..rows {
        let (xr, yr) = (&x[r * cols..][..cols], &mut y[r * cols..][..cols]);
        for c in (0..body).step_by(4) {
            // SAFETY: c + 4 <= body <= cols for the row slices and bias.
            unsafe {
                let v = F32x4::load(xr.as_ptr().add(c)) + F32x4::load(bias.as_ptr().add(c));
                gelu.forward(v).store(yr.as_mut_ptr().add(c));
            }
        }
        for c in body..cols {
            yr[c] = gelu1(xr[c] + bias[c]);
        }
    }
}

/// Overwrites dx and dbias.
#[allow(clippy::too_many_arguments)]
pub fn bias_gelu_backward(
    x: &[f32],
    bias: &[f32],
    dy: &[f32],
    rows: usize,
    cols: usize,
    dx: &mut [f32],
    dbias: &mut [f32],
) {
    check(x, bias, rows, cols);
    assert!(
        dy.len() >= rows * cols && dx.len() >= rows * cols && dbias.len() >= cols,
        "bias_gelu: gradient buffers too short"
    );
    dbias[..cols].fill(0.0);
    let body = cols - cols % 4;
    let gelu = GeluLanes::new();
    for r in 0..rows {
        let (xr, dyr) = (&x[r * cols..][..cols], &dy[r * cols..][..cols]);
        let dxr = &mut dx[r * cols..][..cols];
        for c in (0..body).step_by(4) {
            // SAFETY: c + 4 <= body <= cols for the row slices, bias and dbias.
            unsafe {
                let v = F32x4::load(xr.as_ptr().add(c)) + F32x4::load(bias.as_ptr().add(c));
                let g = F32x4::load(dyr.as_ptr().add(c)) * gelu.grad(v);
                g.store(dxr.as_mut_ptr().add(c));
                (F32x4::load(dbias.as_ptr().add(c)) + g).store(dbias.as_mut_ptr().add(c));
            }
        }
        for c in body..cols {
            let g = dyr[c] * gelu_grad1(xr[c] + bias[c]);
            dxr[c] = g;
            dbias[c] += g;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{assert_close, fill};

    #[test]
    fn fast_matches_reference_on_awkward_shapes() {
        for &(rows, cols) in &[(0, 5), (1, 1), (3, 4), (2, 7), (5, 13), (17, 64), (4, 1030)] {
            let n = rows * cols;
            let x: Vec<f32> = fill(n, 3).iter().map(|v| v * 6.0).collect();
            let bias: Vec<f32> = fill(cols, 7).iter().map(|v| v * 2.0).collect();
            let dy = fill(n, 5);
            let (mut y0, mut y1) = (vec![0.0; n], vec![0.0; n]);
            bias_gelu_forward_reference(&x, &bias, rows, cols, &mut y0);
            bias_gelu_forward(&x, &bias, rows, cols, &mut y1);
            assert_close("y", &y1, &y0, 2e-6);
            let (mut d0, mut d1) = (vec![0.0; n], vec![0.0; n]);
            // Garbage in the outputs: the kernel must overwrite dbias, not add to it.
            let (mut b0, mut b1) = (vec![9.0; cols], vec![9.0; cols]);
            bias_gelu_backward_reference(&x, &bias, &dy, rows, cols, &mut d0, &mut b0);
            bias_gelu_backward(&x, &bias, &dy, rows, cols, &mut d1, &mut b1);
            assert_close("dx", &d1, &d0, 2e-6);
            assert_close("dbias", &b1, &b0, 1e-5);
        }
    }

    #[test]
    fn matches_gelu_of_the_sum_and_saturates() {
        let x = [-100.0, -9.0, 0.0, 9.0, 100.0, 1e-6, 0.5];
        let bias = [0.25; 7];
        let shifted: Vec<f32> = x.iter().map(|v| v + 0.25).collect();
        let (mut want, mut got) = (vec![0.0; 7], vec![0.0; 7]);
        crate::gelu::gelu_forward_reference(&shifted, &mut want);
        bias_gelu_forward(&x, &bias, 1, 7, &mut got);
        assert_close("y", &got, &want, 2e-6);
        assert!(got.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn backward_agrees_with_finite_differences() {
        let (rows, cols) = (3, 6);
        let x = fill(rows * cols, 11);
        let bias = fill(cols, 13);
        let dy = fill(rows * cols, 17);
        let loss = |x: &[f32], b: &[f32]| -> f64 {
            let mut y = vec![0.0; rows * cols];
            bias_gelu_forward_reference(x, b, rows, cols, &mut y);
            y.iter()
                .zip(&dy)
                .map(|(a, b)| (*a as f64) * (*b as f64))
                .sum()
        };
        let (mut dx, mut db) = (vec![0.0; rows * cols], vec![0.0; cols]);
        bias_gelu_backward(&x, &bias, &dy, rows, cols, &mut dx, &mut db);
        let h = 1e-2f32;
        for i in 0..rows * cols {
            let (mut p, mut m) = (x.clone(), x.clone());
            p[i] += h;
            m[i] -= h;
            let fd = (loss(&p, &bias) - loss(&m, &bias)) / (2.0 * h as f64);
            assert!(
                (fd - dx[i] as f64).abs() < 2e-3,
                "dx[{i}]: {fd} vs {}",
                dx[i]
            );
        }
        for c in 0..cols {
            let (mut p, mut m) = (bias.clone(), bias.clone());
            p[c] += h;
            m[c] -= h;
            let fd = (loss(&x, &p) - loss(&x, &m)) / (2.0 * h as f64);
            assert!(
                (fd - db[c] as f64).abs() < 2e-3,
                "db[{c}]: {fd} vs {}",
                db[c]
            );
        }
    }
}
