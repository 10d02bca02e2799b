//! WebAssembly binding of `wattformer-kernels`. Marshalling only: tensors live in this
//! module's linear memory and JavaScript passes byte offsets, so no call copies operands.
//! Shapes are validated by `@wattformer/core`'s kernel contracts before any call lands here.

use std::alloc::{alloc, dealloc, Layout};
use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wattformer_kernels::{MatmulDims, MatmulWorkspace};

/// Tensor buffers are 16-byte aligned so v128 loads never straddle a line needlessly.
const ALIGN: usize = 16;

thread_local! {
    static MATMUL_WORKSPACE: RefCell<MatmulWorkspace> = RefCell::new(MatmulWorkspace::default());
}

/// True when this module was compiled with simd128.
#[wasm_bindgen(js_name = simd128Enabled)]
pub fn simd128_enabled() -> bool {
    wattformer_kernels::simd::SIMD128
}

/// Allocates `len` f32 and returns the byte offset, or 0 when memory cannot grow that far.
#[wasm_bindgen(js_name = allocF32)]
pub fn alloc_f32(len: usize) -> usize {
    if len == 0 {
        return ALIGN; // dangling but aligned; never dereferenced, never freed
    }
    match len
        .checked_mul(4)
        .and_then(|bytes| Layout::from_size_align(bytes, ALIGN).ok())
    {
        // SAFETY: non-zero size; a null return (out of memory) is reported as 0.
        Some(layout) => unsafe { alloc(layout) as usize },
        None => 0,
    }
}

/// Frees a buffer from [`alloc_f32`] with the same `len`.
#[wasm_bindgen(js_name = freeF32)]
pub fn free_f32(ptr: usize, len: usize) {
    if len == 0 || ptr == 0 {
        return;
    }
    // SAFETY: the JS side frees each (ptr, len) pair from alloc_f32 exactly once.
    unsafe {
        dealloc(
            ptr as *mut u8,
            Layout::from_size_align_unchecked(len * 4, ALIGN),
        )
    }
}

/// Bytes held by kernel scratch buffers (packing panels), for memory accounting.
#[wasm_bindgen(js_name = scratchBytes)]
pub fn scratch_bytes() -> usize {
    MATMUL_WORKSPACE.with(|ws| ws.borrow().bytes())
}

/// C = op(A) · op(B), batched; pointers are byte offsets of f32 buffers in linear memory.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn matmul(
    a_ptr: usize,
    b_ptr: usize,
    c_ptr: usize,
    batch: usize,
    m: usize,
    n: usize,
    k: usize,
    trans_a: bool,
    trans_b: bool,
) {
    let d = MatmulDims {
        batch,
        m,
        n,
        k,
        trans_a,
        trans_b,
    };
    // SAFETY: the JS wrapper allocated these buffers with at least these lengths.
    let (a, b, c) = unsafe {
        (
            std::slice::from_raw_parts(a_ptr as *const f32, d.a_len()),
            std::slice::from_raw_parts(b_ptr as *const f32, d.b_len()),
            std::slice::from_raw_parts_mut(c_ptr as *mut f32, d.c_len()),
        )
    };
    MATMUL_WORKSPACE.with(|ws| wattformer_kernels::matmul(a, b, c, &d, &mut ws.borrow_mut()));
}
