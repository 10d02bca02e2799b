//! Buffers in linear memory. JavaScript allocates tensors here and passes their byte offsets
//! to kernels. Elements are 4 bytes (f32 or i32), 16-byte aligned so v128 loads stay aligned.

use std::alloc::{alloc, dealloc, Layout};

use wasm_bindgen::prelude::*;

const ALIGN: usize = 16;

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
    crate::ops::scratch_bytes_total()
}
