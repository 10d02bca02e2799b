//! Training kernels for wattformer, in plain Rust with no JavaScript bindings.
//!
//! Each kernel file holds a scalar `*_reference` and the fast path side by side; its tests
//! compare the two natively. The fast paths are written against [`simd::F32x4`], which is
//! WebAssembly simd128 on `wasm32` builds with `+simd128` and a portable four-lane array
//! elsewhere, so `cargo test` exercises the same blocking and packing code on any host.

pub mod matmul;
pub mod simd;

pub use matmul::{matmul, matmul_reference, MatmulDims, MatmulWorkspace};
