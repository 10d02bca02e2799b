/**
 * Fuzzing the GPT checkpoint readers (#12): config.json (wild field values and mutated text),
 * weights mutated under a valid config, and sharded folders whose model.safetensors.index.json
 * names anything (../, absolute paths, devices, the config itself, missing files) or is mutated
 * text. Each case loads a model that matches its config or throws the model package's
 * WattformerError, with memory bounded. WATTFORMER_FUZZ_RUNS / WATTFORMER_FUZZ_SEED scale it.
 */
import { memory, setBackend } from '@wattformer/core';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byteMutation, fuzzTimeout, loadsOrRefuses, mutateBytes, mutateText, textMutation, wildValue } from './__fixtures__/fuzz';
import { randomGptParameters } from './__fixtures__/random-gpt';
import { gptCheckpointFromBytes, gptCheckpointToBytes, type GptCheckpoint } from './checkpoint';
import { loadGptCheckpoint } from './checkpoint-node';
import { gptParameterShapes, type GptConfig } from './gpt-config';
import { gptConfigToHf } from './hf-config';
import { decodeSafetensors, encodeSafetensors } from './safetensors';

const runs = Number(process.env.WATTFORMER_FUZZ_RUNS ?? 150);
const seed = Number(process.env.WATTFORMER_FUZZ_SEED ?? 20261206);

const config: GptConfig = { vocabSize: 12, contextLength: 6, modelDim: 4, layers: 2, heads: 2, mlpDim: 8, tiedEmbeddings: true };
let weights: Uint8Array;
let configText: string;
let folder: string;

beforeAll(async () => {
  await setBackend('cpu');
  ({ weights, config: configText } = await gptCheckpointToBytes(randomGptParameters(config, 5), config));
  folder = mkdtempSync(join(tmpdir(), 'wattformer-fuzz-ckpt-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A loaded checkpoint must match its own config exactly, then is freed. */
function checkLoaded(loaded: GptCheckpoint | undefined): void {
  if (loaded === undefined) return;
  const shapes = gptParameterShapes(loaded.config);
  expect([...loaded.parameters.keys()].sort()).toEqual([...shapes.keys()].sort());
  for (const [name, t] of loaded.parameters) {
    expect(t.shape).toEqual(shapes.get(name));
    t.dispose();
  }
}

const configFields = [
  'model_type',
  'n_embd',
  'n_head',
  'n_layer',
  'n_positions',
  'n_ctx',
  'n_inner',
  'vocab_size',
  'tie_word_embeddings',
  'activation_function',
  'layer_norm_epsilon',
  'embd_pdrop',
  'scale_attn_weights',
];

describe('GPT checkpoint fuzz (#12)', () => {
  it(
    'config.json objects with wild field values: a matching model or the model error (the studio path)',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.dictionary(fc.constantFrom(...configFields), wildValue, { maxKeys: 4 }), async (patch) => {
          const json = { ...gptConfigToHf(config), ...patch };
          const live = memory().liveTensors;
          checkLoaded(await loadsOrRefuses('model', weights.length, () => gptCheckpointFromBytes({ weights, config: json })));
          expect(memory().liveTensors).toBe(live); // a refusal leaks no tensor
        }),
        { numRuns: runs, seed },
      );
    },
    fuzzTimeout(150, 50),
  );

  it(
    'mutated config.json text (truncate, flip, deepen, repeat keys, big numbers)',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(textMutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          const text = mutateText(configText, mutations);
          checkLoaded(await loadsOrRefuses('model', text.length + weights.length, () => gptCheckpointFromBytes({ weights, config: text })));
        }),
        { numRuns: runs, seed },
      );
    },
    fuzzTimeout(150, 50),
  );

  it(
    'mutated model.safetensors under a valid config (bytes, and tensors dropped, renamed or reshaped)',
    async () => {
      const tensors = [...decodeSafetensors(weights).tensors].map(([name, e]) => [name, { shape: e.shape, data: e.data as Float32Array }] as const);
      const edit = fc.oneof(
        fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
        fc.record({
          kind: fc.constant('rename' as const),
          at: fc.nat(),
          name: fc.constantFrom('lm_head.weight', 'h.0.attn.bias', 'wte.weight', 'transformer.h.9.ln_1.weight', 'x'),
        }),
        fc.record({ kind: fc.constant('reshape' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('poison' as const), at: fc.nat(), value: fc.constantFrom(NaN, Infinity, -Infinity) }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(edit, { maxLength: 2 }), fc.array(byteMutation, { maxLength: 2 }), async (edits, mutations) => {
          let list = tensors.map(
            ([name, e]) => [name, { shape: [...e.shape], data: Float32Array.from(e.data) }] as [string, { shape: number[]; data: Float32Array }],
          );
          for (const e of edits) {
            const at = e.at % list.length;
            if (e.kind === 'drop') list = list.filter((_, i) => i !== at);
            else if (e.kind === 'rename') list[at]![0] = e.name;
            else if (e.kind === 'reshape') list[at]![1].shape = [list[at]![1].data.length];
            else list[at]![1].data[0] = e.value;
          }
          const unique = [...new Map(list)];
          const bytes = mutateBytes(encodeSafetensors(unique), mutations);
          checkLoaded(await loadsOrRefuses('model', bytes.length, () => gptCheckpointFromBytes({ weights: bytes, config: configText })));
        }),
        { numRuns: runs, seed },
      );
    },
    fuzzTimeout(150, 50),
  );

  it(
    'sharded folders: weight_map naming anything, and mutated index text',
    async () => {
      const names = [...decodeSafetensors(weights).tensors.keys()];
      const shardA = encodeSafetensors(
        [...decodeSafetensors(weights).tensors].filter(([n]) => names.indexOf(n) < 10).map(([n, e]) => [n, { shape: e.shape, data: e.data as Float32Array }]),
      );
      const shardB = encodeSafetensors(
        [...decodeSafetensors(weights).tensors].filter(([n]) => names.indexOf(n) >= 10).map(([n, e]) => [n, { shape: e.shape, data: e.data as Float32Array }]),
      );
      writeFileSync(join(folder, 'config.json'), configText);
      writeFileSync(join(folder, 'a.safetensors'), shardA);
      writeFileSync(join(folder, 'b.safetensors'), shardB);
      const shardName = fc.oneof(
        fc.constantFrom('a.safetensors', 'b.safetensors'),
        fc.constantFrom(
          '../a.safetensors',
          '/dev/zero',
          '../../../../dev/zero',
          '..',
          '.',
          '',
          'config.json',
          'missing.safetensors',
          'a/../b.safetensors',
          'C:\\x',
          'a\u0000b',
          '.'.repeat(300),
        ),
        fc.string({ maxLength: 12 }),
        wildValue,
      );
      const index = fc.oneof(
        fc.record({ weight_map: fc.dictionary(fc.constantFrom(...names.slice(0, 12), 'x'), shardName, { maxKeys: 6 }) }).map((json) => JSON.stringify(json)),
        fc.tuple(fc.array(textMutation, { minLength: 1, maxLength: 3 })).map(([mutations]) =>
          mutateText(
            JSON.stringify({
              metadata: { total_size: 1 },
              weight_map: Object.fromEntries(names.map((n, i) => [n, i < 10 ? 'a.safetensors' : 'b.safetensors'])),
            }),
            mutations,
          ),
        ),
      );
      await fc.assert(
        fc.asyncProperty(index, async (text) => {
          writeFileSync(join(folder, 'model.safetensors.index.json'), text);
          checkLoaded(await loadsOrRefuses('model', text.length + weights.length, () => loadGptCheckpoint(folder)));
        }),
        { numRuns: runs, seed },
      );
    },
    fuzzTimeout(150, 80),
  );
});
