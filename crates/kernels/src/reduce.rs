//! Reductions over the middle axis of x viewed as [outer, size, inner] → out [outer, inner].
//! Sums accumulate in f64 and round once (as the cpu oracle); max propagates NaN and gives
//! -inf for an empty axis. The fast path for `inner > 1` walks rows of `inner` contiguous
//! values (accumulator row in f64); for `inner == 1` it sums a contiguous run.

crate::op_enum! {
    /// core's `ReduceOp`, in the order of its codes.
    pub enum ReduceOp {
        Sum => "sum",
        Max => "max",
    }
}

#[derive(Clone, Copy, Debug)]
pub struct ReduceDims {
    pub outer: usize,
    pub size: usize,
    pub inner: usize,
}

#[inline(always)]
fn max_step(acc: f64, v: f64) -> f64 {
    if v > acc || v.is_nan() {
        v
    } else {
        acc
    }
}

pub fn reduce_reference(op: ReduceOp, x: &[f32], d: &ReduceDims, out: &mut [f32]) {
    for o in 0..d.outer {
        for j in 0..d.inner {
            let mut acc = if op == ReduceOp::Sum {
                0.0f64
            } else {
                f64::NEG_INFINITY
            };
            for r in 0..d.size {
                let v = x[(o * d.size + r) * d.inner + j] as f64;
                acc = if op == ReduceOp::Sum {
                    acc + v
                } else {
                    max_step(acc, v)
                };
            }
            out[o * d.inner + j] = acc as f32;
        }
    }
}

pub fn reduce(op: ReduceOp, x: &[f32], d: &ReduceDims, out: &mut [f32]) {
    let start = if op == ReduceOp::Sum {
        0.0f64
    } else {
        f64::NEG_INFINITY
    };
    let mut acc = vec![start; d.inner];
    for o in 0..d.outer {
        acc.fill(start);
        for r in 0..d.size {
            let row = &x[(o * d.size + r) * d.inner..][..d.inner];
            if op == ReduceOp::Sum {
                for (a, &v) in acc.iter_mut().zip(row) {
                    *a += v as f64;
                }
            } else {
                for (a, &v) in acc.iter_mut().zip(row) {
                    *a = max_step(*a, v as f64);
                }
            }
        }
        for (dst, &a) in out[o * d.inner..][..d.inner].iter_mut().zip(&acc) {
            *dst = a as f32;
        }
    }
}

pub fn reduce_i32(op: ReduceOp, x: &[i32], d: &ReduceDims, out: &mut [i32]) {
    for o in 0..d.outer {
        for j in 0..d.inner {
            let mut acc = if op == ReduceOp::Sum { 0i32 } else { i32::MIN };
            for r in 0..d.size {
                let v = x[(o * d.size + r) * d.inner + j];
                acc = if op == ReduceOp::Sum {
                    acc.wrapping_add(v)
                } else {
                    acc.max(v)
                };
            }
            out[o * d.inner + j] = acc;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::fill;

    #[test]
    fn fast_matches_reference_for_sum_and_max_on_every_axis_position() {
        let mut x = fill(3 * 7 * 5, 6);
        x[17] = f32::NAN;
        for d in [
            ReduceDims {
                outer: 3,
                size: 7,
                inner: 5,
            },
            ReduceDims {
                outer: 21,
                size: 5,
                inner: 1,
            },
            ReduceDims {
                outer: 1,
                size: 105,
                inner: 1,
            },
            ReduceDims {
                outer: 3,
                size: 0,
                inner: 5,
            },
        ] {
            for op in [ReduceOp::Sum, ReduceOp::Max] {
                let n = d.outer * d.inner;
                let (mut o0, mut o1) = (vec![0.0; n], vec![1.0; n]);
                reduce_reference(op, &x, &d, &mut o0);
                reduce(op, &x, &d, &mut o1);
                for (g, w) in o1.iter().zip(&o0) {
                    assert!(
                        g == w || (g.is_nan() && w.is_nan()),
                        "{op:?} {d:?}: {g} vs {w}"
                    );
                }
            }
        }
    }
}
