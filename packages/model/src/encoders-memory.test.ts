import { memory, setBackend, tensor, tidy, valueAndGrad } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { describe, expect, it } from 'vitest';
import { bertPresets } from './bert-config';
import { BertModel } from './bert-model';
import { Seq2SeqModel } from './seq2seq-model';
import { transformerDefaults } from './transformer-config';

const snapshot = () => {
  const { liveTensors, liveStorages, backendBytes } = memory();
  return { liveTensors, liveStorages, backendBytes };
};

describe.each(['cpu', 'wasm'])('encoder memory on %s', (backendName) => {
  it('training steps (dropout, attention-probability dropout, gradients) inside tidy and greedy decoding leave nothing behind', async () => {
    await setBackend(backendName);
    const bert = new BertModel(bertPresets.tiny, { kind: 'masked-lm' }, 1).train();
    const s2s = new Seq2SeqModel(
      {
        ...transformerDefaults,
        modelDim: 16,
        mlpDim: 32,
        encoderLayers: 1,
        decoderLayers: 1,
        heads: 2,
        sourceVocabSize: 20,
        targetVocabSize: 20,
        maxLength: 8,
      },
      1,
    ).train();
    const tokens = tensor(Int32Array.from([1, 5, 3, 7, 2, 0]), [2, 3], 'i32');
    const labels = tensor(Int32Array.from([-100, 5, -100, 7, -100, -100]), [2, 3], 'i32');
    const mask = tensor(Float32Array.from([1, 1, 1, 1, 1, 0]), [2, 3]);
    const step = (seed: number) =>
      tidy(() => {
        valueAndGrad(() => bert.loss(tokens, labels, { attentionMask: mask, seed }), [...bert.parameters.values()]);
        valueAndGrad(() => s2s.loss(tokens, tokens, tokens, { sourceMask: mask, targetMask: mask, seed }), [...s2s.parameters.values()]);
      });
    const decode = () => s2s.eval().generate(tokens, { startToken: 1, endToken: 2, maxNewTokens: 5, sourceMask: mask });
    // Warm-up: core caches per-shape constants once (cross-entropy row offsets, the unfused
    // attention's causal bias for each decoder length).
    step(0);
    await decode();
    s2s.train();
    const before = snapshot();
    for (let seed = 1; seed <= 4; seed++) step(seed);
    expect(snapshot()).toEqual(before);
    await decode();
    expect(snapshot()).toEqual(before);
  });
});
