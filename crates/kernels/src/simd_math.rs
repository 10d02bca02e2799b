//! Transcendental functions on `F32x4` (simd128 has no exp instruction).
//!
//! `exp`: Cephes `expf` — range reduction x = k·ln2 + r with |r| ≤ ln2/2 (ln2 split in a high
//! and a low part for accuracy), a degree-5 minimax polynomial for e^r, and 2^k built in the
//! exponent bits. Relative error ≤ 2e-7 for results in the normal range; below x ≈ −87.68
//! the result is exactly 0 (k = −127 gives a zero scale), so masked scores (−1e9) vanish
//! exactly as with libm, and above 88.37 it saturates near f32::MAX (2^k stays normal).

use crate::simd::{F32x4, ROUND_SHIFTER};

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

/// [`EXP_POLY`] rescaled for 2^r = e^(r·ln2): coefficient i times ln2^(7−i), so that
/// 2^r = 1 + r·(ln2 + r·Σ c_i r^(5−i)) is exactly [`exp`]'s polynomial at y = r·ln2.
const EXP2_POLY: [f32; 6] = [
    1.5279194e-05,
    1.5506794e-04,
    1.3333748e-03,
    9.617928e-03,
    5.5504102e-02,
    2.402265e-01,
];

/// 2^t, lane-wise, for the attention softmax (scores kept in log2 units, so no ln2
/// range reduction is needed): k = round(t) by the 1.5·2^23 shifter, r = t − k exactly in
/// [−½, ½], then [`exp`]'s minimax polynomial rescaled to base 2 ([`EXP2_POLY`]). Relative
/// error ≤ 3e-7 for normal results; t ≤ −127 (−∞ included) gives exactly 0, t ≥ 127
/// saturates near 2^127, NaN stays NaN. Two clamps, two adds for k, one subtract, seven
/// multiply-adds, the exponent shift and one multiply.
#[inline(always)]
pub fn exp2_lean(t: F32x4) -> F32x4 {
    Exp2Lanes::literal().exp2(t)
}

/// [`exp2_lean`] with its constants as values: [`Exp2Lanes::held`] makes them once per kernel
/// call and keeps them in registers across its loops. Left as literals, LLVM folds them back
/// into `v128.const`s at each use inside the loop, and V8 builds each of those from two 64-bit
/// immediates on every iteration (on x64 a `v128.const` is four or five instructions, not a
/// load), which made the GELU loops more than twice as long as their arithmetic. `held` passes
/// the constants through `black_box` once so they stay values. Results are bit-identical to
/// [`exp2_lean`] (same operations in the same order).
#[derive(Clone, Copy)]
pub struct Exp2Lanes {
    low: F32x4,
    high: F32x4,
    shifter: F32x4,
    bias: F32x4,
    poly: [F32x4; 6],
    ln2: F32x4,
    one: F32x4,
}

impl Exp2Lanes {
    /// The constants as literals (what [`exp2_lean`] uses: fine outside hot loops).
    #[inline(always)]
    pub fn literal() -> Self {
        Self {
            low: F32x4::splat(-127.0),
            high: F32x4::splat(127.0),
            shifter: F32x4::splat(ROUND_SHIFTER),
            bias: F32x4::from_bits_splat(127),
            poly: EXP2_POLY.map(F32x4::splat),
            ln2: F32x4::splat(std::f32::consts::LN_2),
            one: F32x4::splat(1.0),
        }
    }

    /// The constants made once and held as values across the caller's loops (see the type's doc).
    #[inline(always)]
    pub fn held() -> Self {
        std::hint::black_box(Self::literal())
    }

    /// 1.0 in every lane.
    #[inline(always)]
    pub fn one(&self) -> F32x4 {
        self.one
    }

    /// 2^t, as [`exp2_lean`].
    #[inline(always)]
    pub fn exp2(&self, t: F32x4) -> F32x4 {
        let t = t.pmax(self.low).pmin(self.high);
        let shifted = t + self.shifter;
        let r = t - (shifted - self.shifter);
        let mut p = self.poly[0];
        for &c in &self.poly[1..] {
            p = c.mul_add(p, r);
        }
        let y = self.ln2.mul_add(r, p);
        self.one.mul_add(r, y) * shifted.exponent_scale(self.bias)
    }
}

/// tanh(scale · x), lane-wise, constants held as [`Exp2Lanes::held`]: 1 − 2/(2^(2·scale·log2e·x) + 1)
/// with [`Exp2Lanes::exp2`], so no float→int conversion, no NaN-ordering min/max, one division.
/// Saturates to exactly ±1 (2^t is 0 below t = −127, huge above); NaN stays NaN. Near 0 the
/// subtraction loses relative (not absolute) accuracy, as the `exp`-based form it replaced.
#[derive(Clone, Copy)]
pub struct TanhLanes {
    exp2: Exp2Lanes,
    scale: F32x4,
    two: F32x4,
}

impl TanhLanes {
    /// Lanes computing tanh(scale · x), constants held (see [`Exp2Lanes`]).
    #[inline(always)]
    pub fn new(scale: f32) -> Self {
        std::hint::black_box(Self {
            exp2: Exp2Lanes::literal(),
            scale: F32x4::splat(2.0 * scale * LOG2_E),
            two: F32x4::splat(2.0),
        })
    }

    /// 1.0 in every lane, from the held registers.
    #[inline(always)]
    pub fn one(&self) -> F32x4 {
        self.exp2.one()
    }

    /// tanh(scale · x).
    #[inline(always)]
    pub fn tanh(&self, x: F32x4) -> F32x4 {
        let one = self.one();
        one - self.two / (self.exp2.exp2(x * self.scale) + one)
    }
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
    fn exp2_lean_is_within_3e7_relative_of_libm_and_saturates() {
        let mut worst = 0.0f32;
        let mut t = -126.0f32;
        while t < 126.9 {
            let mut lanes = [t, t + 0.0173, t + 0.031, t + 0.0437];
            let want = lanes.map(|x| (x as f64).exp2());
            // SAFETY: four floats.
            unsafe { exp2_lean(F32x4::load(lanes.as_ptr())).store(lanes.as_mut_ptr()) };
            for (g, w) in lanes.iter().zip(want) {
                worst = worst.max(((*g as f64 - w) / w).abs() as f32);
            }
            t += 0.0371;
        }
        assert!(worst <= 3e-7, "worst relative error {worst}");
        let mut v = [f32::NEG_INFINITY, -1.44e9, -127.0, f32::NAN];
        // SAFETY: four floats.
        unsafe { exp2_lean(F32x4::load(v.as_ptr())).store(v.as_mut_ptr()) };
        assert_eq!(&v[..3], &[0.0, 0.0, 0.0], "masked scores vanish exactly");
        assert!(v[3].is_nan(), "NaN stays NaN");
        let mut n = [0.0, -1.0, 3.0, 1e9];
        // SAFETY: four floats.
        unsafe { exp2_lean(F32x4::load(n.as_ptr())).store(n.as_mut_ptr()) };
        assert_eq!(&n[..3], &[1.0, 0.5, 8.0]);
        assert!(n[3].is_finite() && n[3] > 1e38);
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
