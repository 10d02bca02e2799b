//! Slices over linear memory from the byte offsets JavaScript passes.
//!
//! SAFETY (every function): the TypeScript backend passes offsets of live buffers holding at
//! least `len` 4-byte elements, allocated by `allocF32`, and never lets an output alias an input.

pub fn f32s<'a>(ptr: usize, len: usize) -> &'a [f32] {
    unsafe { std::slice::from_raw_parts(ptr as *const f32, len) }
}
pub fn f32s_mut<'a>(ptr: usize, len: usize) -> &'a mut [f32] {
    unsafe { std::slice::from_raw_parts_mut(ptr as *mut f32, len) }
}
pub fn i32s<'a>(ptr: usize, len: usize) -> &'a [i32] {
    unsafe { std::slice::from_raw_parts(ptr as *const i32, len) }
}
pub fn i32s_mut<'a>(ptr: usize, len: usize) -> &'a mut [i32] {
    unsafe { std::slice::from_raw_parts_mut(ptr as *mut i32, len) }
}
pub fn u32s<'a>(ptr: usize, len: usize) -> &'a [u32] {
    unsafe { std::slice::from_raw_parts(ptr as *const u32, len) }
}
pub fn u32s_mut<'a>(ptr: usize, len: usize) -> &'a mut [u32] {
    unsafe { std::slice::from_raw_parts_mut(ptr as *mut u32, len) }
}
