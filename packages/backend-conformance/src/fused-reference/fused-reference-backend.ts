import { createCpuBackend, type Backend, type CpuStorage, type FusedKernels } from '@wattformer/core';
import { attentionKernels } from './attention';
import { adamwKernel } from './adamw';
import { crossEntropyKernels } from './cross-entropy';
import { generatedFusedKernels } from './fused.generated';
import { layerNormKernels } from './layer-norm';
import { logSoftmaxKernels, softmaxKernels } from './softmax';

/**
 * The cpu primitives plus a plain-TypeScript version of every optional fused kernel. It exists
 * to prove the fused half of the `Backend` interface end to end (core routes to the overrides;
 * the conformance suite compares them with the default bodies) and to show a backend author the
 * exact semantics each fused kernel must have, in the simplest code. It provides every key of
 * `FusedKernels` (`Required<…>` below), so the coverage test derives its list from it.
 */
export function createFusedReferenceBackend(): Backend<CpuStorage> {
  const cpu = createCpuBackend();
  const output = (values: Float32Array): CpuStorage => cpu.upload(values, 'f32');
  const fused: Required<FusedKernels<CpuStorage>> = {
    softmax: softmaxKernels(output),
    logSoftmax: logSoftmaxKernels(output),
    layerNorm: layerNormKernels(output),
    attention: attentionKernels(output),
    softmaxCrossEntropy: crossEntropyKernels(output),
    adamw: adamwKernel,
    // Kernels declared with fused_abi!: each file's `fused`, indexed by scripts/gen-kernels.mjs.
    ...generatedFusedKernels(output),
  };
  return { ...cpu, name: 'cpu-fused-reference', fused };
}
