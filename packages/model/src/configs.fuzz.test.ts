/**
 * Fuzzing the other model families' readers (#12): BERT config.json (objects with wild values,
 * mutated text, and the real Hugging Face fixture's weights under them), Transformer / Seq2Seq
 * configs, and LoRA adapters (adapter_config.json values and text, adapter_model.safetensors
 * bytes, and folders). Each case loads consistently or throws the model package's
 * WattformerError, with memory bounded. WATTFORMER_FUZZ_RUNS / WATTFORMER_FUZZ_SEED scale it.
 */
import { memory, setBackend } from '@wattformer/core';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byteMutation, fuzzTimeout, loadsOrRefuses, mutateBytes, mutateText, textMutation, wildValue } from './__fixtures__/fuzz';
import { bertConfigFromHf, bertParametersFromSafetensors } from './bert-checkpoint';
import { bertParameterShapes } from './bert-config';
import { parseBoundedJson } from './bounded-json';
import { MODEL_LIMITS } from './config-limits';
import { loadLoraAdapter } from './lora-node';
import { loraFromSafetensors } from './lora-safetensors';
import { readSafetensorsHeader, safetensorsSources } from './safetensors';
import { seq2seqParameterShapes, transformerDefaults } from './transformer-config';

const runs = Number(process.env.WATTFORMER_FUZZ_RUNS ?? 150);
const seed = Number(process.env.WATTFORMER_FUZZ_SEED ?? 20261206);

const fixture = (path: string) => new URL(`./__fixtures__/${path}`, import.meta.url);
const bertConfigText = readFileSync(fixture('encoder-hf-bert-seq/config.json'), 'utf8');
const bertWeights = new Uint8Array(readFileSync(fixture('encoder-hf-bert-seq/model.safetensors')));
const loraConfigText = readFileSync(fixture('peft-gpt2-tiny-lora/adapter_config.json'), 'utf8');
const loraWeights = new Uint8Array(readFileSync(fixture('peft-gpt2-tiny-lora/adapter_model.safetensors')));
let folder: string;

beforeAll(async () => {
  await setBackend('cpu');
  folder = mkdtempSync(join(tmpdir(), 'wattformer-fuzz-configs-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const bertFields = [
  'vocab_size',
  'hidden_size',
  'num_hidden_layers',
  'num_attention_heads',
  'intermediate_size',
  'max_position_embeddings',
  'type_vocab_size',
  'num_labels',
  'id2label',
  'architectures',
  'hidden_act',
  'layer_norm_eps',
  'hidden_dropout_prob',
  'model_type',
  'problem_type',
  'classifier_dropout',
];
const loraFields = [
  'r',
  'lora_alpha',
  'target_modules',
  'lora_dropout',
  'peft_type',
  'fan_in_fan_out',
  'use_rslora',
  'use_dora',
  'bias',
  'modules_to_save',
  'rank_pattern',
  'layers_to_transform',
];

/** BERT config → weights from the fixture: a config that loads yields parameters of exactly its shapes. */
async function loadBert(json: unknown): Promise<void> {
  const live = memory().liveTensors;
  const result = await loadsOrRefuses('model', bertWeights.length, () => {
    const { config, head } = bertConfigFromHf(json);
    expect(config.layers).toBeLessThanOrEqual(MODEL_LIMITS.layers);
    expect(config.modelDim).toBeLessThanOrEqual(MODEL_LIMITS.modelDim);
    expect(config.vocabSize).toBeLessThanOrEqual(MODEL_LIMITS.vocabSize);
    expect(config.mlpDim).toBeLessThanOrEqual(MODEL_LIMITS.mlpDim);
    const sources = safetensorsSources(bertWeights, readSafetensorsHeader(bertWeights));
    const loaded = bertParametersFromSafetensors(sources, config, head);
    const shapes = bertParameterShapes(config, head);
    for (const [name, t] of loaded.parameters) expect(t.shape).toEqual(shapes.get(name));
    return loaded;
  });
  for (const t of result?.parameters.values() ?? []) t.dispose();
  expect(memory().liveTensors).toBe(live);
}

describe('config and adapter fuzz (#12)', () => {
  it(
    'BERT config.json objects with wild values',
    async () => {
      const base = JSON.parse(bertConfigText) as Record<string, unknown>;
      await fc.assert(
        fc.asyncProperty(fc.dictionary(fc.constantFrom(...bertFields), wildValue, { maxKeys: 4 }), async (patch) => loadBert({ ...base, ...patch })),
        { numRuns: runs, seed },
      );
    },
    fuzzTimeout(150, 60),
  );

  it(
    'mutated BERT config.json text',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(textMutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          const text = mutateText(bertConfigText, mutations);
          let json: unknown;
          try {
            json = parseBoundedJson(text, 'loadBertCheckpoint', 'config.json');
          } catch (error) {
            await loadsOrRefuses('model', text.length, () => {
              throw error;
            });
            return;
          }
          await loadBert(json);
        }),
        { numRuns: runs, seed },
      );
    },
    fuzzTimeout(150, 60),
  );

  it('Transformer / Seq2Seq configs with wild values', async () => {
    const fields = ['modelDim', 'heads', 'encoderLayers', 'decoderLayers', 'mlpDim', 'sourceVocabSize', 'targetVocabSize', 'maxLength'];
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...fields), wildValue, { maxKeys: 3 }), async (patch) => {
        const config = {
          ...transformerDefaults,
          modelDim: 8,
          mlpDim: 16,
          encoderLayers: 1,
          decoderLayers: 1,
          sourceVocabSize: 10,
          targetVocabSize: 10,
          maxLength: 8,
          ...patch,
        };
        const shapes = await loadsOrRefuses('model', 1024, () => seq2seqParameterShapes(config as never));
        if (shapes !== undefined) for (const shape of shapes.values()) expect(shape.every((d) => Number.isInteger(d) && d >= 0)).toBe(true);
      }),
      { numRuns: runs, seed },
    );
  });

  it(
    'LoRA adapter_config.json values and text, with mutated adapter_model.safetensors bytes',
    async () => {
      const base = JSON.parse(loraConfigText) as Record<string, unknown>;
      const config = fc.oneof(
        fc.dictionary(fc.constantFrom(...loraFields), wildValue, { maxKeys: 3 }).map((patch) => ({ ...base, ...patch }) as unknown),
        fc.array(textMutation, { minLength: 1, maxLength: 2 }).map((mutations) => mutateText(loraConfigText, mutations)),
      );
      await fc.assert(
        fc.asyncProperty(config, fc.array(byteMutation, { maxLength: 2 }), async (json, mutations) => {
          const weights = mutateBytes(loraWeights, mutations);
          const live = memory().liveTensors;
          const adapter = await loadsOrRefuses('model', weights.length + 4096, () =>
            loraFromSafetensors(
              weights,
              (typeof json === 'string' ? parseBoundedJson(json, 'loadLoraAdapter', 'adapter_config.json') : json) as Record<string, unknown>,
            ),
          );
          if (adapter !== undefined) {
            for (const [name, t] of adapter.parameters) {
              expect(name).toMatch(/lora_[AB]\.weight$/);
              expect(t.shape.length).toBe(2);
              t.dispose();
            }
          }
          expect(memory().liveTensors).toBe(live);
        }),
        { numRuns: runs, seed },
      );
    },
    fuzzTimeout(150, 60),
  );

  it(
    'LoRA adapter folders (mutated files on disk)',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(textMutation, { maxLength: 2 }), fc.array(byteMutation, { maxLength: 2 }), async (textEdits, byteEdits) => {
          writeFileSync(join(folder, 'adapter_config.json'), mutateText(loraConfigText, textEdits));
          writeFileSync(join(folder, 'adapter_model.safetensors'), mutateBytes(loraWeights, byteEdits));
          const adapter = await loadsOrRefuses('model', loraWeights.length + 4096, () => loadLoraAdapter(folder));
          for (const t of adapter?.parameters.values() ?? []) t.dispose();
        }),
        { numRuns: runs, seed },
      );
    },
    fuzzTimeout(150, 60),
  );
});
