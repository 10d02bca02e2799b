import type { FusedKernels } from '@wattformer/core';
import { generatedFusedKernels } from './wasm-fused.generated';
import type { Kernels } from './wasm-module';
import type { WasmHeap, WasmStorage } from './wasm-storage';

/**
 * The fused kernels core would otherwise build from primitives: one Rust call each, forward and
 * backward (softmax, log-softmax, layer norm, FlashAttention-style attention, softmax
 * cross-entropy, AdamW in place), plus the kernels declared with `fused_abi!` in their Rust file
 * (GELU, bias + GELU, residual + layer norm), whose entries scripts/gen-kernels.mjs writes into
 * wasm-fused.generated.ts.
 */
export function createFusedKernels(kernels: Kernels, heap: WasmHeap): FusedKernels<WasmStorage> {
  const f32 = (length: number, op: string) => heap.allocate(length, 'f32', op);
  const zeros = (length: number, op: string) => {
    const storage = f32(length, op);
    heap.view(storage).fill(0);
    return storage;
  };
  const rows = (kind: 0 | 1, op: string) => ({
    forward(x: WasmStorage, r: number, c: number) {
      const y = f32(r * c, op);
      kernels.softmaxForward(kind, x.ptr, y.ptr, r, c);
      return y;
    },
    backward(y: WasmStorage, dy: WasmStorage, r: number, c: number) {
      const dx = f32(r * c, op);
      kernels.softmaxBackward(kind, y.ptr, dy.ptr, dx.ptr, r, c);
      return dx;
    },
  });
  return {
    softmax: rows(0, 'softmax'),
    logSoftmax: rows(1, 'logSoftmax'),
    layerNorm: {
      forward(x, gamma, beta, r, c, epsilon) {
        const [y, mean, rstd] = [f32(r * c, 'layerNorm'), f32(r, 'layerNorm'), f32(r, 'layerNorm')];
        kernels.layerNormForward(r, c, epsilon, x.ptr, gamma.ptr, beta.ptr, y.ptr, mean.ptr, rstd.ptr);
        return { y, mean, rstd };
      },
      backward(dy, x, gamma, mean, rstd, r, c) {
        const dx = f32(r * c, 'layerNorm');
        const [dgamma, dbeta] = [zeros(c, 'layerNorm'), zeros(c, 'layerNorm')]; // the kernel accumulates
        kernels.layerNormBackward(r, c, x.ptr, gamma.ptr, mean.ptr, rstd.ptr, dy.ptr, dx.ptr, dgamma.ptr, dbeta.ptr);
        return { dx, dgamma, dbeta };
      },
    },
    attention: {
      forward(q, k, v, keyMask, plan) {
        const dims = Uint32Array.of(plan.B, plan.H, plan.Tq, plan.Tk, plan.D);
        const out = f32(plan.B * plan.Tq * plan.H * plan.D, 'attention');
        const stats = f32(plan.B * plan.H * plan.Tq, 'attention');
        kernels.attentionForward(dims, plan.causal, plan.scale, q.ptr, k.ptr, v.ptr, keyMask?.ptr ?? 0, out.ptr, stats.ptr);
        return { out, stats };
      },
      backward(q, k, v, keyMask, out, stats, dOut, plan) {
        const dims = Uint32Array.of(plan.B, plan.H, plan.Tq, plan.Tk, plan.D);
        const C = plan.H * plan.D;
        const [dq, dk, dv] = [f32(plan.B * plan.Tq * C, 'attention'), f32(plan.B * plan.Tk * C, 'attention'), f32(plan.B * plan.Tk * C, 'attention')];
        kernels.attentionBackward(dims, plan.causal, plan.scale, q.ptr, k.ptr, v.ptr, keyMask?.ptr ?? 0, out.ptr, stats.ptr, dOut.ptr, dq.ptr, dk.ptr, dv.ptr);
        return { dq, dk, dv };
      },
    },
    softmaxCrossEntropy: {
      forward(logits, targets, r, c, ignoreIndex) {
        const probabilities = f32(r * c, 'softmaxCrossEntropy');
        const lse = f32(r, 'softmaxCrossEntropy');
        const loss = f32(1, 'softmaxCrossEntropy');
        const value = kernels.crossEntropyForward(r, c, ignoreIndex, logits.ptr, targets.ptr, lse.ptr, probabilities.ptr);
        heap.view(loss)[0] = value;
        heap.free(lse);
        return { loss, probabilities };
      },
      backward(probabilities, targets, dLoss, r, c, ignoreIndex) {
        const dLogits = f32(r * c, 'softmaxCrossEntropy');
        kernels.crossEntropyBackward(r, c, ignoreIndex, probabilities.ptr, targets.ptr, heap.scalar(dLoss), dLogits.ptr);
        return dLogits;
      },
    },
    adamw(param, grad, m, v, plan) {
      kernels.adamw(plan.size, param.ptr, grad.ptr, m.ptr, v.ptr, plan.learningRate, plan.beta1, plan.beta2, plan.epsilon, plan.weightDecay, plan.step);
    },
    ...generatedFusedKernels(kernels, heap),
  };
}
