//! Gather along an axis and its adjoint, scatter-add (the embedding gradient).
//!
//! Layout: x viewed as [outer, axisSize, inner]; indices [count] (i32); out [outer, count, inner].
//! scatter_add sums updates [outer, count, inner] into zeros [outer, axisSize, inner]; repeated
//! indices accumulate. Indices are all checked before anything is written; a bad one is reported
//! as `Err(position)` so the caller can name it. Rows move as whole slices (memcpy / axpy).

use crate::vector::axpy;

#[derive(Clone, Copy, Debug)]
pub struct GatherDims {
    pub outer: usize,
    pub axis_size: usize,
    pub inner: usize,
    pub count: usize,
}

fn check(indices: &[i32], d: &GatherDims) -> Result<(), usize> {
    match indices[..d.count]
        .iter()
        .position(|&i| i < 0 || i as usize >= d.axis_size)
    {
        Some(position) => Err(position),
        None => Ok(()),
    }
}

/// Works on 4-byte words so f32 and i32 share it.
pub fn gather(x: &[u32], indices: &[i32], d: &GatherDims, out: &mut [u32]) -> Result<(), usize> {
    check(indices, d)?;
    for o in 0..d.outer {
        for (c, &index) in indices[..d.count].iter().enumerate() {
            let from = (o * d.axis_size + index as usize) * d.inner;
            out[(o * d.count + c) * d.inner..][..d.inner].copy_from_slice(&x[from..from + d.inner]);
        }
    }
    Ok(())
}

pub fn scatter_add_reference(
    updates: &[f32],
    indices: &[i32],
    d: &GatherDims,
    out: &mut [f32],
) -> Result<(), usize> {
    check(indices, d)?;
    out[..d.outer * d.axis_size * d.inner].fill(0.0);
    for o in 0..d.outer {
        for (c, &index) in indices[..d.count].iter().enumerate() {
            for j in 0..d.inner {
                out[(o * d.axis_size + index as usize) * d.inner + j] +=
                    updates[(o * d.count + c) * d.inner + j];
            }
        }
    }
    Ok(())
}

pub fn scatter_add(
    updates: &[f32],
    indices: &[i32],
    d: &GatherDims,
    out: &mut [f32],
) -> Result<(), usize> {
    check(indices, d)?;
    out[..d.outer * d.axis_size * d.inner].fill(0.0);
    for o in 0..d.outer {
        for (c, &index) in indices[..d.count].iter().enumerate() {
            let to = (o * d.axis_size + index as usize) * d.inner;
            axpy(
                1.0,
                &updates[(o * d.count + c) * d.inner..][..d.inner],
                &mut out[to..to + d.inner],
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{assert_close, fill};

    #[test]
    fn scatter_add_is_the_adjoint_of_gather_with_repeated_indices() {
        let d = GatherDims {
            outer: 2,
            axis_size: 7,
            inner: 9,
            count: 5,
        };
        let indices = [3, 0, 3, 6, 3];
        let updates = fill(2 * 5 * 9, 4);
        let (mut s0, mut s1) = (vec![1.0; 2 * 7 * 9], vec![2.0; 2 * 7 * 9]);
        scatter_add_reference(&updates, &indices, &d, &mut s0).unwrap();
        scatter_add(&updates, &indices, &d, &mut s1).unwrap();
        assert_close("scatter", &s1, &s0, 1e-6);
        // <gather(x), u> == <x, scatter(u)> for any x.
        let x = fill(2 * 7 * 9, 8);
        let mut g = vec![0u32; 2 * 5 * 9];
        let bits: Vec<u32> = x.iter().map(|v| v.to_bits()).collect();
        gather(&bits, &indices, &d, &mut g).unwrap();
        let lhs: f32 = g
            .iter()
            .zip(&updates)
            .map(|(a, b)| f32::from_bits(*a) * b)
            .sum();
        let rhs: f32 = x.iter().zip(&s1).map(|(a, b)| a * b).sum();
        assert!((lhs - rhs).abs() < 1e-4, "{lhs} vs {rhs}");
    }

    #[test]
    fn bad_indices_are_reported_before_writing() {
        let d = GatherDims {
            outer: 1,
            axis_size: 4,
            inner: 2,
            count: 3,
        };
        let mut out = vec![42u32; 6];
        assert_eq!(gather(&[0; 8], &[1, 4, 2], &d, &mut out), Err(1));
        assert!(out.iter().all(|&v| v == 42));
        assert_eq!(
            scatter_add(&[0.0; 6], &[0, 1, -1], &d, &mut [5.0; 8]),
            Err(2)
        );
    }
}
