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

// The kernel files that declare their boundary with `fused_abi!`: scripts/gen-kernels.mjs writes
// one `#[path] pub mod` line per file into this git-ignored build output (the builds run it first),
// so a new kernel needs no edit here; re-exported so each is `wattformer_kernels::<file>`.
#[path = "fused_mods.generated.rs"]
mod fused_mods;
pub use fused_mods::*;

#[cfg(test)]
mod test_util;

pub use attention::{
    attention_backward, attention_backward_reference, attention_forward,
    attention_forward_reference, AttentionDims, AttentionInputs, AttentionWorkspace,
};
pub use matmul::{matmul, matmul_reference, MatmulDims, MatmulWorkspace};
