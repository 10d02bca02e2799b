import { setBackend, WattformerError } from '@wattformer/core';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomGptParameters } from './__fixtures__/random-gpt';
import { gptCheckpointFromBytes, gptCheckpointToBytes } from './checkpoint';
import { loadGptCheckpoint, saveGptCheckpoint } from './checkpoint-node';
import { gptParameterShapes, type GptConfig } from './gpt-config';
import { initGptParameters } from './gpt';
import { gptConfigFromHf, gptConfigToHf } from './hf-config';
import { decodeSafetensors, encodeSafetensors } from './safetensors';

const config: GptConfig = { vocabSize: 30, contextLength: 10, modelDim: 8, layers: 2, heads: 2, mlpDim: 20, tiedEmbeddings: true };

/** The checkpoint's tensors with one change, re-encoded. */
function edited(weights: Uint8Array, edit: (tensors: Map<string, { shape: readonly number[]; data: Float32Array }>) => void): Uint8Array {
  const tensors = new Map([...decodeSafetensors(weights).tensors].map(([n, e]) => [n, { shape: e.shape, data: e.data as Float32Array }]));
  edit(tensors);
  return encodeSafetensors(tensors, { format: 'pt' });
}

describe('GPT checkpoints', () => {
  it('gptParameterShapes lists exactly what initGptParameters makes, tied and untied', () => {
    for (const tiedEmbeddings of [true, false]) {
      const c = { ...config, tiedEmbeddings };
      const made = initGptParameters(c, 0);
      expect([...made].map(([n, t]) => [n, [...t.shape]])).toEqual([...gptParameterShapes(c)]);
    }
  });

  it('round-trips config.json through GPT2Config names', () => {
    const hf = gptConfigToHf(config);
    expect(hf).toMatchObject({
      model_type: 'gpt2',
      architectures: ['GPT2LMHeadModel'],
      activation_function: 'gelu_new',
      vocab_size: 30,
      n_positions: 10,
      n_embd: 8,
      n_layer: 2,
      n_head: 2,
      n_inner: 20,
      layer_norm_epsilon: 1e-5,
      tie_word_embeddings: true,
    });
    expect(gptConfigFromHf(hf)).toEqual(config);
    // n_inner null means 4·n_embd; missing fields take GPT2Config's defaults.
    expect(gptConfigFromHf({ model_type: 'gpt2', n_inner: null })).toEqual({
      vocabSize: 50257,
      contextLength: 1024,
      modelDim: 768,
      layers: 12,
      heads: 12,
      mlpDim: 3072,
      tiedEmbeddings: true,
    });
  });

  it('saves to a folder atomically and loads the same values (untied head too)', async () => {
    await setBackend('cpu');
    const folder = mkdtempSync(join(tmpdir(), 'wattformer-ckpt-'));
    const untied = { ...config, tiedEmbeddings: false };
    const parameters = randomGptParameters(untied, 3);
    await saveGptCheckpoint(folder, parameters, untied);
    expect(readdirSync(folder).sort()).toEqual(['config.json', 'model.safetensors']); // no temporary files left
    const loaded = await loadGptCheckpoint(folder, { expectedConfig: untied });
    expect(loaded.config).toEqual(untied);
    expect([...loaded.parameters.keys()]).toEqual([...parameters.keys()]);
    for (const [name, t] of parameters) expect(loaded.parameters.get(name)!.dataSync()).toEqual(t.dataSync());
    expect(decodeSafetensors(readFileSync(join(folder, 'model.safetensors'))).metadata).toEqual({ format: 'pt' });
  });

  it('a refused save leaves the existing checkpoint as it was', async () => {
    await setBackend('cpu');
    const folder = mkdtempSync(join(tmpdir(), 'wattformer-ckpt-'));
    await saveGptCheckpoint(folder, randomGptParameters(config, 1), config);
    const before = readFileSync(join(folder, 'model.safetensors'));
    const wrong = randomGptParameters({ ...config, modelDim: 4 }, 1);
    await expect(saveGptCheckpoint(folder, wrong, config)).rejects.toThrow(
      /^model: saveGptCheckpoint: expected 'transformer.wte.weight' of shape \[30,8\], got \[30,4\]/,
    );
    expect(readFileSync(join(folder, 'model.safetensors')).equals(before)).toBe(true);
    expect(readdirSync(folder).sort()).toEqual(['config.json', 'model.safetensors']);
  });

  it('says which tensor is wrong: shape, missing, unexpected, dtype; and which config field differs', async () => {
    await setBackend('cpu');
    const { weights, config: json } = await gptCheckpointToBytes(randomGptParameters(config, 2), config);
    const load =
      (w: Uint8Array, c: string | object = json) =>
      () =>
        gptCheckpointFromBytes({ weights: w, config: c });
    const expectError = (run: () => unknown, code: string, pattern: RegExp) => {
      let error: unknown;
      try {
        run();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(WattformerError);
      expect((error as WattformerError).code).toBe(code);
      expect((error as Error).message).toMatch(pattern);
    };
    // config.json says n_embd 8 but the weights are for another width: the first mismatching tensor is named.
    expectError(
      load(weights, { ...gptConfigToHf(config), n_inner: 24 }),
      'E_SHAPE',
      /^model: loadGptCheckpoint: expected 'transformer.h.0.mlp.c_fc.weight' of shape \[8, 24\] \(from config.json\), got \[8, 20\]\nhelp: config.json does not describe/,
    );
    expectError(
      load(weights, { ...gptConfigToHf(config), n_layer: 3 }),
      'E_ARGUMENT',
      /expected every GPT-2 tensor for config.json \(3 layers\), got missing 'transformer.h.2.ln_1.weight', .* and 8 more/,
    );
    expectError(
      load(weights, { ...gptConfigToHf(config), n_layer: 1 }),
      'E_ARGUMENT',
      /expected only GPT-2 tensors for 1 layers, got unexpected 'transformer.h.1.ln_1.weight'/,
    );
    expectError(load(weights, { ...gptConfigToHf(config), tie_word_embeddings: false }), 'E_ARGUMENT', /got missing 'lm_head.weight'/);
    expectError(load(edited(weights, (t) => t.delete('transformer.ln_f.bias'))), 'E_ARGUMENT', /got missing 'transformer.ln_f.bias'/);
    const ints = (() => {
      // The same file with transformer.wpe.weight declared I32: a float tensor is expected.
      const file = decodeSafetensors(weights);
      const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
      let offset = 0;
      const parts: Uint8Array[] = [];
      for (const [name, entry] of file.tensors) {
        const data = new Uint8Array((entry.data as Float32Array).slice().buffer);
        header[name] = { dtype: name === 'transformer.wpe.weight' ? 'I32' : 'F32', shape: entry.shape, data_offsets: [offset, offset + data.length] };
        parts.push(data);
        offset += data.length;
      }
      const text = new TextEncoder().encode(JSON.stringify(header));
      const bytes = new Uint8Array(8 + text.length + offset);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(text.length), true);
      bytes.set(text, 8);
      let at = 8 + text.length;
      for (const p of parts) bytes.set(p, at), (at += p.length);
      return bytes;
    })();
    expectError(load(ints), 'E_DTYPE', /expected 'transformer.wpe.weight' a float tensor \(F32, F16, BF16 or F64\), got I32/);
    expectError(load(weights, { ...gptConfigToHf(config), model_type: 'bert' }), 'E_ARGUMENT', /expected config.json model_type 'gpt2', got "bert"/);
    expectError(
      load(weights, { ...gptConfigToHf(config), layer_norm_epsilon: 1e-6 }),
      'E_UNSUPPORTED',
      /expected layer_norm_epsilon 1e-5 \(the LayerNorm used here\), got 0.000001/,
    );
    expectError(
      load(weights, { ...gptConfigToHf(config), activation_function: 'relu' }),
      'E_UNSUPPORTED',
      /expected activation_function 'gelu_new' or 'gelu_pytorch_tanh'/,
    );
    expectError(load(weights, '{ not json'), 'E_ARGUMENT', /expected config.json to be JSON/);
    expectError(
      () => gptCheckpointFromBytes({ weights, config: json }, { expectedConfig: { ...config, heads: 4, contextLength: 12 } }),
      'E_ARGUMENT',
      /^model: loadGptCheckpoint: expected the expected config \(contextLength 12, heads 4\), got contextLength 10, heads 2\nhelp: /,
    );
  });

  it('loads a sharded folder (model.safetensors.index.json)', async () => {
    await setBackend('cpu');
    const parameters = randomGptParameters(config, 4);
    const { weights, config: json } = await gptCheckpointToBytes(parameters, config);
    const folder = mkdtempSync(join(tmpdir(), 'wattformer-ckpt-'));
    const names = [...decodeSafetensors(weights).tensors.keys()];
    const shards = [names.slice(0, 10), names.slice(10)];
    const weightMap: Record<string, string> = {};
    shards.forEach((shard, i) => {
      const file = `model-0000${i + 1}-of-00002.safetensors`;
      writeFileSync(
        join(folder, file),
        edited(weights, (t) => [...t.keys()].filter((n) => !shard.includes(n)).forEach((n) => t.delete(n))),
      );
      for (const name of shard) weightMap[name] = file;
    });
    writeFileSync(join(folder, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
    writeFileSync(join(folder, 'config.json'), json);
    const loaded = await loadGptCheckpoint(folder);
    for (const [name, t] of parameters) expect(loaded.parameters.get(name)!.dataSync()).toEqual(t.dataSync());
  });

  it('names what a folder lacks', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'wattformer-ckpt-'));
    await expect(loadGptCheckpoint(folder)).rejects.toThrow(/^model: loadGptCheckpoint: expected a config.json in '.*', got none/);
    writeFileSync(join(folder, 'config.json'), JSON.stringify(gptConfigToHf(config)));
    writeFileSync(join(folder, 'pytorch_model.bin'), 'pickle');
    await expect(loadGptCheckpoint(folder)).rejects.toThrow(
      /expected model.safetensors in '.*', got pytorch_model.bin only\nhelp: re-save in Python with model.save_pretrained\(folder, safe_serialization=True\)/,
    );
  });
});
