//! Dense vector helpers shared by kernels: dot product and `y += alpha * x` over f32 slices,
//! four lanes at a time with a scalar tail. Lengths must match (checked in debug builds).

use crate::simd::F32x4;

/// `sum(a[i] * b[i])`, four partial sums combined at the end.
#[inline(always)]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len();
    let body = n - n % 4;
    let mut acc = F32x4::zero();
    let mut i = 0;
    while i < body {
        // SAFETY: i + 4 <= body <= len of both slices.
        unsafe {
            acc = acc.mul_add(
                F32x4::load(a.as_ptr().add(i)),
                F32x4::load(b.as_ptr().add(i)),
            )
        };
        i += 4;
    }
    let mut lanes = [0.0f32; 4];
    // SAFETY: `lanes` holds four floats.
    unsafe { acc.store(lanes.as_mut_ptr()) };
    let mut sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
    for j in body..n {
        sum += a[j] * b[j];
    }
    sum
}

/// `y[i] += alpha * x[i]`.
#[inline(always)]
pub fn axpy(alpha: f32, x: &[f32], y: &mut [f32]) {
    debug_assert_eq!(x.len(), y.len());
    let n = x.len();
    let body = n - n % 4;
    let a = F32x4::splat(alpha);
    let mut i = 0;
    while i < body {
        // SAFETY: i + 4 <= body <= len of both slices.
        unsafe {
            let yp = y.as_mut_ptr().add(i);
            F32x4::load(yp)
                .mul_add(a, F32x4::load(x.as_ptr().add(i)))
                .store(yp);
        }
        i += 4;
    }
    for j in body..n {
        y[j] += alpha * x[j];
    }
}

/// `y[i] *= alpha`.
#[inline(always)]
pub fn scale(alpha: f32, y: &mut [f32]) {
    for v in y.iter_mut() {
        *v *= alpha;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_and_axpy_match_scalar_loops_for_every_tail_length() {
        for n in 0..19 {
            let a: Vec<f32> = (0..n).map(|i| i as f32 * 0.5 - 2.0).collect();
            let b: Vec<f32> = (0..n).map(|i| 1.0 - i as f32 * 0.25).collect();
            let want: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!(
                (dot(&a, &b) - want).abs() <= 1e-5 * want.abs().max(1.0),
                "n = {n}"
            );
            let mut y = b.clone();
            axpy(3.0, &a, &mut y);
            for i in 0..n {
                assert_eq!(y[i], b[i] + 3.0 * a[i], "n = {n}, i = {i}");
            }
        }
    }
}
