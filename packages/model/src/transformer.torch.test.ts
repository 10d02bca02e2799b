import { mul, setBackend, sum, tensor, tidy, valueAndGrad, type Tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtureParameters, relativeError, type FixtureTensor } from './test-utils';
import { Seq2SeqModel, TransformerModel } from './seq2seq-model';
import type { Seq2SeqConfig, TransformerConfig } from './transformer-config';

interface Fixture {
  config: TransformerConfig;
  batch: number;
  sourceInput: number[];
  targetInput: number[];
  sourceMask: number[];
  targetMask: number[];
  parameters: Record<string, FixtureTensor>;
  weights: number[];
  output: number[];
  loss: number;
  gradients: Record<string, number[]>;
  geluOutput: number[];
  seq2seq: {
    config: Pick<Seq2SeqConfig, 'sourceVocabSize' | 'targetVocabSize' | 'maxLength'>;
    extraParameters: Record<string, FixtureTensor>;
    sourceIds: number[];
    targetInput: number[];
    targetOutput: number[];
    logits: number[];
    loss: number;
    gradients: Record<string, number[]>;
  };
}

const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/encoder-transformer-torch.json', import.meta.url), 'utf8')) as Fixture;

describe.each(['cpu', 'wasm'])('encoder-decoder against torch float64 on %s', (backendName) => {
  const { config, batch: B } = fixture;
  const d = config.modelDim;
  const S = fixture.sourceMask.length / B;
  const T = fixture.targetMask.length / B;
  const masks = () => ({
    sourceMask: tensor(Float32Array.from(fixture.sourceMask), [B, S]),
    targetMask: tensor(Float32Array.from(fixture.targetMask), [B, T]),
  });

  it('nn.Transformer (padding masks, causal target): output and every gradient within 1e-4', async () => {
    await setBackend(backendName);
    const model = new TransformerModel(config, fixtureParameters(fixture.parameters));
    const source = tensor(Float32Array.from(fixture.sourceInput), [B, S, d]);
    const target = tensor(Float32Array.from(fixture.targetInput), [B, T, d]);
    const weights = tensor(Float32Array.from(fixture.weights), [B, T, d]);
    const names = [...model.parameters.keys()];
    const { output, loss, grads } = tidy(() => {
      const result = valueAndGrad(
        () => sum(mul(model.forward(source, target, masks()), weights)),
        names.map((n) => model.parameters.get(n)!),
      );
      return { output: model.forward(source, target, masks()), loss: result.value, grads: result.grads };
    });
    expect(output.shape).toEqual([B, T, d]);
    expect(relativeError(output.dataSync(), fixture.output)).toBeLessThan(1e-4);
    expect(Math.abs(loss.dataSync()[0]! - fixture.loss) / Math.abs(fixture.loss)).toBeLessThan(1e-4);
    const errors = Object.fromEntries(names.map((name, i) => [name, relativeError((grads[i] as Tensor).dataSync(), fixture.gradients[name]!, 1e-2)]));
    expect(Object.entries(errors).filter(([, e]) => !(e < 1e-4))).toEqual([]);
    expect(names.length).toBe(Object.keys(fixture.gradients).length);
  });

  it('nn.Transformer(activation="gelu"): output within 1e-4', async () => {
    await setBackend(backendName);
    const model = new TransformerModel({ ...config, activation: 'gelu' }, fixtureParameters(fixture.parameters));
    const source = tensor(Float32Array.from(fixture.sourceInput), [B, S, d]);
    const target = tensor(Float32Array.from(fixture.targetInput), [B, T, d]);
    const output = model.forward(source, target, masks()).dataSync();
    expect(relativeError(output, fixture.geluOutput)).toBeLessThan(1e-4);
    expect(relativeError(output, fixture.output)).toBeGreaterThan(1e-2); // the activation matters here
  });

  it('Seq2Seq (×√d embeddings, sinusoidal positions, generator): logits, loss with −100 and gradients within 1e-4', async () => {
    await setBackend(backendName);
    const s2s = fixture.seq2seq;
    const s2sConfig: Seq2SeqConfig = { ...config, ...s2s.config };
    const transformer = [...fixtureParameters(fixture.parameters)].map(([name, t]) => [`transformer.${name}`, t] as const);
    const model = new Seq2SeqModel(s2sConfig, new Map([...fixtureParameters(s2s.extraParameters), ...transformer]));
    const sourceIds = tensor(Int32Array.from(s2s.sourceIds), [B, S], 'i32');
    const targetInput = tensor(Int32Array.from(s2s.targetInput), [B, T], 'i32');
    const targetOutput = tensor(Int32Array.from(s2s.targetOutput), [B, T], 'i32');
    const names = Object.keys(s2s.gradients);
    const { logits, loss, grads } = tidy(() => {
      const result = valueAndGrad(
        () => model.loss(sourceIds, targetInput, targetOutput, masks()),
        names.map((n) => model.parameters.get(n)!),
      );
      return { logits: model.forward(sourceIds, targetInput, masks()), loss: result.value, grads: result.grads };
    });
    expect(logits.shape).toEqual([B * T, s2sConfig.targetVocabSize]);
    expect(relativeError(logits.dataSync(), s2s.logits)).toBeLessThan(1e-4);
    expect(Math.abs(loss.dataSync()[0]! - s2s.loss) / s2s.loss).toBeLessThan(1e-5);
    const errors = Object.fromEntries(names.map((name, i) => [name, relativeError((grads[i] as Tensor).dataSync(), s2s.gradients[name]!, 1e-2)]));
    expect(Object.entries(errors).filter(([, e]) => !(e < 1e-4))).toEqual([]);
  });
});
