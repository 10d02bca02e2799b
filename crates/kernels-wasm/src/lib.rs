//! WebAssembly binding of `wattformer-kernels`. Marshalling only: tensors live in this
//! module's linear memory and JavaScript passes byte offsets, so no call copies operands.
//! Shapes are validated by `@wattformer/core`'s kernel contracts before any call lands here.

use wasm_bindgen::prelude::*;

mod memory;
mod ops;
mod primitives;
mod slices;

pub use memory::*;
pub use ops::*;
pub use primitives::*;

/// True when this module was compiled with simd128.
#[wasm_bindgen(js_name = simd128Enabled)]
pub fn simd128_enabled() -> bool {
    wattformer_kernels::simd::SIMD128
}

/// True when this module was compiled with relaxed-simd as well (the `relaxed` build).
#[wasm_bindgen(js_name = relaxedSimdEnabled)]
pub fn relaxed_simd_enabled() -> bool {
    wattformer_kernels::simd::RELAXED_SIMD
}
