import { mul, setBackend, sum, tensor, type Tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { describe, expect, it } from 'vitest';
import { analyticGradients, BACKEND_GRADIENT, finiteDifferenceFailures, lossValue, outsideTolerance } from './test-utils';
import { Seq2SeqModel, TransformerModel } from './seq2seq-model';
import type { Seq2SeqConfig } from './transformer-config';

// Tiny encoder-decoder: different source and target lengths, padding on both sides, dropout 0.2.
const config: Seq2SeqConfig = {
  modelDim: 8,
  heads: 2,
  encoderLayers: 2,
  decoderLayers: 2,
  mlpDim: 12,
  dropout: 0.2,
  layerNormEps: 1e-5,
  sourceVocabSize: 11,
  targetVocabSize: 9,
  maxLength: 8,
};
// ReLU has kinks: ±1e-2 (the conformance default) flips a few units and biases the difference;
// ±1e-3 stays on one side while f32 rounding in the loss (~1e-7 · |L| / 2h ≈ 1e-4) stays below the budget.
const RELU_STEP = 1e-3;
/** Hundreds of tiny forward passes: generous for a shared 2-core machine (no timing is asserted). */
const TIMEOUT = 120_000;
const B = 2;
const S = 5;
const T = 3;

function batch() {
  return {
    source: tensor(Int32Array.from([1, 7, 3, 9, 2, 4, 4, 10, 0, 0]), [B, S], 'i32'),
    targetInput: tensor(Int32Array.from([1, 5, 8, 1, 3, 0]), [B, T], 'i32'),
    targetOutput: tensor(Int32Array.from([5, 8, 2, 3, 2, -100]), [B, T], 'i32'),
    sourceMask: tensor(Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]), [B, S]),
    targetMask: tensor(Float32Array.from([1, 1, 1, 1, 1, 0]), [B, T]),
  };
}

describe('Seq2Seq (encoder-decoder Transformer) gradient checks', () => {
  for (const training of [false, true]) {
    it(
      `${training ? 'training (seeded dropout)' : 'eval'}: autograd matches central finite differences on cpu`,
      async () => {
        await setBackend('cpu');
        const model = new Seq2SeqModel(config, 3);
        const { source, targetInput, targetOutput, sourceMask, targetMask } = batch();
        const options = { sourceMask, targetMask, training, seed: 4 };
        const lossOf = (p: ReadonlyMap<string, Tensor>) => () => new Seq2SeqModel(config, new Map(p)).loss(source, targetInput, targetOutput, options);
        const analytic = analyticGradients(model.parameters, lossOf(model.parameters));
        expect(finiteDifferenceFailures(model.parameters, analytic, (p) => lossValue(lossOf(p)), 3, RELU_STEP)).toEqual([]);
      },
      TIMEOUT,
    );
  }

  it(
    'wasm gradients (training, seeded dropout) match cpu within the fused-kernel budget',
    async () => {
      const gradients: Map<string, Float32Array>[] = [];
      for (const backend of ['cpu', 'wasm']) {
        await setBackend(backend);
        const model = new Seq2SeqModel(config, 3).train();
        const { source, targetInput, targetOutput, sourceMask, targetMask } = batch();
        gradients.push(analyticGradients(model.parameters, () => model.loss(source, targetInput, targetOutput, { sourceMask, targetMask, seed: 4 })));
      }
      const [cpu, wasm] = gradients as [Map<string, Float32Array>, Map<string, Float32Array>];
      expect(wasm.size).toBe(cpu.size);
      expect([...cpu].flatMap(([name, want]) => outsideTolerance(name, wasm.get(name)!, want, BACKEND_GRADIENT))).toEqual([]);
      await setBackend('cpu');
    },
    TIMEOUT,
  );

  it(
    'nn.Transformer alone (embedded inputs): finite differences on cpu and wasm-vs-cpu gradients',
    async () => {
      const weights = Float32Array.from({ length: B * T * 8 }, (_, i) => Math.sin(i));
      const gradients: Map<string, Float32Array>[] = [];
      for (const backend of ['cpu', 'wasm']) {
        await setBackend(backend);
        const model = new TransformerModel(config, 2);
        const source = tensor(
          Float32Array.from({ length: B * S * 8 }, (_, i) => Math.cos(i * 0.7)),
          [B, S, 8],
        );
        const target = tensor(
          Float32Array.from({ length: B * T * 8 }, (_, i) => Math.sin(i * 1.3)),
          [B, T, 8],
        );
        const { sourceMask, targetMask } = batch();
        const lossOf = (p: ReadonlyMap<string, Tensor>) => () =>
          sum(mul(new TransformerModel(config, new Map(p)).forward(source, target, { sourceMask, targetMask }), tensor(weights, [B, T, 8])));
        const analytic = analyticGradients(model.parameters, lossOf(model.parameters));
        gradients.push(analytic);
        if (backend === 'cpu') expect(finiteDifferenceFailures(model.parameters, analytic, (p) => lossValue(lossOf(p)), 3, RELU_STEP)).toEqual([]);
      }
      const [cpu, wasm] = gradients as [Map<string, Float32Array>, Map<string, Float32Array>];
      expect([...cpu].flatMap(([name, want]) => outsideTolerance(name, wasm.get(name)!, want, BACKEND_GRADIENT))).toEqual([]);
      await setBackend('cpu');
    },
    TIMEOUT,
  );
});
