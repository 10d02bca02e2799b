//! `fused_abi!`: the one declaration of a fused kernel's boundary, written in the kernel's own
//! file. It expands to nothing in Rust; `scripts/gen-kernels.mjs` reads it and writes every piece
//! of glue that used to be kept by hand in other layers, as git-ignored build outputs (the builds,
//! `scripts/build.sh` and `scripts/test.sh` run the generator first; never commit or edit them):
//!
//! - `crates/kernels/src/fused_mods.generated.rs` — the `#[path] pub mod` line of each kernel
//!   file (`lib.rs` includes it and re-exports the modules),
//! - `crates/kernels-wasm/src/fused.generated.rs` — one `#[wasm_bindgen]` function per entry,
//! - `packages/backend-wasm/src/wasm-fused.generated.ts` — the `FusedKernels` entries calling them,
//! - `packages/backend-webgpu/src/kernels/fused.generated.ts` and
//!   `packages/backend-conformance/src/fused-reference/fused.generated.ts` — the index of each
//!   layer's per-kernel file (`<kebab-name>.ts`, exporting `fused`).
//!
//! Grammar, one entry per `FusedKernels` method, in that method's parameter order:
//!
//! ```text
//! key.method(name: f32[len], name: usize, name: f32, ...) -> out: f32[len];
//! key.method(...) -> { out: f32[len], out2: f32[len] };
//! ```
//!
//! `f32[len]` is a tensor operand (an `&[f32]` of `len` elements in Rust, a storage handle in
//! TypeScript); `usize`, `f32`, `i32`, `u32` are scalars; `len` is an arithmetic expression of the
//! scalar parameters, valid in Rust and TypeScript alike. The binding calls
//! `<snake_key>_<method>(params…, outputs…)` in the kernel file with inputs as `&[f32]` and
//! outputs as `&mut [f32]`; every output is freshly allocated, so the kernel must write all of it.
//! A single output is returned as is, several as an object with those keys.

/// The boundary of a fused kernel (see the module docs); expands to nothing.
#[macro_export]
macro_rules! fused_abi {
    ($($t:tt)*) => {};
}
