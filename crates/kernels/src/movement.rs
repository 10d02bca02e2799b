//! Data movement, dtype-agnostic (elements are moved as 4-byte words, so f32 and i32 share it).
//!
//! `copy_strided`: out[idx] = x[offset + Σ idx_d · strides_d] over contiguous out — permute,
//! slice and broadcast in one kernel. The fast path copies whole contiguous inner runs with
//! `copy_from_slice`; the reference walks element by element.
//! `pad`: zeros of outShape with x written at `before` (the adjoint of a slice); the fast path
//! copies x's contiguous rows.

use crate::strided::{contiguous_strides, contiguous_tail, Walker};

pub struct StridedPlan<'a> {
    pub out_shape: &'a [usize],
    pub strides: &'a [isize],
    pub offset: usize,
}

pub fn copy_strided_reference(x: &[u32], plan: &StridedPlan, out: &mut [u32]) {
    let size: usize = plan.out_shape.iter().product();
    let mut walk = Walker::new(
        plan.out_shape,
        plan.strides,
        plan.strides,
        [plan.offset as isize, 0],
    );
    for o in out[..size].iter_mut() {
        *o = x[walk.offsets[0] as usize];
        walk.advance();
    }
}

pub fn copy_strided(x: &[u32], plan: &StridedPlan, out: &mut [u32]) {
    let rank = plan.out_shape.len();
    let size: usize = plan.out_shape.iter().product();
    let run = contiguous_tail(plan.out_shape, plan.strides);
    if size == 0 || run < 4 {
        return copy_strided_reference(x, plan, out);
    }
    // Walk the outer dimensions (those not folded into the run) and copy runs whole.
    let mut inner = 1usize;
    let mut split = rank;
    while split > 0 && inner * plan.out_shape[split - 1] <= run {
        inner *= plan.out_shape[split - 1];
        split -= 1;
    }
    let outer_shape = &plan.out_shape[..split];
    let outer_strides = &plan.strides[..split];
    let mut walk = Walker::new(
        outer_shape,
        outer_strides,
        outer_strides,
        [plan.offset as isize, 0],
    );
    for chunk in out[..size].chunks_exact_mut(inner) {
        let start = walk.offsets[0] as usize;
        chunk.copy_from_slice(&x[start..start + inner]);
        walk.advance();
    }
}

pub struct PadPlan<'a> {
    pub in_shape: &'a [usize],
    pub out_shape: &'a [usize],
    pub before: &'a [usize],
}

pub fn pad_reference(x: &[u32], plan: &PadPlan, out: &mut [u32]) {
    let out_size: usize = plan.out_shape.iter().product();
    out[..out_size].fill(0);
    let out_strides = contiguous_strides(plan.out_shape);
    let in_size: usize = plan.in_shape.iter().product();
    let rank = plan.in_shape.len();
    let mut index = vec![0usize; rank];
    for &value in &x[..in_size] {
        let target: isize = (0..rank)
            .map(|d| (index[d] + plan.before[d]) as isize * out_strides[d])
            .sum();
        out[target as usize] = value;
        for d in (0..rank).rev() {
            index[d] += 1;
            if index[d] < plan.in_shape[d] {
                break;
            }
            index[d] = 0;
        }
    }
}

pub fn pad(x: &[u32], plan: &PadPlan, out: &mut [u32]) {
    let rank = plan.in_shape.len();
    let in_size: usize = plan.in_shape.iter().product();
    if rank == 0 || in_size == 0 {
        return pad_reference(x, plan, out);
    }
    let out_size: usize = plan.out_shape.iter().product();
    out[..out_size].fill(0);
    let out_strides = contiguous_strides(plan.out_shape);
    let row = plan.in_shape[rank - 1];
    let rows = in_size / row;
    let mut index = vec![0usize; rank - 1];
    for r in 0..rows {
        let base: isize = (0..rank - 1)
            .map(|d| (index[d] + plan.before[d]) as isize * out_strides[d])
            .sum::<isize>()
            + plan.before[rank - 1] as isize;
        out[base as usize..base as usize + row].copy_from_slice(&x[r * row..(r + 1) * row]);
        for d in (0..rank - 1).rev() {
            index[d] += 1;
            if index[d] < plan.in_shape[d] {
                break;
            }
            index[d] = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize) -> Vec<u32> {
        (0..n as u32)
            .map(|i| i.wrapping_mul(2_654_435_761))
            .collect()
    }

    #[test]
    fn strided_copy_fast_matches_reference_for_permute_slice_and_broadcast() {
        let x = words(4 * 5 * 6);
        let plans: [(&[usize], &[isize], usize); 5] = [
            (&[4, 5, 6], &[30, 6, 1], 0),       // identity
            (&[6, 5, 4], &[1, 6, 30], 0),       // full transpose
            (&[4, 2, 6], &[30, 6, 1], 12),      // slice of the middle axis
            (&[3, 4, 5, 6], &[0, 30, 6, 1], 0), // broadcast a new leading axis
            (&[4, 6, 5], &[30, 1, 6], 0),       // swap the last two
        ];
        for (out_shape, strides, offset) in plans {
            let plan = StridedPlan {
                out_shape,
                strides,
                offset,
            };
            let size: usize = out_shape.iter().product();
            let (mut o0, mut o1) = (vec![0; size], vec![1; size]);
            copy_strided_reference(&x, &plan, &mut o0);
            copy_strided(&x, &plan, &mut o1);
            assert_eq!(o0, o1, "{out_shape:?} {strides:?} {offset}");
        }
    }

    #[test]
    fn pad_fast_matches_reference_and_is_the_adjoint_of_slice() {
        let x = words(2 * 3 * 4);
        let plan = PadPlan {
            in_shape: &[2, 3, 4],
            out_shape: &[3, 5, 7],
            before: &[1, 2, 3],
        };
        let (mut o0, mut o1) = (vec![7; 105], vec![9; 105]);
        pad_reference(&x, &plan, &mut o0);
        pad(&x, &plan, &mut o1);
        assert_eq!(o0, o1);
        // Slicing the padded result back recovers x.
        let mut back = vec![0; 24];
        copy_strided(
            &o1,
            &StridedPlan {
                out_shape: &[2, 3, 4],
                strides: &[35, 7, 1],
                offset: 35 + 14 + 3,
            },
            &mut back,
        );
        assert_eq!(back, x);
    }
}
