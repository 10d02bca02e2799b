import { setBackend, tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { wattformerBertConfig, wattformerBertHead, wattformerBertSeed } from './__fixtures__/wattformer-bert-fixture';
import { initBertParameters } from './bert';
import { bertCheckpointToBytes, bertConfigFromHf, bertConfigToHf, bertParametersFromSafetensors } from './bert-checkpoint';
import { bertPresets } from './bert-config';
import { BertModel } from './bert-model';
import { relativeError } from './test-utils';
import { decodeSafetensors, encodeSafetensors } from './safetensors';

const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/encoder-bert-torch.json', import.meta.url), 'utf8')) as {
  batch: number;
  tokens: number[];
  attentionMask: number[];
  tokenTypeIds: number[];
  sequence: { logits: number[] };
  mlm: { logits: number[] };
};
const folder = (name: string) => ({
  config: JSON.parse(readFileSync(new URL(`./__fixtures__/${name}/config.json`, import.meta.url), 'utf8')) as Record<string, unknown>,
  weights: decodeSafetensors(new Uint8Array(readFileSync(new URL(`./__fixtures__/${name}/model.safetensors`, import.meta.url)))).tensors,
});

describe.each(['cpu', 'wasm'])('BERT checkpoints saved by transformers save_pretrained, on %s', (backendName) => {
  const B = fixture.batch;
  const T = fixture.tokens.length / B;
  const inputs = () => ({
    tokens: tensor(Int32Array.from(fixture.tokens), [B, T], 'i32'),
    options: {
      attentionMask: tensor(Float32Array.from(fixture.attentionMask), [B, T]),
      tokenTypeIds: tensor(Int32Array.from(fixture.tokenTypeIds), [B, T], 'i32'),
    },
  });

  it("BertForSequenceClassification loads (config.json + model.safetensors) and gives transformers' logits within 1e-4", async () => {
    await setBackend(backendName);
    const { config: json, weights } = folder('encoder-hf-bert-seq');
    const { config, head } = bertConfigFromHf(json);
    expect(head).toEqual({ kind: 'sequence-classification', numLabels: 3 });
    const { parameters, ignored, initialized } = bertParametersFromSafetensors(weights, config, head);
    expect([ignored, initialized]).toEqual([[], []]);
    const { tokens, options } = inputs();
    expect(relativeError(new BertModel(config, head, parameters).forward(tokens, options).dataSync(), fixture.sequence.logits)).toBeLessThan(1e-4);
  });

  it("BertForMaskedLM (tied decoder dropped from the file) loads and gives transformers' logits within 1e-4", async () => {
    await setBackend(backendName);
    const { config: json, weights } = folder('encoder-hf-bert-mlm');
    const { config, head } = bertConfigFromHf(json);
    expect(head).toEqual({ kind: 'masked-lm' });
    const { parameters, ignored, initialized } = bertParametersFromSafetensors(weights, config, head);
    expect([ignored, initialized]).toEqual([[], []]);
    const { tokens, options } = inputs();
    expect(relativeError(new BertModel(config, head, parameters).forward(tokens, options).dataSync(), fixture.mlm.logits)).toBeLessThan(1e-4);
  });
});

describe('BERT checkpoint loading rules', () => {
  it('another head: its tensors are reported as ignored and the new head is initialised (as from_pretrained warns)', async () => {
    await setBackend('cpu');
    const { config: json, weights } = folder('encoder-hf-bert-seq');
    const { config } = bertConfigFromHf(json);
    const loaded = bertParametersFromSafetensors(weights, config, { kind: 'masked-lm' }, 3);
    expect(loaded.ignored.sort()).toEqual(['bert.pooler.dense.bias', 'bert.pooler.dense.weight', 'classifier.bias', 'classifier.weight']);
    expect(loaded.initialized.sort()).toEqual([
      'cls.predictions.bias',
      'cls.predictions.transform.LayerNorm.bias',
      'cls.predictions.transform.LayerNorm.weight',
      'cls.predictions.transform.dense.bias',
      'cls.predictions.transform.dense.weight',
    ]);
    expect(() => new BertModel(config, { kind: 'masked-lm' }, loaded.parameters)).not.toThrow();
  });

  it('reads BertModel-style names (no bert. prefix) and TF-era gamma/beta; names a missing or mis-shaped tensor', async () => {
    await setBackend('cpu');
    const { config: json, weights } = folder('encoder-hf-bert-seq');
    const { config } = bertConfigFromHf(json);
    const renamed = [...weights]
      .filter(([name]) => name.startsWith('bert.'))
      .map(
        ([name, e]) =>
          [
            name
              .slice(5)
              .replace(/LayerNorm\.weight$/, 'LayerNorm.gamma')
              .replace(/LayerNorm\.bias$/, 'LayerNorm.beta'),
            { shape: e.shape, data: e.data as Float32Array },
          ] as const,
      );
    const bare = decodeSafetensors(encodeSafetensors(renamed)).tensors;
    const base = bertParametersFromSafetensors(bare, config, { kind: 'none' });
    expect(base.parameters.get('bert.encoder.layer.1.output.LayerNorm.weight')!.dataSync()).toEqual(
      weights.get('bert.encoder.layer.1.output.LayerNorm.weight')!.data,
    );
    const withoutOne = new Map(bare);
    withoutOne.delete('encoder.layer.1.attention.self.key.weight');
    expect(() => bertParametersFromSafetensors(withoutOne, config, { kind: 'none' })).toThrow(
      /^model: loadBertCheckpoint: expected every encoder tensor for config.json \(2 layers\), got missing 'bert.encoder.layer.1.attention.self.key.weight'/,
    );
    expect(() => bertParametersFromSafetensors(bare, { ...config, mlpDim: 24 }, { kind: 'none' })).toThrow(
      /^model: loadBertCheckpoint: expected 'bert.encoder.layer.0.intermediate.dense.bias' of shape \[24\] \(from config.json\), got \[32\]/,
    );
    expect(() => bertParametersFromSafetensors(bare, { ...config, layers: 1 }, { kind: 'none' })).toThrow(
      /expected only BERT tensors for 1 layers, got unexpected 'encoder.layer.1/,
    );
  });

  it('config.json round-trips (both activations); an empty BertConfig is bert-base-uncased; unsupported fields are refused', () => {
    const head = { kind: 'token-classification', numLabels: 5 } as const;
    expect(bertConfigFromHf(bertConfigToHf(bertPresets.tiny, head))).toEqual({ config: bertPresets.tiny, head });
    expect(bertConfigFromHf(bertConfigToHf(bertPresets['bert-base-uncased']))).toEqual({ config: bertPresets['bert-base-uncased'], head: { kind: 'none' } });
    const hub = { architectures: ['BertForMaskedLM'], model_type: 'bert', hidden_act: 'gelu' };
    expect(bertConfigFromHf(hub)).toEqual({ config: bertPresets['bert-base-uncased'], head: { kind: 'masked-lm' } });
    expect(() => bertConfigFromHf({ ...hub, hidden_act: 'relu' })).toThrow(
      /^model: loadBertCheckpoint: expected hidden_act 'gelu' \(erf\), 'gelu_new' or 'gelu_pytorch_tanh' \(tanh\), got "relu"/,
    );
    expect(() => bertConfigFromHf({ ...hub, hidden_act: 'gelu_new', position_embedding_type: 'relative_key' })).toThrow(
      /expected position_embedding_type "absolute", got "relative_key"/,
    );
    expect(() => bertConfigFromHf({ architectures: ['BertForPreTraining'], hidden_act: 'gelu_new' })).toThrow(
      /help: pass \{ head \} to choose the head to build/,
    );
  });
});

describe('a BERT saved here loads in transformers', () => {
  const hf = JSON.parse(readFileSync(new URL('./__fixtures__/encoder-wattformer-bert.json', import.meta.url), 'utf8')) as {
    loadingInfo: Record<string, string[]>;
    tokens: number[];
    attentionMask: number[];
    logits: number[];
  };
  const committed = (file: string) => new Uint8Array(readFileSync(new URL(`./__fixtures__/encoder-wattformer-bert/${file}`, import.meta.url)));

  it('our saver still writes the committed folder byte for byte (transformers loaded it with no missing or unexpected keys)', async () => {
    await setBackend('cpu');
    const { weights, config } = await bertCheckpointToBytes(
      initBertParameters(wattformerBertConfig, wattformerBertHead, wattformerBertSeed),
      wattformerBertConfig,
      wattformerBertHead,
    );
    expect(Buffer.from(weights).equals(Buffer.from(committed('model.safetensors')))).toBe(true);
    expect(config).toBe(new TextDecoder().decode(committed('config.json')));
    expect(Object.values(hf.loadingInfo).flat()).toEqual([]);
  });

  it.each(['cpu', 'wasm'])("our logits on %s equal transformers' logits for that folder within 1e-4", async (backendName) => {
    await setBackend(backendName);
    const model = new BertModel(wattformerBertConfig, wattformerBertHead, wattformerBertSeed);
    const T = hf.tokens.length / 2;
    const logits = model.forward(tensor(Int32Array.from(hf.tokens), [2, T], 'i32'), { attentionMask: tensor(Float32Array.from(hf.attentionMask), [2, T]) });
    expect(relativeError(logits.dataSync(), hf.logits)).toBeLessThan(1e-4);
  });

  it('refuses parameters that do not fit the config, naming the tensor', async () => {
    await setBackend('cpu');
    const parameters = initBertParameters(wattformerBertConfig, wattformerBertHead, 1);
    await expect(bertCheckpointToBytes(parameters, { ...wattformerBertConfig, mlpDim: 16 }, wattformerBertHead)).rejects.toThrow(
      /^model: saveBertCheckpoint: expected 'bert.encoder.layer.0.intermediate.dense.weight' f32 \[16,12\], got f32 \[20,12\]/,
    );
  });
});
