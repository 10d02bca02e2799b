//! AdamW update (decoupled weight decay, Loshchilov & Hutter; PyTorch's `torch.optim.AdamW`),
//! fused: one pass over parameter, gradient and both moments, in place.
//!
//! p ← p − lr·wd·p;  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
//! p ← p − lr · (m / (1−β₁ᵗ)) / (sqrt(v / (1−β₂ᵗ)) + ε), with t the 1-based step.
//! Fast path: four lanes at a time with `F32x4` (simd128 has sqrt and div).

use crate::simd::F32x4;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamWConfig {
    pub learning_rate: f32,
    pub beta1: f32,
    pub beta2: f32,
    pub eps: f32,
    pub weight_decay: f32,
    /// 1-based step count, for bias correction.
    pub step: u32,
}

pub struct AdamWState<'a> {
    pub param: &'a mut [f32],
    pub m: &'a mut [f32],
    pub v: &'a mut [f32],
}

fn corrections(c: &AdamWConfig) -> (f32, f32) {
    let t = c.step.max(1) as i32;
    (1.0 - c.beta1.powi(t), 1.0 - c.beta2.powi(t))
}

pub fn adamw_reference(c: &AdamWConfig, grad: &[f32], s: AdamWState) {
    let (bc1, bc2) = corrections(c);
    for i in 0..grad.len() {
        let g = grad[i];
        s.param[i] -= c.learning_rate * c.weight_decay * s.param[i];
        s.m[i] = c.beta1 * s.m[i] + (1.0 - c.beta1) * g;
        s.v[i] = c.beta2 * s.v[i] + (1.0 - c.beta2) * g * g;
        s.param[i] -= c.learning_rate * (s.m[i] / bc1) / ((s.v[i] / bc2).sqrt() + c.eps);
    }
}

pub fn adamw(c: &AdamWConfig, grad: &[f32], s: AdamWState) {
    let n = grad.len();
    assert!(
        s.param.len() >= n && s.m.len() >= n && s.v.len() >= n,
        "adamw: state shorter than the gradient ({n})"
    );
    let (bc1, bc2) = corrections(c);
    let decay = F32x4::splat(1.0 - c.learning_rate * c.weight_decay);
    let (b1, one_b1) = (F32x4::splat(c.beta1), F32x4::splat(1.0 - c.beta1));
    let (b2, one_b2) = (F32x4::splat(c.beta2), F32x4::splat(1.0 - c.beta2));
    let (inv_bc1, inv_bc2) = (F32x4::splat(1.0 / bc1), F32x4::splat(1.0 / bc2));
    let (lr, eps) = (F32x4::splat(c.learning_rate), F32x4::splat(c.eps));
    let body = n - n % 4;
    for i in (0..body).step_by(4) {
        // SAFETY: i + 4 <= n <= every slice's length.
        unsafe {
            let g = F32x4::load(grad.as_ptr().add(i));
            let m = (F32x4::load(s.m.as_ptr().add(i)) * b1).mul_add(one_b1, g);
            let v = (F32x4::load(s.v.as_ptr().add(i)) * b2).mul_add(one_b2 * g, g);
            let p = F32x4::load(s.param.as_ptr().add(i)) * decay;
            let update = (m * inv_bc1) / ((v * inv_bc2).sqrt() + eps);
            (p - lr * update).store(s.param.as_mut_ptr().add(i));
            m.store(s.m.as_mut_ptr().add(i));
            v.store(s.v.as_mut_ptr().add(i));
        }
    }
    for i in body..n {
        let g = grad[i];
        s.param[i] *= 1.0 - c.learning_rate * c.weight_decay;
        s.m[i] = c.beta1 * s.m[i] + (1.0 - c.beta1) * g;
        s.v[i] = c.beta2 * s.v[i] + (1.0 - c.beta2) * g * g;
        s.param[i] -= c.learning_rate * (s.m[i] / bc1) / ((s.v[i] / bc2).sqrt() + c.eps);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{assert_close, fill};

    #[test]
    fn fast_matches_reference_over_several_steps() {
        for n in [1, 5, 64, 1027] {
            let mut a = (fill(n, 1), vec![0.0; n], vec![0.0; n]);
            let mut b = a.clone();
            for step in 1..=5 {
                let c = AdamWConfig {
                    learning_rate: 1e-2,
                    beta1: 0.9,
                    beta2: 0.95,
                    eps: 1e-8,
                    weight_decay: 0.1,
                    step,
                };
                let grad = fill(n, 10 + step);
                adamw_reference(
                    &c,
                    &grad,
                    AdamWState {
                        param: &mut a.0,
                        m: &mut a.1,
                        v: &mut a.2,
                    },
                );
                adamw(
                    &c,
                    &grad,
                    AdamWState {
                        param: &mut b.0,
                        m: &mut b.1,
                        v: &mut b.2,
                    },
                );
            }
            assert_close("param", &b.0, &a.0, 1e-5);
            assert_close("m", &b.1, &a.1, 1e-6);
            assert_close("v", &b.2, &a.2, 1e-6);
        }
    }

    #[test]
    fn first_step_moves_each_weight_by_about_the_learning_rate() {
        // With bias correction, step 1 gives m̂ = g and v̂ = g², so |Δp| ≈ lr for any g ≠ 0.
        let c = AdamWConfig {
            learning_rate: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-12,
            weight_decay: 0.0,
            step: 1,
        };
        let mut p = vec![0.5f32; 8];
        let (mut m, mut v) = (vec![0.0; 8], vec![0.0; 8]);
        adamw(
            &c,
            &[3.0, -2.0, 0.1, -0.01, 5.0, -7.0, 1.0, 2.0],
            AdamWState {
                param: &mut p,
                m: &mut m,
                v: &mut v,
            },
        );
        for (i, &x) in p.iter().enumerate() {
            assert!(((x - 0.5).abs() - 1e-3).abs() < 1e-6, "weight {i}: {x}");
        }
    }
}
