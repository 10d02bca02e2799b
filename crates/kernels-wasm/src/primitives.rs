//! Bindings of the required backend primitives (core's `Backend` interface): elementwise,
//! reductions, movement, gather/scatter, casts and random numbers. Shapes and strides arrive as
//! small typed arrays; tensors as byte offsets. Op codes follow core's string unions in order.

use wasm_bindgen::prelude::*;
use wattformer_kernels::{
    elementwise::{self, BinaryOp, BinaryPlan, UnaryOp},
    gather::{self, GatherDims},
    movement::{self, PadPlan, StridedPlan},
    random,
    reduce::{self, ReduceDims, ReduceOp},
};

use crate::slices::{f32s, f32s_mut, i32s, i32s_mut, u32s, u32s_mut};

fn unary_op(code: u32) -> UnaryOp {
    UnaryOp::from_code(code).expect("unary op code out of range")
}
fn binary_op(code: u32) -> BinaryOp {
    BinaryOp::from_code(code).expect("binary op code out of range")
}
fn reduce_op(code: u32) -> ReduceOp {
    ReduceOp::from_code(code).expect("reduce op code out of range")
}
/// The `@wattformer/core` names of an op enum's variants in code order, comma-separated
/// (`kind` = "unary" | "binary" | "reduce"): lets the TypeScript side check at test time that
/// the loaded module agrees with its generated table (`src/op-codes.generated.ts`).
#[wasm_bindgen(js_name = opNames)]
pub fn op_names(kind: &str) -> String {
    match kind {
        "unary" => UnaryOp::NAMES.join(","),
        "binary" => BinaryOp::NAMES.join(","),
        "reduce" => ReduceOp::NAMES.join(","),
        _ => String::new(),
    }
}

fn usizes(values: &[u32]) -> Vec<usize> {
    values.iter().map(|&v| v as usize).collect()
}
fn isizes(values: &[i32]) -> Vec<isize> {
    values.iter().map(|&v| v as isize).collect()
}

#[wasm_bindgen(js_name = unaryF32)]
pub fn unary_f32(op: u32, x: usize, y: usize, len: usize) {
    elementwise::unary(unary_op(op), f32s(x, len), f32s_mut(y, len));
}

#[wasm_bindgen(js_name = unaryI32)]
pub fn unary_i32(op: u32, x: usize, y: usize, len: usize) {
    elementwise::unary_i32(unary_op(op), i32s(x, len), i32s_mut(y, len));
}

/// out (contiguous, `shape`) = a ∘ b with per-dimension element strides (0 = broadcast).
#[wasm_bindgen(js_name = binary)]
#[allow(clippy::too_many_arguments)]
pub fn binary(
    op: u32,
    is_i32: bool,
    a: usize,
    a_len: usize,
    b: usize,
    b_len: usize,
    out: usize,
    shape: &[u32],
    a_strides: &[i32],
    b_strides: &[i32],
) {
    let (shape, a_strides, b_strides) = (usizes(shape), isizes(a_strides), isizes(b_strides));
    let plan = BinaryPlan {
        out_shape: &shape,
        a_strides: &a_strides,
        b_strides: &b_strides,
    };
    let size = shape.iter().product();
    if is_i32 {
        elementwise::binary_i32(
            binary_op(op),
            i32s(a, a_len),
            i32s(b, b_len),
            &plan,
            i32s_mut(out, size),
        );
    } else {
        elementwise::binary(
            binary_op(op),
            f32s(a, a_len),
            f32s(b, b_len),
            &plan,
            f32s_mut(out, size),
        );
    }
}

#[wasm_bindgen]
pub fn reduce(
    op: u32,
    is_i32: bool,
    x: usize,
    out: usize,
    outer: usize,
    size: usize,
    inner: usize,
) {
    let d = ReduceDims { outer, size, inner };
    if is_i32 {
        reduce::reduce_i32(
            reduce_op(op),
            i32s(x, outer * size * inner),
            &d,
            i32s_mut(out, outer * inner),
        );
    } else {
        reduce::reduce(
            reduce_op(op),
            f32s(x, outer * size * inner),
            &d,
            f32s_mut(out, outer * inner),
        );
    }
}

#[wasm_bindgen(js_name = copyStrided)]
pub fn copy_strided(
    x: usize,
    x_len: usize,
    out: usize,
    shape: &[u32],
    strides: &[i32],
    offset: usize,
) {
    let (shape, strides) = (usizes(shape), isizes(strides));
    let size = shape.iter().product();
    let plan = StridedPlan {
        out_shape: &shape,
        strides: &strides,
        offset,
    };
    movement::copy_strided(u32s(x, x_len), &plan, u32s_mut(out, size));
}

#[wasm_bindgen]
pub fn pad(x: usize, out: usize, in_shape: &[u32], out_shape: &[u32], before: &[u32]) {
    let (in_shape, out_shape, before) = (usizes(in_shape), usizes(out_shape), usizes(before));
    let plan = PadPlan {
        in_shape: &in_shape,
        out_shape: &out_shape,
        before: &before,
    };
    let (in_size, out_size) = (in_shape.iter().product(), out_shape.iter().product());
    movement::pad(u32s(x, in_size), &plan, u32s_mut(out, out_size));
}

/// Returns -1 on success, else the position of the first index outside [0, axisSize).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn gather(
    x: usize,
    indices: usize,
    out: usize,
    outer: usize,
    axis_size: usize,
    inner: usize,
    count: usize,
) -> i32 {
    let d = GatherDims {
        outer,
        axis_size,
        inner,
        count,
    };
    let x = u32s(x, outer * axis_size * inner);
    match gather::gather(
        x,
        i32s(indices, count),
        &d,
        u32s_mut(out, outer * count * inner),
    ) {
        Ok(()) => -1,
        Err(position) => position as i32,
    }
}

/// Returns -1 on success, else the position of the first index outside [0, axisSize).
#[wasm_bindgen(js_name = scatterAdd)]
#[allow(clippy::too_many_arguments)]
pub fn scatter_add(
    updates: usize,
    indices: usize,
    out: usize,
    outer: usize,
    axis_size: usize,
    inner: usize,
    count: usize,
) -> i32 {
    let d = GatherDims {
        outer,
        axis_size,
        inner,
        count,
    };
    let updates = f32s(updates, outer * count * inner);
    match gather::scatter_add(
        updates,
        i32s(indices, count),
        &d,
        f32s_mut(out, outer * axis_size * inner),
    ) {
        Ok(()) => -1,
        Err(position) => position as i32,
    }
}

#[wasm_bindgen(js_name = castF32ToI32)]
pub fn cast_f32_to_i32(x: usize, y: usize, len: usize) {
    elementwise::cast_f32_to_i32(f32s(x, len), i32s_mut(y, len));
}

#[wasm_bindgen(js_name = castI32ToF32)]
pub fn cast_i32_to_f32(x: usize, y: usize, len: usize) {
    elementwise::cast_i32_to_f32(i32s(x, len), f32s_mut(y, len));
}

#[wasm_bindgen(js_name = randomUniform)]
pub fn random_uniform(out: usize, len: usize, seed: u32, offset: u32) {
    random::random_uniform(seed, offset, f32s_mut(out, len));
}
