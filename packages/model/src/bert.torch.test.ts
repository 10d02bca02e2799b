import { setBackend, tensor, tidy, valueAndGrad, type Tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BertConfig } from './bert-config';
import { BertModel } from './bert-model';
import { fixtureParameters, relativeError, type FixtureTensor } from './test-utils';

interface HeadResult {
  labels: number[];
  logits: number[];
  loss: number;
}

interface Fixture {
  config: BertConfig;
  numLabels: number;
  batch: number;
  tokens: number[];
  attentionMask: number[];
  tokenTypeIds: number[];
  parameters: Record<string, FixtureTensor>;
  tokenClassifier: Record<string, FixtureTensor>;
  maskedLm: Record<string, FixtureTensor>;
  sequence: HeadResult;
  token: HeadResult;
  mlm: HeadResult;
  gradients: Record<string, number[]>;
  sequenceErf: { logits: number[]; loss: number; gradients: Record<string, number[]> };
}

const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/encoder-bert-torch.json', import.meta.url), 'utf8')) as Fixture;

describe.each(['cpu', 'wasm'])('BERT heads against transformers BertFor* in float64 on %s', (backendName) => {
  const { config, batch: B, numLabels } = fixture;
  const T = fixture.tokens.length / B;
  const inputs = () => ({
    tokens: tensor(Int32Array.from(fixture.tokens), [B, T], 'i32'),
    attentionMask: tensor(Float32Array.from(fixture.attentionMask), [B, T]),
    tokenTypeIds: tensor(Int32Array.from(fixture.tokenTypeIds), [B, T], 'i32'),
  });
  const encoder = () => new Map([...fixtureParameters(fixture.parameters)].filter(([name]) => name.startsWith('bert.') && !name.startsWith('bert.pooler.')));

  it('sequence classification: logits, loss and every parameter gradient within 1e-4 relative (1e-6 absolute where it is below 1e-2, e.g. key biases)', async () => {
    await setBackend(backendName);
    const model = new BertModel(config, { kind: 'sequence-classification', numLabels }, fixtureParameters(fixture.parameters));
    const { tokens, attentionMask, tokenTypeIds } = inputs();
    const labels = tensor(Int32Array.from(fixture.sequence.labels), [B], 'i32');
    const names = [...model.parameters.keys()];
    const { logits, loss, grads } = tidy(() => {
      const result = valueAndGrad(
        () => model.loss(tokens, labels, { attentionMask, tokenTypeIds }),
        names.map((n) => model.parameters.get(n)!),
      );
      return { logits: model.forward(tokens, { attentionMask, tokenTypeIds }), loss: result.value, grads: result.grads };
    });
    expect(logits.shape).toEqual([B, numLabels]);
    expect(relativeError(logits.dataSync(), fixture.sequence.logits)).toBeLessThan(1e-4);
    expect(Math.abs(loss.dataSync()[0]! - fixture.sequence.loss) / fixture.sequence.loss).toBeLessThan(1e-5);
    const errors = Object.fromEntries(names.map((name, i) => [name, relativeError((grads[i] as Tensor).dataSync(), fixture.gradients[name]!, 1e-2)]));
    expect(Object.entries(errors).filter(([, e]) => !(e < 1e-4))).toEqual([]);
    expect(names.length).toBe(Object.keys(fixture.gradients).length);
  });

  it('sequence classification with hidden_act "gelu" (exact erf GELU): logits within 2e-5 (tanh GELU is 1.5e-4 off), loss and gradients', async () => {
    await setBackend(backendName);
    const erf = fixture.sequenceErf;
    const model = new BertModel({ ...config, hiddenAct: 'gelu' }, { kind: 'sequence-classification', numLabels }, fixtureParameters(fixture.parameters));
    const { tokens, attentionMask, tokenTypeIds } = inputs();
    const labels = tensor(Int32Array.from(fixture.sequence.labels), [B], 'i32');
    expect(relativeError(model.forward(tokens, { attentionMask, tokenTypeIds }).dataSync(), erf.logits)).toBeLessThan(2e-5);
    const names = Object.keys(erf.gradients);
    const { loss, grads } = tidy(() => {
      const result = valueAndGrad(
        () => model.loss(tokens, labels, { attentionMask, tokenTypeIds }),
        names.map((n) => model.parameters.get(n)!),
      );
      return { loss: result.value, grads: result.grads };
    });
    expect(Math.abs(loss.dataSync()[0]! - erf.loss) / erf.loss).toBeLessThan(1e-5);
    expect(names.filter((name, i) => !(relativeError((grads[i] as Tensor).dataSync(), erf.gradients[name]!) < 1e-4))).toEqual([]);
  });

  it('token classification: logits (padding positions too) and the loss with −100 labels within 1e-4', async () => {
    await setBackend(backendName);
    const parameters = new Map([...encoder(), ...fixtureParameters(fixture.tokenClassifier)]);
    const model = new BertModel(config, { kind: 'token-classification', numLabels }, parameters);
    const { tokens, attentionMask, tokenTypeIds } = inputs();
    const labels = tensor(Int32Array.from(fixture.token.labels), [B, T], 'i32');
    const logits = model.forward(tokens, { attentionMask, tokenTypeIds });
    expect(logits.shape).toEqual([B * T, numLabels]);
    expect(relativeError(logits.dataSync(), fixture.token.logits)).toBeLessThan(1e-4);
    const loss = model.loss(tokens, labels, { attentionMask, tokenTypeIds }).dataSync()[0]!;
    expect(Math.abs(loss - fixture.token.loss) / fixture.token.loss).toBeLessThan(1e-5);
  });

  it('masked LM with the decoder tied to the word embeddings: logits and loss within 1e-4', async () => {
    await setBackend(backendName);
    const parameters = new Map([...encoder(), ...fixtureParameters(fixture.maskedLm)]);
    const model = new BertModel(config, { kind: 'masked-lm' }, parameters);
    const { tokens, attentionMask, tokenTypeIds } = inputs();
    const labels = tensor(Int32Array.from(fixture.mlm.labels), [B, T], 'i32');
    const logits = model.forward(tokens, { attentionMask, tokenTypeIds });
    expect(logits.shape).toEqual([B * T, config.vocabSize]);
    expect(relativeError(logits.dataSync(), fixture.mlm.logits)).toBeLessThan(1e-4);
    const loss = model.loss(tokens, labels, { attentionMask, tokenTypeIds }).dataSync()[0]!;
    expect(Math.abs(loss - fixture.mlm.loss) / fixture.mlm.loss).toBeLessThan(1e-5);
  });
});
