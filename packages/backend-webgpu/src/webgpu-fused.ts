import type { FusedKernels } from '@wattformer/core';
import { checkTargets } from './index-checks';
import { f32Bits, type Binding, type GpuRuntime, type WebGpuStorage } from './gpu-runtime';
import { ATTENTION_STORAGE_BUFFERS, createAttentionKernels } from './kernels/attention-dispatch';
import { ADAMW } from './kernels/adamw';
import { CROSS_ENTROPY_BACKWARD, CROSS_ENTROPY_MEAN, CROSS_ENTROPY_ROWS, CROSS_ENTROPY_SCALE } from './kernels/cross-entropy';
import { perRow as perRowDispatch, read, write } from './kernels/fused-dispatch';
import { generatedFusedKernels } from './kernels/fused.generated';
import { LAYER_NORM_BACKWARD_DX, LAYER_NORM_BACKWARD_PARAMS, LAYER_NORM_FORWARD } from './kernels/layer-norm';
import { softmaxBackward, softmaxForward } from './kernels/softmax';

export { ATTENTION_STORAGE_BUFFERS };

/** The fused kernels in WGSL; attention only where the device allows 10 storage buffers per stage. */
export function createFusedKernels(gpu: GpuRuntime): FusedKernels<WebGpuStorage> {
  const perRow = (code: string, bindings: Binding[], words: number[], rows: number): void => perRowDispatch(gpu, code, bindings, words, rows);
  const rowsForward = (log: boolean) => (x: WebGpuStorage, rows: number, cols: number) => {
    const y = gpu.allocate(rows * cols, log ? 'logSoftmax' : 'softmax');
    perRow(softmaxForward(log), [read(x), write(y)], [rows, cols], rows);
    return y;
  };
  const rowsBackward = (log: boolean) => (y: WebGpuStorage, dy: WebGpuStorage, rows: number, cols: number) => {
    const dx = gpu.allocate(rows * cols, log ? 'logSoftmax' : 'softmax');
    perRow(softmaxBackward(log), [read(y), read(dy), write(dx)], [rows, cols], rows);
    return dx;
  };

  const fused: FusedKernels<WebGpuStorage> = {
    softmax: { forward: rowsForward(false), backward: rowsBackward(false) },
    logSoftmax: { forward: rowsForward(true), backward: rowsBackward(true) },
    layerNorm: {
      forward(x, gamma, beta, rows, C, epsilon) {
        const y = gpu.allocate(rows * C, 'layerNorm');
        const mean = gpu.allocate(rows, 'layerNorm');
        const rstd = gpu.allocate(rows, 'layerNorm');
        perRow(LAYER_NORM_FORWARD, [read(x), read(gamma), read(beta), write(y), write(mean), write(rstd)], [rows, C, f32Bits(epsilon)], rows);
        return { y, mean, rstd };
      },
      backward(dy, x, gamma, mean, rstd, rows, C) {
        const dx = gpu.allocate(rows * C, 'layerNorm');
        const dgamma = gpu.allocate(C, 'layerNorm');
        const dbeta = gpu.allocate(C, 'layerNorm');
        perRow(LAYER_NORM_BACKWARD_DX, [read(dy), read(x), read(gamma), read(mean), read(rstd), write(dx)], [rows, C], rows);
        gpu.dispatch1d(LAYER_NORM_BACKWARD_PARAMS, 'main', [read(dy), read(x), read(mean), read(rstd), write(dgamma), write(dbeta)], [C, rows], C);
        return { dx, dgamma, dbeta };
      },
    },
    softmaxCrossEntropy: {
      forward(logits, targets, rows, V, ignoreIndex) {
        checkTargets(targets, rows, V, ignoreIndex);
        const probabilities = gpu.allocate(rows * V, 'softmaxCrossEntropy');
        const loss = gpu.allocate(1, 'softmaxCrossEntropy');
        const rowLoss = gpu.scratch(rows);
        const ignore = ignoreIndex >>> 0;
        perRow(CROSS_ENTROPY_ROWS, [read(logits), read(targets), write(probabilities), write(rowLoss)], [rows, V, ignore], rows);
        gpu.dispatch1d(CROSS_ENTROPY_MEAN, 'main', [read(rowLoss), read(targets), write(loss)], [rows, ignore], 1);
        gpu.pool.release(rowLoss);
        return { loss, probabilities };
      },
      backward(probabilities, targets, dLoss, rows, V, ignoreIndex) {
        const dx = gpu.allocate(rows * V, 'softmaxCrossEntropy');
        const scale = gpu.scratch(1);
        const ignore = ignoreIndex >>> 0;
        gpu.dispatch1d(CROSS_ENTROPY_SCALE, 'main', [read(dLoss), read(targets), write(scale)], [rows, ignore], 1);
        gpu.dispatch1d(CROSS_ENTROPY_BACKWARD, 'main', [read(probabilities), read(targets), read(scale), write(dx)], [rows * V, V, ignore], rows * V);
        gpu.pool.release(scale);
        return dx;
      },
    },
    adamw(param, grad, m, v, plan) {
      gpu.check('adamw');
      const { learningRate: lr, beta1, beta2, epsilon, weightDecay, step } = plan;
      const words = [plan.size, lr, beta1, beta2, epsilon, 1 - lr * weightDecay, 1 - beta1 ** step, 1 - beta2 ** step];
      gpu.dispatch1d(ADAMW, 'main', [write(param), read(grad), write(m), write(v)], [plan.size, ...words.slice(1).map(f32Bits)], plan.size);
    },
    // Kernels declared with fused_abi!: each kernels/<name>.ts's `fused`, indexed by scripts/gen-kernels.mjs.
    ...generatedFusedKernels(gpu),
  };
  if (gpu.device.limits.maxStorageBuffersPerShaderStage >= ATTENTION_STORAGE_BUFFERS) fused.attention = createAttentionKernels(gpu);
  return fused;
}
