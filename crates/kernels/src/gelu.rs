//! GELU with the tanh approximation used by GPT-2 (`gelu_new` in Hugging Face):
//! y = ½·x·(1 + tanh(u)), u = √(2/π)·(x + 0.044715·x³);
//! dy/dx = ½·(1 + t) + ½·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²), t = tanh(u).
//! Fast path: [`GeluLanes`], tanh from [`crate::simd_math::TanhLanes`] (saturates cleanly to ±1
//! for large |u|) with every constant held in registers across the loop, four lanes at a time;
//! scalar tail.

use crate::simd::F32x4;
use crate::simd_math::TanhLanes;

const SQRT_2_OVER_PI: f32 = 0.797_884_6;
const COEFF: f32 = 0.044_715;

crate::fused_abi! {
    gelu.forward(x: f32[size], size: usize) -> y: f32[size];
    gelu.backward(x: f32[size], dy: f32[size], size: usize) -> dx: f32[size];
}

pub fn gelu_forward_reference(x: &[f32], y: &mut [f32]) {
    for (o, &v) in y.iter_mut().zip(x) {
        *o = 0.5 * v * (1.0 + (SQRT_2_OVER_PI * (v + COEFF * v * v * v)).tanh());
    }
}

/// dx = dy · GELU'(x).
pub fn gelu_backward_reference(x: &[f32], dy: &[f32], dx: &mut [f32]) {
    for i in 0..x.len() {
        let v = x[i];
        let t = (SQRT_2_OVER_PI * (v + COEFF * v * v * v)).tanh();
        let du = SQRT_2_OVER_PI * (1.0 + 3.0 * COEFF * v * v);
        dx[i] = dy[i] * (0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * du);
    }
}

/// GELU and its derivative on four lanes, constants made once per kernel call (see
/// [`TanhLanes`] for why they are not left as `v128.const`s in the loop).
#[derive(Clone, Copy)]
pub(crate) struct GeluLanes {
    tanh: TanhLanes,
    half: F32x4,
    coeff: F32x4,
    coeff3: F32x4,
    k: F32x4,
}

impl GeluLanes {
    #[inline(always)]
    pub(crate) fn new() -> Self {
        std::hint::black_box(Self {
            tanh: TanhLanes::new(SQRT_2_OVER_PI),
            half: F32x4::splat(0.5),
            coeff: F32x4::splat(COEFF),
            coeff3: F32x4::splat(3.0 * COEFF),
            k: F32x4::splat(SQRT_2_OVER_PI),
        })
    }

    /// gelu(v) = ½·v·(1 + tanh(√(2/π)·(v + c·v³))).
    #[inline(always)]
    pub(crate) fn forward(&self, v: F32x4) -> F32x4 {
        let t = self.tanh.tanh(v.mul_add(self.coeff * v, v * v));
        self.half * v * (self.tanh.one() + t)
    }

    /// gelu'(v).
    #[inline(always)]
    pub(crate) fn grad(&self, v: F32x4) -> F32x4 {
        let one = self.tanh.one();
        let v2 = v * v;
        let t = self.tanh.tanh(v.mul_add(self.coeff * v, v2));
        let du = self.k * one.mul_add(self.coeff3, v2);
        self.half * (one + t) + self.half * v * (one - t * t) * du
    }
}

/// y = GELU(x) over `size` elements.
pub fn gelu_forward(x: &[f32], size: usize, y: &mut [f32]) {
    let (x, n) = (&x[..size], size);
    assert!(y.len() >= n, "gelu: output shorter than input ({n})");
    let body = n - n % 4;
    let gelu = GeluLanes::new();
    for i in (0..body).step_by(4) {
        // SAFETY: i + 4 <= n for x and y.
        unsafe {
            let v = F32x4::load(x.as_ptr().add(i));
            gelu.forward(v).store(y.as_mut_ptr().add(i));
        }
    }
    gelu_forward_reference(&x[body..], &mut y[body..n]);
}

/// dx = dy · GELU'(x) over `size` elements.
pub fn gelu_backward(x: &[f32], dy: &[f32], size: usize, dx: &mut [f32]) {
    let (x, n) = (&x[..size], size);
    assert!(
        dy.len() >= n && dx.len() >= n,
        "gelu: gradient buffers shorter than input ({n})"
    );
    let body = n - n % 4;
    let gelu = GeluLanes::new();
    for i in (0..body).step_by(4) {
        // SAFETY: i + 4 <= n for x, dy and dx.
        unsafe {
            let grad = gelu.grad(F32x4::load(x.as_ptr().add(i)));
            (F32x4::load(dy.as_ptr().add(i)) * grad).store(dx.as_mut_ptr().add(i));
        }
    }
    gelu_backward_reference(&x[body..], &dy[body..n], &mut dx[body..n]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{assert_close, fill};

    #[test]
    fn fast_matches_reference_including_large_inputs() {
        let mut x: Vec<f32> = fill(1031, 3).iter().map(|v| v * 6.0).collect();
        x.extend([-100.0, -9.0, 9.0, 100.0, 0.0, 1e-6]);
        let dy = fill(x.len(), 5);
        let (mut y0, mut y1) = (vec![0.0; x.len()], vec![0.0; x.len()]);
        gelu_forward_reference(&x, &mut y0);
        gelu_forward(&x, x.len(), &mut y1);
        assert_close("y", &y1, &y0, 2e-6);
        let (mut d0, mut d1) = (vec![0.0; x.len()], vec![0.0; x.len()]);
        gelu_backward_reference(&x, &dy, &mut d0);
        gelu_backward(&x, &dy, x.len(), &mut d1);
        assert_close("dx", &d1, &d0, 2e-6);
    }
}
