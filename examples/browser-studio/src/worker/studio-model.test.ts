import { setBackend } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleText } from './sample-text';
import { StudioModel } from './studio-model';

const text = 'To be, or not to be, that is the question:\nWhether tis nobler in the mind to suffer\n'.repeat(4);

beforeAll(async () => {
  await setBackend('wasm');
});

async function values(model: StudioModel): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const [name, t] of model.parameters) out.set(name, [...((await t.data()) as Float32Array)]);
  return out;
}

describe('StudioModel checkpoint files', () => {
  it('round-trips parameters, config, vocabulary and step through .safetensors + config.json', async () => {
    const model = StudioModel.fresh(text, 'hamlet', 'micro', 'wasm', 3);
    model.step = 42;
    const files = await model.toFiles();
    const config = JSON.parse(files.config) as Record<string, unknown>;
    expect(config).toMatchObject({ model_type: 'gpt2', n_layer: 1, n_embd: 32, n_positions: 16, vocab_size: model.tokenizer.vocabSize });
    expect(config.wattformer_studio).toEqual({ tokenizer: model.tokenizer.toJSON(), step: 42, textName: 'hamlet' });

    const loaded = StudioModel.fromFiles(files, 'wasm');
    expect(loaded.config).toEqual(model.config);
    expect(loaded.step).toBe(42);
    expect(loaded.textName).toBe('hamlet');
    expect(loaded.tokenizer.vocab).toEqual(model.tokenizer.vocab);
    expect(loaded.is('micro')).toBe(true);
    expect(loaded.is('tiny')).toBe(false);
    expect(await values(loaded)).toEqual(await values(model));
    // Same weights, same seed: the same sample.
    expect(await sampleText(loaded, 'To', 20, 0.8, 5)).toBe(await sampleText(model, 'To', 20, 0.8, 5));
  });

  it('refuses files the studio did not write, naming what is missing', async () => {
    const files = await StudioModel.fresh(text, 'hamlet', 'micro', 'wasm').toFiles();
    const plain = JSON.parse(files.config) as Record<string, unknown>;
    delete plain.wattformer_studio;
    expect(() => StudioModel.fromFiles({ weights: files.weights, config: JSON.stringify(plain) }, 'wasm')).toThrow(
      /^browser-studio: loadCheckpoint: expected a config.json saved by the studio .*, got a config.json without one\nhelp: /,
    );
    expect(() => StudioModel.fromFiles({ weights: files.weights, config: '{ not json' }, 'wasm')).toThrow(/^browser-studio: loadCheckpoint: expected config.json to be JSON, got /);
    const studio = JSON.parse(files.config) as { vocab_size: number };
    expect(() => StudioModel.fromFiles({ weights: files.weights, config: JSON.stringify({ ...studio, vocab_size: studio.vocab_size + 1 }) }, 'wasm')).toThrow(/expected 'transformer.wte.weight' of shape/);
  });
});

describe('sampleText', () => {
  it('continues the prompt past one context window, the same for the same seed', async () => {
    const model = StudioModel.fresh(text, 'hamlet', 'micro', 'wasm');
    const a = await sampleText(model, 'To be', 40, 0.8, 9);
    expect(a.startsWith('To be')).toBe(true);
    expect(a.length).toBe('To be'.length + 40);
    expect(model.covers(a)).toBe(true);
    expect(await sampleText(model, 'To be', 40, 0.8, 9)).toBe(a);
  });
});
