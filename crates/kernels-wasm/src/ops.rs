//! One `#[wasm_bindgen]` function per kernel. Arguments are byte offsets of buffers from
//! `allocF32` plus sizes; each function rebuilds slices and calls `wattformer-kernels`.
//! The TypeScript wrapper has validated shapes and buffer sizes with core's contracts.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wattformer_kernels::{
    adamw::{adamw as adamw_kernel, AdamWConfig, AdamWState},
    attention::{attention_backward as attention_bwd, attention_forward as attention_fwd},
    cross_entropy::{
        cross_entropy_backward_from_probabilities, cross_entropy_probabilities, CrossEntropyDims,
    },
    layer_norm::{
        layer_norm_backward as ln_bwd, layer_norm_forward as ln_fwd, LayerNormDims, LayerNormStats,
    },
    softmax, AttentionDims, AttentionInputs, AttentionWorkspace, MatmulDims, MatmulWorkspace,
};

thread_local! {
    static MATMUL_WORKSPACE: RefCell<MatmulWorkspace> = RefCell::new(MatmulWorkspace::default());
    static ATTENTION_WORKSPACE: RefCell<AttentionWorkspace> = RefCell::new(AttentionWorkspace::default());
}

pub(crate) fn scratch_bytes_total() -> usize {
    MATMUL_WORKSPACE.with(|ws| ws.borrow().bytes())
        + ATTENTION_WORKSPACE.with(|ws| ws.borrow().bytes())
}

use crate::slices::{f32s, f32s_mut, i32s};

// The fused kernels declared with `fused_abi!` in their kernel files: bindings written by
// scripts/gen-kernels.mjs into this git-ignored build output (the builds run it first; a new
// kernel needs no edit here).
#[rustfmt::skip]
#[path = "fused.generated.rs"]
mod fused_generated;
pub use fused_generated::*;

/// C = op(A) · op(B), batched.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn matmul(
    a: usize,
    b: usize,
    c: usize,
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
    let (a, b, c) = (
        f32s(a, d.a_len()),
        f32s(b, d.b_len()),
        f32s_mut(c, d.c_len()),
    );
    MATMUL_WORKSPACE.with(|ws| wattformer_kernels::matmul(a, b, c, &d, &mut ws.borrow_mut()));
}

fn attention_parts<'a>(
    dims: &[u32],
    causal: bool,
    scale: f32,
    q: usize,
    k: usize,
    v: usize,
    mask: usize,
) -> (AttentionDims, AttentionInputs<'a>) {
    let [batch, heads, q_len, k_len, head_dim] = [0, 1, 2, 3, 4].map(|i| dims[i] as usize);
    let d = AttentionDims {
        batch,
        heads,
        q_len,
        k_len,
        head_dim,
        causal,
        scale,
    };
    let inputs = AttentionInputs {
        q: f32s(q, d.q_size()),
        k: f32s(k, d.k_size()),
        v: f32s(v, d.k_size()),
        key_mask: (mask != 0).then(|| f32s(mask, d.batch * d.k_len)),
    };
    (d, inputs)
}

/// Fused attention forward on [B, T, C] operands. `dims` = [B, H, Tq, Tk, D]; `mask` is 0 for
/// none, else an f32 [B, Tk] buffer (1 = real key). Writes out [B, Tq, C] and stats [B, H, Tq].
#[wasm_bindgen(js_name = attentionForward)]
#[allow(clippy::too_many_arguments)]
pub fn attention_forward(
    dims: &[u32],
    causal: bool,
    scale: f32,
    q: usize,
    k: usize,
    v: usize,
    mask: usize,
    out: usize,
    stats: usize,
) {
    let (d, x) = attention_parts(dims, causal, scale, q, k, v, mask);
    let (out, stats) = (f32s_mut(out, d.q_size()), f32s_mut(stats, d.lse_size()));
    ATTENTION_WORKSPACE.with(|ws| attention_fwd(&d, &x, out, stats, &mut ws.borrow_mut()));
}

/// Overwrites dq, dk and dv.
#[wasm_bindgen(js_name = attentionBackward)]
#[allow(clippy::too_many_arguments)]
pub fn attention_backward(
    dims: &[u32],
    causal: bool,
    scale: f32,
    q: usize,
    k: usize,
    v: usize,
    mask: usize,
    out: usize,
    stats: usize,
    d_out: usize,
    dq: usize,
    dk: usize,
    dv: usize,
) {
    let (d, x) = attention_parts(dims, causal, scale, q, k, v, mask);
    let grads = (
        f32s_mut(dq, d.q_size()),
        f32s_mut(dk, d.k_size()),
        f32s_mut(dv, d.k_size()),
    );
    let (out, stats, d_out) = (
        f32s(out, d.q_size()),
        f32s(stats, d.lse_size()),
        f32s(d_out, d.q_size()),
    );
    ATTENTION_WORKSPACE
        .with(|ws| attention_bwd(&d, &x, out, stats, d_out, grads, &mut ws.borrow_mut()));
}

#[wasm_bindgen(js_name = layerNormForward)]
#[allow(clippy::too_many_arguments)]
pub fn layer_norm_forward(
    rows: usize,
    channels: usize,
    eps: f32,
    x: usize,
    gamma: usize,
    beta: usize,
    y: usize,
    mean: usize,
    rstd: usize,
) {
    let d = LayerNormDims {
        rows,
        channels,
        eps,
    };
    let n = rows * channels;
    let stats = LayerNormStats {
        mean: f32s_mut(mean, rows),
        rstd: f32s_mut(rstd, rows),
    };
    ln_fwd(
        &d,
        f32s(x, n),
        f32s(gamma, channels),
        f32s(beta, channels),
        f32s_mut(y, n),
        stats,
    );
}

/// Overwrites dx; accumulates into dgamma and dbeta.
#[wasm_bindgen(js_name = layerNormBackward)]
#[allow(clippy::too_many_arguments)]
pub fn layer_norm_backward(
    rows: usize,
    channels: usize,
    x: usize,
    gamma: usize,
    mean: usize,
    rstd: usize,
    dy: usize,
    dx: usize,
    dgamma: usize,
    dbeta: usize,
) {
    let d = LayerNormDims {
        rows,
        channels,
        eps: 0.0,
    };
    let n = rows * channels;
    ln_bwd(
        &d,
        f32s(x, n),
        f32s(gamma, channels),
        f32s(mean, rows),
        f32s(rstd, rows),
        f32s(dy, n),
        f32s_mut(dx, n),
        f32s_mut(dgamma, channels),
        f32s_mut(dbeta, channels),
    );
}

/// Mean loss over rows whose target is not `ignoreIndex`; writes `lse` [rows] (scratch) and
/// `probabilities` [rows, vocab], which backward reads.
#[wasm_bindgen(js_name = crossEntropyForward)]
#[allow(clippy::too_many_arguments)]
pub fn cross_entropy_forward(
    rows: usize,
    vocab: usize,
    ignore_index: i32,
    logits: usize,
    targets: usize,
    lse: usize,
    probabilities: usize,
) -> f32 {
    let d = CrossEntropyDims {
        rows,
        vocab,
        ignore_index,
    };
    let (logits, targets) = (f32s(logits, rows * vocab), i32s(targets, rows));
    cross_entropy_probabilities(
        &d,
        logits,
        targets,
        f32s_mut(lse, rows),
        f32s_mut(probabilities, rows * vocab),
    )
}

#[wasm_bindgen(js_name = crossEntropyBackward)]
#[allow(clippy::too_many_arguments)]
pub fn cross_entropy_backward(
    rows: usize,
    vocab: usize,
    ignore_index: i32,
    probabilities: usize,
    targets: usize,
    d_loss: f32,
    d_logits: usize,
) {
    let d = CrossEntropyDims {
        rows,
        vocab,
        ignore_index,
    };
    let probabilities = f32s(probabilities, rows * vocab);
    cross_entropy_backward_from_probabilities(
        &d,
        probabilities,
        i32s(targets, rows),
        d_loss,
        f32s_mut(d_logits, rows * vocab),
    );
}

/// `kind` 0 = softmax, 1 = log-softmax, over the last axis of x [rows, cols].
#[wasm_bindgen(js_name = softmaxForward)]
pub fn softmax_forward(kind: u32, x: usize, y: usize, rows: usize, cols: usize) {
    let (x, y) = (f32s(x, rows * cols), f32s_mut(y, rows * cols));
    if kind == 0 {
        softmax::softmax_forward(x, rows, cols, y)
    } else {
        softmax::log_softmax_forward(x, rows, cols, y)
    }
}

#[wasm_bindgen(js_name = softmaxBackward)]
pub fn softmax_backward(kind: u32, y: usize, dy: usize, dx: usize, rows: usize, cols: usize) {
    let n = rows * cols;
    let (y, dy, dx) = (f32s(y, n), f32s(dy, n), f32s_mut(dx, n));
    if kind == 0 {
        softmax::softmax_backward(y, dy, rows, cols, dx)
    } else {
        softmax::log_softmax_backward(y, dy, rows, cols, dx)
    }
}

/// In-place fused AdamW step on one parameter tensor and its two moment buffers.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn adamw(
    len: usize,
    param: usize,
    grad: usize,
    m: usize,
    v: usize,
    learning_rate: f32,
    beta1: f32,
    beta2: f32,
    eps: f32,
    weight_decay: f32,
    step: u32,
) {
    let config = AdamWConfig {
        learning_rate,
        beta1,
        beta2,
        eps,
        weight_decay,
        step,
    };
    let state = AdamWState {
        param: f32s_mut(param, len),
        m: f32s_mut(m, len),
        v: f32s_mut(v, len),
    };
    adamw_kernel(&config, f32s(grad, len), state);
}
