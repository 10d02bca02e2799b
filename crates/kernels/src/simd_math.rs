//! Transcendental functions on `F32x4` (simd128 has no exp instruction).
//!
//! `exp`: Cephes `expf` — range reduction x = k·ln2 + r with |r| ≤ ln2/2 (ln2 split in a high
//! and a low part for accuracy), a degree-5 minimax polynomial for e^r, and 2^k built in the
//! exponent bits. Relative error ≤ 2e-7 for results in the normal range; below x ≈ −87.68
//! the result is exactly 0 (k = −127 gives a zero scale), so masked scores (−1e9) vanish
//! exactly as with libm, and above 88.37 it saturates near f32::MAX (2^k stays normal).

use crate::simd::F32x4;

const LOG2_E: f32 = std::f32::consts::LOG2_E;
const LN2_HI: f32 = 0.693_359_4;
const LN2_LO: f32 = -2.121_944_4e-4;
const EXP_POLY: [f32; 6] = [
    1.987_569_1e-4,
    1.398_199_9e-3,
    8.333_452e-3,
    4.166_579_6e-2,
    1.666_666_5e-1,
    5.0e-1,
];

#[inline(always)]
pub fn exp(x: F32x4) -> F32x4 {
    let x = x.max(F32x4::splat(-88.0)).min(F32x4::splat(88.37));
    let k = (x * F32x4::splat(LOG2_E) + F32x4::splat(0.5)).floor();
    let r = x - k * F32x4::splat(LN2_HI) - k * F32x4::splat(LN2_LO);
    let mut p = F32x4::splat(EXP_POLY[0]);
    for &c in &EXP_POLY[1..] {
        p = F32x4::splat(c).mul_add(p, r);
    }
    let y = (r + F32x4::splat(1.0)).mul_add(p, r * r);
    y * k.exp2_int()
}

/// `exp` over a slice in place, four lanes at a time; scalar libm on the tail.
pub fn exp_in_place(values: &mut [f32]) {
    let body = values.len() - values.len() % 4;
    for i in (0..body).step_by(4) {
        // SAFETY: i + 4 <= body <= len.
        unsafe {
            let p = values.as_mut_ptr().add(i);
            exp(F32x4::load(p)).store(p);
        }
    }
    for v in &mut values[body..] {
        *v = v.exp();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_is_within_2e7_relative_of_libm() {
        let mut worst = 0.0f32;
        let mut x = -87.0f32;
        while x < 88.0 {
            let mut lanes = [x, x + 0.013, x + 0.029, x + 0.041];
            let want = lanes.map(f32::exp);
            // SAFETY: four floats.
            unsafe { exp(F32x4::load(lanes.as_ptr())).store(lanes.as_mut_ptr()) };
            for (g, w) in lanes.iter().zip(want) {
                worst = worst.max(((g - w) / w).abs());
            }
            x += 0.05;
        }
        assert!(worst <= 2e-7, "worst relative error {worst}");
    }

    #[test]
    fn exp_saturates_instead_of_producing_nan() {
        let mut v = [-1000.0, -88.0, 0.0, 1000.0, 1.0];
        exp_in_place(&mut v);
        assert!(v[0] >= 0.0 && v[0] < 1e-37 && v[1] < 1e-37);
        assert_eq!(v[2], 1.0);
        assert!(v[3].is_finite() && v[3] > 1e38);
        assert_eq!(v[4], 1.0f32.exp());
    }
}
