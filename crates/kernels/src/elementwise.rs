//! Elementwise kernels: unary maps, binary ops with broadcasting, fill and dtype casts.
//!
//! Binary layout: out is contiguous [outShape]; A and B are read at Σ idx_d · stride_d (stride 0
//! where broadcast), as planned by `@wattformer/core`. The reference walks every element with a
//! multi-index; the fast path recognises the two shapes training spends its time in — both
//! operands contiguous, or one operand repeated along the rows (bias add, scaling) — and runs
//! them four lanes at a time, falling back to the reference walk otherwise.
//! f32 semantics follow IEEE; i32 ops wrap, i32 division truncates and yields 0 for x/0 (as
//! JavaScript's Int32Array conversion of ±Infinity does).

use crate::simd::F32x4;
use crate::simd_math::exp;
use crate::strided::{contiguous_strides, Walker};

crate::op_enum! {
    /// core's `UnaryOp`, in the order of its codes.
    pub enum UnaryOp {
        Neg => "neg",
        Exp => "exp",
        Log => "log",
        Tanh => "tanh",
        Sqrt => "sqrt",
        Relu => "relu",
        Step => "step",
    }
}

crate::op_enum! {
    /// core's `BinaryOp`, in the order of its codes.
    pub enum BinaryOp {
        Add => "add",
        Sub => "sub",
        Mul => "mul",
        Div => "div",
        Maximum => "maximum",
        Equal => "equal",
    }
}

impl UnaryOp {
    #[inline(always)]
    fn apply(self, x: f32) -> f32 {
        match self {
            UnaryOp::Neg => -x,
            UnaryOp::Exp => x.exp(),
            UnaryOp::Log => x.ln(),
            UnaryOp::Tanh => x.tanh(),
            UnaryOp::Sqrt => x.sqrt(),
            UnaryOp::Relu => {
                if x > 0.0 {
                    x
                } else {
                    0.0
                }
            }
            UnaryOp::Step => {
                if x > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }
}

impl BinaryOp {
    #[inline(always)]
    fn f32(self, a: f32, b: f32) -> f32 {
        match self {
            BinaryOp::Add => a + b,
            BinaryOp::Sub => a - b,
            BinaryOp::Mul => a * b,
            BinaryOp::Div => a / b,
            // `a >= b ? a : b`: NaN in a is kept only when b is NaN too, as the cpu oracle.
            BinaryOp::Maximum => {
                if a >= b {
                    a
                } else {
                    b
                }
            }
            BinaryOp::Equal => (a == b) as i32 as f32,
        }
    }
    #[inline(always)]
    fn i32(self, a: i32, b: i32) -> i32 {
        match self {
            BinaryOp::Add => a.wrapping_add(b),
            BinaryOp::Sub => a.wrapping_sub(b),
            BinaryOp::Mul => a.wrapping_mul(b),
            BinaryOp::Div => {
                if b == 0 {
                    0
                } else {
                    a.wrapping_div(b)
                }
            }
            BinaryOp::Maximum => a.max(b),
            BinaryOp::Equal => (a == b) as i32,
        }
    }
    #[inline(always)]
    fn lanes(self, a: F32x4, b: F32x4) -> Option<F32x4> {
        match self {
            BinaryOp::Add => Some(a + b),
            BinaryOp::Sub => Some(a - b),
            BinaryOp::Mul => Some(a * b),
            BinaryOp::Div => Some(a / b),
            _ => None,
        }
    }
}

pub fn unary_reference(op: UnaryOp, x: &[f32], y: &mut [f32]) {
    for (o, &v) in y.iter_mut().zip(x) {
        *o = op.apply(v);
    }
}

/// Four lanes for neg/sqrt/relu/step/exp; libm per element for log and tanh.
pub fn unary(op: UnaryOp, x: &[f32], y: &mut [f32]) {
    let n = x.len();
    let body = n - n % 4;
    let lanes: Option<fn(F32x4) -> F32x4> = match op {
        UnaryOp::Neg => Some(|v| F32x4::zero() - v),
        UnaryOp::Sqrt => Some(F32x4::sqrt),
        UnaryOp::Relu => Some(|v| v.max(F32x4::zero())),
        UnaryOp::Exp => Some(exp_exact_edges),
        _ => None,
    };
    let Some(f) = lanes else {
        return unary_reference(op, x, y);
    };
    for i in (0..body).step_by(4) {
        // SAFETY: i + 4 <= n for x and y.
        unsafe { f(F32x4::load(x.as_ptr().add(i))).store(y.as_mut_ptr().add(i)) };
    }
    unary_reference(op, &x[body..], &mut y[body..n]);
}

/// simd exp, but ±inf and NaN lanes are redone in scalar so they match libm exactly.
#[inline(always)]
fn exp_exact_edges(v: F32x4) -> F32x4 {
    let mut lanes = [0.0f32; 4];
    // SAFETY: four floats.
    unsafe { v.store(lanes.as_mut_ptr()) };
    if lanes
        .iter()
        .all(|x| x.is_finite() && *x > -87.0 && *x < 88.0)
    {
        exp(v)
    } else {
        let out = lanes.map(f32::exp);
        // SAFETY: four floats.
        unsafe { F32x4::load(out.as_ptr()) }
    }
}

pub fn unary_i32(op: UnaryOp, x: &[i32], y: &mut [i32]) {
    for (o, &v) in y.iter_mut().zip(x) {
        *o = match op {
            UnaryOp::Neg => v.wrapping_neg(),
            _ => op.apply(v as f32) as i32,
        };
    }
}

pub struct BinaryPlan<'a> {
    pub out_shape: &'a [usize],
    pub a_strides: &'a [isize],
    pub b_strides: &'a [isize],
}

impl BinaryPlan<'_> {
    fn size(&self) -> usize {
        self.out_shape.iter().product()
    }
}

pub fn binary_reference(op: BinaryOp, a: &[f32], b: &[f32], plan: &BinaryPlan, out: &mut [f32]) {
    let mut walk = Walker::new(plan.out_shape, plan.a_strides, plan.b_strides, [0, 0]);
    for o in out[..plan.size()].iter_mut() {
        *o = op.f32(a[walk.offsets[0] as usize], b[walk.offsets[1] as usize]);
        walk.advance();
    }
}

pub fn binary_i32(op: BinaryOp, a: &[i32], b: &[i32], plan: &BinaryPlan, out: &mut [i32]) {
    let mut walk = Walker::new(plan.out_shape, plan.a_strides, plan.b_strides, [0, 0]);
    for o in out[..plan.size()].iter_mut() {
        *o = op.i32(a[walk.offsets[0] as usize], b[walk.offsets[1] as usize]);
        walk.advance();
    }
}

/// Fast path for f32: contiguous ⊕ contiguous, and row-repeated operands, in lanes.
pub fn binary(op: BinaryOp, a: &[f32], b: &[f32], plan: &BinaryPlan, out: &mut [f32]) {
    let size = plan.size();
    let full = contiguous_strides(plan.out_shape);
    let rank = plan.out_shape.len();
    let a_full = plan.a_strides == full.as_slice();
    let b_full = plan.b_strides == full.as_slice();
    // Block-repeated: the operand's strides are the output's contiguous ones on the trailing
    // axes from some `split` on and 0 before it, so it is one block of Π shape[split..] values
    // repeated (a bias row over [rows, C], position embeddings [T, C] over a [B, T, C] batch).
    let repeated = |s: &[isize]| -> Option<usize> {
        let mut split = rank;
        while split > 0 && s[split - 1] == full[split - 1] {
            split -= 1;
        }
        let leading_zero = s[..split].iter().all(|&x| x == 0);
        (split < rank && leading_zero).then(|| plan.out_shape[split..].iter().product())
    };
    if op.lanes(F32x4::zero(), F32x4::zero()).is_none() || size == 0 {
        return binary_reference(op, a, b, plan, out);
    }
    if a_full && b_full {
        lanes_loop(op, &a[..size], &b[..size], &mut out[..size]);
    } else if let Some(inner) = repeated(plan.b_strides).filter(|_| a_full) {
        for (row, o) in out[..size].chunks_exact_mut(inner).enumerate() {
            lanes_loop(op, &a[row * inner..][..inner], &b[..inner], o);
        }
    } else if let Some(inner) = repeated(plan.a_strides).filter(|_| b_full) {
        for (row, o) in out[..size].chunks_exact_mut(inner).enumerate() {
            lanes_loop(op, &a[..inner], &b[row * inner..][..inner], o);
        }
    } else {
        binary_reference(op, a, b, plan, out);
    }
}

#[inline(always)]
fn lanes_loop(op: BinaryOp, a: &[f32], b: &[f32], out: &mut [f32]) {
    let n = out.len();
    let body = n - n % 4;
    for i in (0..body).step_by(4) {
        // SAFETY: i + 4 <= n for a, b and out.
        unsafe {
            let v = op.lanes(
                F32x4::load(a.as_ptr().add(i)),
                F32x4::load(b.as_ptr().add(i)),
            );
            v.unwrap_or(F32x4::zero()).store(out.as_mut_ptr().add(i));
        }
    }
    for i in body..n {
        out[i] = op.f32(a[i], b[i]);
    }
}

/// f32 → i32 truncates toward zero (saturating, NaN → 0); i32 → f32 rounds to nearest.
pub fn cast_f32_to_i32(x: &[f32], y: &mut [i32]) {
    for (o, &v) in y.iter_mut().zip(x) {
        *o = v as i32;
    }
}

pub fn cast_i32_to_f32(x: &[i32], y: &mut [f32]) {
    for (o, &v) in y.iter_mut().zip(x) {
        *o = v as f32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{assert_close, fill};

    #[test]
    fn unary_fast_matches_reference() {
        let mut x: Vec<f32> = fill(103, 3).iter().map(|v| v * 20.0).collect();
        x.extend([
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            -100.0,
            100.0,
            0.0,
        ]);
        for &op in UnaryOp::ALL {
            let input: Vec<f32> = if matches!(op, UnaryOp::Log | UnaryOp::Sqrt) {
                x.iter().map(|v| v.abs()).collect()
            } else {
                x.clone()
            };
            let (mut y0, mut y1) = (vec![0.0; input.len()], vec![0.0; input.len()]);
            unary_reference(op, &input, &mut y0);
            unary(op, &input, &mut y1);
            for (i, (g, w)) in y1.iter().zip(&y0).enumerate() {
                let ok = (g.is_nan() && w.is_nan())
                    || g == w
                    || (g - w).abs() <= 2e-7 * w.abs().max(1e-30);
                assert!(ok, "{op:?}[{i}] x = {}: fast {g}, reference {w}", input[i]);
            }
        }
    }

    #[test]
    fn binary_fast_paths_match_the_strided_walk() {
        // out [3, 5, 6]: full ⊕ full, full ⊕ row-repeated [6], repeated ⊕ full, full ⊕ a
        // repeated [5, 6] block (position embeddings over a batch) and back, and general
        // broadcasts ([3, 1, 6] ⊕ [1, 5, 1], a scalar) that take the reference walk.
        let shape = [3usize, 5, 6];
        let full = [30isize, 6, 1];
        let cases: [(&[isize], &[isize]); 7] = [
            (&full, &full),
            (&full, &[0, 0, 1]),
            (&[0, 0, 1], &full),
            (&full, &[0, 6, 1]),
            (&[0, 6, 1], &full),
            (&[6, 0, 1], &[0, 1, 0]),
            (&full, &[0, 0, 0]),
        ];
        let (a, b) = (
            fill(90, 1),
            fill(90, 2).iter().map(|v| v + 2.0).collect::<Vec<_>>(),
        );
        for &op in BinaryOp::ALL {
            for (a_strides, b_strides) in cases {
                let plan = BinaryPlan {
                    out_shape: &shape,
                    a_strides,
                    b_strides,
                };
                let (mut o0, mut o1) = (vec![0.0; 90], vec![0.0; 90]);
                binary_reference(op, &a, &b, &plan, &mut o0);
                binary(op, &a, &b, &plan, &mut o1);
                assert_close(
                    &format!("{op:?} {a_strides:?} {b_strides:?}"),
                    &o1,
                    &o0,
                    0.0,
                );
            }
        }
        // A spot check against hand arithmetic: [2] + [[10], [20]] → [[12], [22]].
        let mut out = [0.0f32; 2];
        binary(
            BinaryOp::Add,
            &[2.0],
            &[10.0, 20.0],
            &BinaryPlan {
                out_shape: &[2, 1],
                a_strides: &[0, 0],
                b_strides: &[1, 0],
            },
            &mut out,
        );
        assert_eq!(out, [12.0, 22.0]);
    }

    #[test]
    fn integer_ops_wrap_and_never_trap() {
        let plan = BinaryPlan {
            out_shape: &[4],
            a_strides: &[1],
            b_strides: &[1],
        };
        let mut out = [0i32; 4];
        binary_i32(
            BinaryOp::Div,
            &[7, -7, 5, i32::MIN],
            &[2, 2, 0, -1],
            &plan,
            &mut out,
        );
        assert_eq!(out, [3, -3, 0, i32::MIN]);
        binary_i32(
            BinaryOp::Add,
            &[i32::MAX, 1, 2, 3],
            &[1, 1, 1, 1],
            &plan,
            &mut out,
        );
        assert_eq!(out, [i32::MIN, 2, 3, 4]);
        let mut cast = [0i32; 3];
        cast_f32_to_i32(&[-2.7, 2.7, f32::NAN], &mut cast);
        assert_eq!(cast, [-2, 2, 0]);
    }
}
