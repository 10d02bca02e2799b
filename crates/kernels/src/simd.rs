//! The one SIMD type kernels use: four f32 lanes.
//!
//! On `wasm32` with `target_feature = "simd128"` it is a `v128`; elsewhere it is `[f32; 4]`
//! so native tests run the very same kernel code. Arithmetic uses the `+ - * /` operators.
//! Built with `target_feature = "relaxed-simd"` as well, [`F32x4::mul_add`] is one
//! `f32x4.relaxed_madd` (fused where the CPU has FMA) instead of a multiply and an add; every
//! kernel's multiply-add loop (matmul micro-kernel, attention, layer norm, GELU, exp) goes
//! through it, so that one method is the whole difference between the two wasm builds.

/// True when this build uses WebAssembly simd128 instructions.
pub const SIMD128: bool = cfg!(all(target_arch = "wasm32", target_feature = "simd128"));

/// True when this build also uses relaxed-simd (`f32x4.relaxed_madd` in [`F32x4::mul_add`]).
pub const RELAXED_SIMD: bool = cfg!(all(
    target_arch = "wasm32",
    target_feature = "simd128",
    target_feature = "relaxed-simd"
));

/// 1.5·2^23: adding it rounds an f32 of magnitude below 2^22 to a whole number, held in the
/// low mantissa bits of the sum (see [`F32x4::round_exp2`]).
pub(crate) const ROUND_SHIFTER: f32 = 12_582_912.0;

/// Implements `+ - * /` for `F32x4` from a lane-wise binary function `$f(a, b)`.
macro_rules! lane_operators {
    ($($trait:ident $method:ident $f:expr;)*) => {$(
        impl core::ops::$trait for F32x4 {
            type Output = Self;
            #[inline(always)]
            fn $method(self, other: Self) -> Self {
                $f(self, other)
            }
        }
    )*};
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::{
        f32x4_add, f32x4_div, f32x4_extract_lane, f32x4_floor, f32x4_max, f32x4_min, f32x4_mul,
        f32x4_pmax, f32x4_pmin, f32x4_splat, f32x4_sqrt, f32x4_sub, i32x4_add, i32x4_shl,
        i32x4_splat, i32x4_trunc_sat_f32x4, v128, v128_load, v128_load32_splat, v128_store,
    };

    use super::ROUND_SHIFTER;

    #[derive(Clone, Copy)]
    #[repr(transparent)]
    pub struct F32x4(v128);

    impl F32x4 {
        #[inline(always)]
        pub fn zero() -> Self {
            Self(f32x4_splat(0.0))
        }
        #[inline(always)]
        pub fn splat(x: f32) -> Self {
            Self(f32x4_splat(x))
        }
        /// Loads four consecutive f32 (no alignment needed).
        ///
        /// # Safety
        /// `p..p+4` must be readable.
        #[inline(always)]
        pub unsafe fn load(p: *const f32) -> Self {
            Self(v128_load(p as *const v128))
        }
        /// Loads one f32 into all four lanes.
        ///
        /// # Safety
        /// `p` must be readable.
        #[inline(always)]
        pub unsafe fn load_splat(p: *const f32) -> Self {
            Self(v128_load32_splat(p as *const u32))
        }
        /// # Safety
        /// `p..p+4` must be writable.
        #[inline(always)]
        pub unsafe fn store(self, p: *mut f32) {
            v128_store(p as *mut v128, self.0)
        }
        /// `self + a * b`, lane-wise (two instructions: simd128 has no fused multiply-add).
        #[cfg(not(target_feature = "relaxed-simd"))]
        #[inline(always)]
        pub fn mul_add(self, a: Self, b: Self) -> Self {
            Self(f32x4_add(self.0, f32x4_mul(a.0, b.0)))
        }
        /// `self + a * b`, lane-wise, as one `f32x4.relaxed_madd`: the engine may fuse it
        /// (one rounding) or not (two), so results can differ from the simd128 build in the
        /// last bit; the conformance tolerances hold for both.
        #[cfg(target_feature = "relaxed-simd")]
        #[inline(always)]
        pub fn mul_add(self, a: Self, b: Self) -> Self {
            Self(core::arch::wasm32::f32x4_relaxed_madd(a.0, b.0, self.0))
        }
        #[inline(always)]
        pub fn sqrt(self) -> Self {
            Self(f32x4_sqrt(self.0))
        }
        /// Sum of the four lanes, as (l0 + l1) + (l2 + l3).
        #[inline(always)]
        pub fn horizontal_sum(self) -> f32 {
            (f32x4_extract_lane::<0>(self.0) + f32x4_extract_lane::<1>(self.0))
                + (f32x4_extract_lane::<2>(self.0) + f32x4_extract_lane::<3>(self.0))
        }
        #[inline(always)]
        pub fn floor(self) -> Self {
            Self(f32x4_floor(self.0))
        }
        #[inline(always)]
        pub fn min(self, other: Self) -> Self {
            Self(f32x4_min(self.0, other.0))
        }
        #[inline(always)]
        pub fn max(self, other: Self) -> Self {
            Self(f32x4_max(self.0, other.0))
        }
        /// 2^k for lanes holding whole numbers k in [-126, 127], built in the exponent bits.
        #[inline(always)]
        pub fn exp2_int(self) -> Self {
            let k = i32x4_trunc_sat_f32x4(self.0);
            Self(i32x4_shl(i32x4_add(k, i32x4_splat(127)), 23))
        }
        /// `other < self ? other : self` lane-wise: one `minps` on x86 (`min` is several, as
        /// it orders NaN and ±0). A NaN in `self` is kept; a NaN in `other` is ignored.
        #[inline(always)]
        pub fn pmin(self, other: Self) -> Self {
            Self(f32x4_pmin(other.0, self.0))
        }
        /// `self < other ? other : self` lane-wise: one `maxps` on x86. A NaN in `self` is kept;
        /// a NaN in `other` is ignored.
        #[inline(always)]
        pub fn pmax(self, other: Self) -> Self {
            Self(f32x4_pmax(self.0, other.0))
        }
        /// For lanes t in [-127.5, 127.5): (k, 2^k) with k = t rounded to nearest, by the
        /// 1.5·2^23 shifter (k lands in the low mantissa bits): no float→int conversion,
        /// which x86 lowers to several instructions. k = −127 gives 2^k = 0.
        #[inline(always)]
        pub fn round_exp2(self) -> (Self, Self) {
            let shifted = f32x4_add(self.0, f32x4_splat(ROUND_SHIFTER));
            let k = f32x4_sub(shifted, f32x4_splat(ROUND_SHIFTER));
            (
                Self(k),
                Self(i32x4_shl(i32x4_add(shifted, i32x4_splat(127)), 23)),
            )
        }
        /// The 4 × 4 transpose of rows `r`: lane j of output i is lane i of `r[j]`
        /// (unpack low/high then move low/high halves: four shuffles each way on x64).
        #[inline(always)]
        pub fn transpose4(r: [Self; 4]) -> [Self; 4] {
            use core::arch::wasm32::i32x4_shuffle;
            let t0 = i32x4_shuffle::<0, 4, 1, 5>(r[0].0, r[1].0);
            let t1 = i32x4_shuffle::<2, 6, 3, 7>(r[0].0, r[1].0);
            let t2 = i32x4_shuffle::<0, 4, 1, 5>(r[2].0, r[3].0);
            let t3 = i32x4_shuffle::<2, 6, 3, 7>(r[2].0, r[3].0);
            [
                Self(i32x4_shuffle::<0, 1, 4, 5>(t0, t2)),
                Self(i32x4_shuffle::<2, 3, 6, 7>(t0, t2)),
                Self(i32x4_shuffle::<0, 1, 4, 5>(t1, t3)),
                Self(i32x4_shuffle::<2, 3, 6, 7>(t1, t3)),
            ]
        }
        /// Four lanes holding the f32 whose bits are `bits`.
        #[inline(always)]
        pub fn from_bits_splat(bits: u32) -> Self {
            Self(i32x4_splat(bits as i32))
        }
        /// 2^k from `self` = k + 1.5·2^23 (the shifter's sum, k in its low mantissa bits) and
        /// `bias` = the lanes with bits 127: (k + 127) << 23, as [`F32x4::round_exp2`] builds it.
        #[inline(always)]
        pub fn exponent_scale(self, bias: Self) -> Self {
            Self(i32x4_shl(i32x4_add(self.0, bias.0), 23))
        }
    }

    lane_operators! {
        Add add |a: F32x4, b: F32x4| F32x4(f32x4_add(a.0, b.0));
        Sub sub |a: F32x4, b: F32x4| F32x4(f32x4_sub(a.0, b.0));
        Mul mul |a: F32x4, b: F32x4| F32x4(f32x4_mul(a.0, b.0));
        Div div |a: F32x4, b: F32x4| F32x4(f32x4_div(a.0, b.0));
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod imp {
    use super::ROUND_SHIFTER;

    #[derive(Clone, Copy)]
    pub struct F32x4([f32; 4]);

    impl F32x4 {
        #[inline(always)]
        pub fn zero() -> Self {
            Self([0.0; 4])
        }
        #[inline(always)]
        pub fn splat(x: f32) -> Self {
            Self([x; 4])
        }
        /// # Safety
        /// `p..p+4` must be readable.
        #[inline(always)]
        pub unsafe fn load(p: *const f32) -> Self {
            Self(core::ptr::read_unaligned(p as *const [f32; 4]))
        }
        /// # Safety
        /// `p` must be readable.
        #[inline(always)]
        pub unsafe fn load_splat(p: *const f32) -> Self {
            Self([*p; 4])
        }
        /// # Safety
        /// `p..p+4` must be writable.
        #[inline(always)]
        pub unsafe fn store(self, p: *mut f32) {
            core::ptr::write_unaligned(p as *mut [f32; 4], self.0)
        }
        #[inline(always)]
        pub fn mul_add(self, a: Self, b: Self) -> Self {
            self + a * b
        }
        #[inline(always)]
        pub fn sqrt(self) -> Self {
            Self(self.0.map(f32::sqrt))
        }
        #[inline(always)]
        pub fn horizontal_sum(self) -> f32 {
            (self.0[0] + self.0[1]) + (self.0[2] + self.0[3])
        }
        #[inline(always)]
        pub fn floor(self) -> Self {
            Self(self.0.map(f32::floor))
        }
        #[inline(always)]
        pub fn min(self, other: Self) -> Self {
            self.zip(other, f32::min)
        }
        #[inline(always)]
        pub fn max(self, other: Self) -> Self {
            self.zip(other, f32::max)
        }
        /// 2^k for lanes holding whole numbers k in [-126, 127], built in the exponent bits.
        #[inline(always)]
        pub fn exp2_int(self) -> Self {
            Self(
                self.0
                    .map(|k| f32::from_bits(((k as i32 + 127) as u32) << 23)),
            )
        }
        /// `other < self ? other : self` lane-wise (as wasm's `f32x4.pmin`).
        #[inline(always)]
        pub fn pmin(self, other: Self) -> Self {
            self.zip(other, |a, b| if b < a { b } else { a })
        }
        /// `self < other ? other : self` lane-wise (as wasm's `f32x4.pmax`).
        #[inline(always)]
        pub fn pmax(self, other: Self) -> Self {
            self.zip(other, |a, b| if a < b { b } else { a })
        }
        /// For lanes t in [-127.5, 127.5): (k, 2^k) with k = t rounded to nearest (ties even),
        /// by the same 1.5·2^23 shifter as the wasm build.
        #[inline(always)]
        pub fn round_exp2(self) -> (Self, Self) {
            let shifted = self.0.map(|t| t + ROUND_SHIFTER);
            (
                Self(shifted.map(|s| s - ROUND_SHIFTER)),
                Self(shifted.map(|s| f32::from_bits(s.to_bits().wrapping_add(127) << 23))),
            )
        }
        /// The 4 × 4 transpose of rows `r`: lane j of output i is lane i of `r[j]`.
        #[inline(always)]
        pub fn transpose4(r: [Self; 4]) -> [Self; 4] {
            core::array::from_fn(|i| Self(core::array::from_fn(|j| r[j].0[i])))
        }
        /// Four lanes holding the f32 whose bits are `bits`.
        #[inline(always)]
        pub fn from_bits_splat(bits: u32) -> Self {
            Self([f32::from_bits(bits); 4])
        }
        /// 2^k from `self` = k + 1.5·2^23 and `bias` = the lanes with bits 127, as the wasm build.
        #[inline(always)]
        pub fn exponent_scale(self, bias: Self) -> Self {
            Self(core::array::from_fn(|i| {
                f32::from_bits(self.0[i].to_bits().wrapping_add(bias.0[i].to_bits()) << 23)
            }))
        }
        #[inline(always)]
        fn zip(self, other: Self, f: impl Fn(f32, f32) -> f32) -> Self {
            Self(core::array::from_fn(|i| f(self.0[i], other.0[i])))
        }
    }

    lane_operators! {
        Add add |a: F32x4, b: F32x4| a.zip(b, |x, y| x + y);
        Sub sub |a: F32x4, b: F32x4| a.zip(b, |x, y| x - y);
        Mul mul |a: F32x4, b: F32x4| a.zip(b, |x, y| x * y);
        Div div |a: F32x4, b: F32x4| a.zip(b, |x, y| x / y);
    }
}

pub use imp::F32x4;
