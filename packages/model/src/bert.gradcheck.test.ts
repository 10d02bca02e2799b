import { setBackend, tensor, type Tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { describe, expect, it } from 'vitest';
import type { BertConfig, BertHead } from './bert-config';
import { BertModel } from './bert-model';
import { analyticGradients, BACKEND_GRADIENT, finiteDifferenceFailures, lossValue, outsideTolerance } from './test-utils';

// Small enough for finite differences on every parameter tensor; padding, token types and dropout all present.
const config: BertConfig = {
  vocabSize: 13,
  maxPositions: 8,
  typeVocabSize: 2,
  modelDim: 8,
  layers: 2,
  heads: 2,
  mlpDim: 12,
  hiddenDropout: 0.2,
  attentionDropout: 0.2,
  layerNormEps: 1e-12,
  initializerRange: 0.3,
  hiddenAct: 'gelu', // the composed erf GELU, so its gradient is checked too (the fused tanh one is conformance-tested in core)
};
/** Hundreds of tiny forward passes: generous for a shared 2-core machine (no timing is asserted). */
const TIMEOUT = 120_000;
const B = 2;
const T = 5;
const heads: [string, BertHead, number[]][] = [
  ['sequence classification', { kind: 'sequence-classification', numLabels: 3 }, [2, 0]],
  ['token classification', { kind: 'token-classification', numLabels: 3 }, [0, 1, 2, 1, 0, 2, 2, 1, -100, -100]],
  ['masked LM', { kind: 'masked-lm' }, [-100, 4, -100, 9, -100, 7, -100, -100, -100, -100]],
];

function inputs(head: BertHead, labels: number[]) {
  return {
    tokens: tensor(Int32Array.from([3, 1, 4, 1, 5, 9, 2, 6, 0, 0]), [B, T], 'i32'),
    labels: tensor(Int32Array.from(labels), head.kind === 'sequence-classification' ? [B] : [B, T], 'i32'),
    attentionMask: tensor(Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]), [B, T]),
    tokenTypeIds: tensor(Int32Array.from([0, 0, 0, 1, 1, 0, 0, 1, 1, 1]), [B, T], 'i32'),
  };
}

describe.each(heads)('BERT with a %s head: gradient checks', (_, head, labelValues) => {
  // Evaluation mode, and training mode with a fixed seed (same dropout masks in every evaluation).
  for (const training of [false, true]) {
    it(
      `${training ? 'training (seeded dropout)' : 'eval'}: autograd matches central finite differences on cpu`,
      async () => {
        await setBackend('cpu');
        const model = new BertModel(config, head, 5);
        const { tokens, labels, attentionMask, tokenTypeIds } = inputs(head, labelValues);
        const options = { attentionMask, tokenTypeIds, training, seed: 11 };
        const lossOf = (p: ReadonlyMap<string, Tensor>) => () => new BertModel(config, head, new Map(p)).loss(tokens, labels, options);
        const analytic = analyticGradients(model.parameters, lossOf(model.parameters));
        expect(finiteDifferenceFailures(model.parameters, analytic, (p) => lossValue(lossOf(p)), 3)).toEqual([]);
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
        const model = new BertModel(config, head, 5).train();
        const { tokens, labels, attentionMask, tokenTypeIds } = inputs(head, labelValues);
        gradients.push(analyticGradients(model.parameters, () => model.loss(tokens, labels, { attentionMask, tokenTypeIds, seed: 11 })));
      }
      const [cpu, wasm] = gradients as [Map<string, Float32Array>, Map<string, Float32Array>];
      expect(wasm.size).toBe(cpu.size);
      expect([...cpu].flatMap(([name, want]) => outsideTolerance(name, wasm.get(name)!, want, BACKEND_GRADIENT))).toEqual([]);
      await setBackend('cpu');
    },
    TIMEOUT,
  );
});
