//! Training kernels for wattformer, in plain Rust with no JavaScript bindings.
//!
//! Each kernel file holds a scalar `*_reference` and the fast path side by side; its tests
//! compare the two natively. The fast paths are written against [`simd::F32x4`], which is
//! WebAssembly simd128 on `wasm32` builds with `+simd128` and a portable four-lane array
//! elsewhere, so `cargo test` exercises the same blocking and packing code on any host.

// Kernels walk several arrays in lockstep by index (`x[n * c + i]`, `gamma[i]`); that reads
// closer to the maths than zipped iterators.
#![allow(clippy::needless_range_loop)]

pub mod adamw;
pub mod attention;
pub mod cross_entropy;
pub mod elementwise;
pub mod fused_abi;
pub mod gather;
pub mod layer_norm;
pub mod matmul;
pub mod movement;
pub mod op_enum;
pub mod random;
pub mod reduce;
pub mod simd;
pub mod simd_math;
pub mod softmax;
pub mod strided;
pub mod vector;

// The kernel files that declare their boundary with `fused_abi!`: scripts/gen-kernels.mjs
// writes these lines from the declarations (a new kernel needs no edit here).
// BEGIN fused_abi! kernels: written by scripts/gen-kernels.mjs, do not edit.
pub mod add_layer_norm;
pub mod bias_gelu;
pub mod gelu;
// END fused_abi! kernels

#[cfg(test)]
mod test_util;

pub use attention::{
    attention_backward, attention_backward_reference, attention_forward,
    attention_forward_reference, AttentionDims, AttentionInputs, AttentionWorkspace,
};
pub use matmul::{matmul, matmul_reference, MatmulDims, MatmulWorkspace};
