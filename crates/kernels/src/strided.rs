//! Row-major multi-index walking shared by the strided kernels (binary ops with broadcasting,
//! strided copies). `Walker` yields, for each output element in order, the matching offsets
//! into up to two inputs, advancing incrementally (no divisions per element).

pub struct Walker<'a> {
    shape: &'a [usize],
    strides: [&'a [isize]; 2],
    index: Vec<usize>,
    pub offsets: [isize; 2],
}

impl<'a> Walker<'a> {
    pub fn new(
        shape: &'a [usize],
        a_strides: &'a [isize],
        b_strides: &'a [isize],
        start: [isize; 2],
    ) -> Self {
        debug_assert!(a_strides.len() == shape.len() && b_strides.len() == shape.len());
        Self {
            shape,
            strides: [a_strides, b_strides],
            index: vec![0; shape.len()],
            offsets: start,
        }
    }

    /// Moves to the next output element (row-major).
    #[inline(always)]
    pub fn advance(&mut self) {
        for d in (0..self.shape.len()).rev() {
            self.index[d] += 1;
            self.offsets[0] += self.strides[0][d];
            self.offsets[1] += self.strides[1][d];
            if self.index[d] < self.shape[d] {
                return;
            }
            self.offsets[0] -= self.strides[0][d] * self.shape[d] as isize;
            self.offsets[1] -= self.strides[1][d] * self.shape[d] as isize;
            self.index[d] = 0;
        }
    }
}

/// Contiguous row-major strides of `shape`.
pub fn contiguous_strides(shape: &[usize]) -> Vec<isize> {
    let mut strides = vec![0isize; shape.len()];
    let mut stride = 1isize;
    for d in (0..shape.len()).rev() {
        strides[d] = stride;
        stride *= shape[d] as isize;
    }
    strides
}

/// Splits `shape`/`strides` into (outer shape, outer strides, inner length) when the last
/// `k` dimensions are contiguous (stride 1 innermost, each stride = product of inner sizes),
/// so kernels can run a tight loop over the inner run. Returns the inner run length.
pub fn contiguous_tail(shape: &[usize], strides: &[isize]) -> usize {
    let mut run = 1usize;
    for d in (0..shape.len()).rev() {
        if strides[d] != run as isize && shape[d] != 1 {
            break;
        }
        run *= shape[d];
    }
    run
}
