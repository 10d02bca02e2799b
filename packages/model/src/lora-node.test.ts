import { keep, randn, setBackend, type Tensor } from '@wattformer/core';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomGptParameters } from './__fixtures__/random-gpt';
import type { GptConfig } from './gpt-config';
import { createLora, type LoraAdapter } from './lora';
import { loraConfigToPeft, type LoraConfig } from './lora-config';
import { loadLoraAdapter, saveLoraAdapter } from './lora-node';
import { loraFromSafetensors, loraToSafetensors } from './lora-safetensors';
import { encodeSafetensors } from './safetensors';

const config: GptConfig = { vocabSize: 20, contextLength: 8, modelDim: 16, layers: 2, heads: 2, mlpDim: 24, tiedEmbeddings: true };
const lora: LoraConfig = { rank: 4, alpha: 8, targets: ['attn.c_attn', 'mlp.c_fc'], fanInFanOut: true, dropout: 0.05 };
const peft = loraConfigToPeft(lora);

function adapter(): LoraAdapter {
  const created = createLora(randomGptParameters(config, 3), lora, 1);
  const parameters = new Map<string, Tensor>();
  let seed = 70;
  for (const [name, t] of created.parameters) parameters.set(name, name.includes('lora_B') ? keep(randn([...t.shape], { seed: seed++ })) : t);
  return { config: lora, parameters };
}

/** A PEFT-named file holding the given tensors (zeros of the given shapes). */
const file = (tensors: Record<string, number[]>) =>
  encodeSafetensors(Object.entries(tensors).map(([name, shape]) => [name, { shape, data: new Float32Array(shape.reduce((n, d) => n * d, 1)) }]));
const A = 'base_model.model.transformer.h.0.attn.c_attn.lora_A.weight';
const B = 'base_model.model.transformer.h.0.attn.c_attn.lora_B.weight';

describe('LoRA adapter files', () => {
  let folder: string;
  beforeEach(async () => {
    await setBackend('cpu');
    folder = await mkdtemp(join(tmpdir(), 'wattformer-lora-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('save → load round-trips exactly: same config, bit-identical tensors, no temporary files left', async () => {
    const saved = adapter();
    await saveLoraAdapter(folder, saved, { taskType: 'CAUSAL_LM', baseModel: 'gpt2' });
    expect((await readdir(folder)).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
    const json = JSON.parse(await readFile(join(folder, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
    expect(json).toMatchObject({
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      base_model_name_or_path: 'gpt2',
      r: 4,
      lora_alpha: 8,
      lora_dropout: 0.05,
      target_modules: ['attn.c_attn', 'mlp.c_fc'],
      fan_in_fan_out: true,
    });
    const loaded = await loadLoraAdapter(folder);
    expect(loaded.config).toEqual({ ...lora, useRslora: false });
    expect([...loaded.parameters.keys()]).toEqual([...saved.parameters.keys()]);
    for (const [name, t] of saved.parameters) {
      expect(loaded.parameters.get(name)!.shape, name).toEqual(t.shape);
      expect(loaded.parameters.get(name)!.dataSync(), name).toEqual(t.dataSync());
    }
    // And again in memory: the same bytes.
    const again = await loraToSafetensors(loaded, { taskType: 'CAUSAL_LM', baseModel: 'gpt2' });
    expect(Buffer.from(again.weights).equals(await readFile(join(folder, 'adapter_model.safetensors')))).toBe(true);
  });

  it('a missing folder or file says which file', async () => {
    await expect(loadLoraAdapter(join(folder, 'nowhere'))).rejects.toThrow(
      /loadLoraAdapter: expected an adapter_config.json in '.*nowhere', got none\nhelp: an adapter folder holds adapter_model.safetensors and adapter_config.json/,
    );
    await writeFile(join(folder, 'adapter_config.json'), JSON.stringify(peft));
    await expect(loadLoraAdapter(folder)).rejects.toThrow(/expected an adapter_model.safetensors in '.*', got none/);
    await writeFile(join(folder, 'adapter_model.bin'), 'pickle');
    await expect(loadLoraAdapter(folder)).rejects.toThrow(
      /got adapter_model.bin only\nhelp: re-save in Python with save_pretrained\(folder, safe_serialization=True\)/,
    );
    await writeFile(join(folder, 'adapter_config.json'), '{ r: 4');
    await writeFile(join(folder, 'adapter_model.safetensors'), file({ [A]: [4, 16], [B]: [48, 4] }));
    await expect(loadLoraAdapter(folder)).rejects.toThrow(/expected adapter_config.json to be JSON/);
  });

  it('bad tensors are named: wrong shape, rank mismatch, unknown target, missing half, wrong dtype, foreign names', () => {
    expect(() => loraFromSafetensors(file({ [A]: [4, 16], [B]: [48, 4] }), peft).parameters.size).not.toThrow();
    expect(() => loraFromSafetensors(file({ [A]: [4, 16, 1], [B]: [48, 4] }), peft)).toThrow(`loadLoraAdapter: expected '${A}' of rank 2, got [4, 16, 1]`);
    expect(() => loraFromSafetensors(file({ [A]: [4, 16], [B]: [48, 2] }), peft)).toThrow(`expected '${B}' of shape [out, 4 (rank)], got [48, 2]`);
    expect(() => loraFromSafetensors(file({ [A]: [4, 16], [B]: [48, 4] }), { ...peft, r: 8 })).toThrow(`expected '${A}' of shape [8 (rank), in], got [4, 16]`);
    const proj = 'base_model.model.transformer.h.0.attn.c_proj.lora_A.weight';
    expect(() => loraFromSafetensors(file({ [A]: [4, 16], [B]: [48, 4], [proj]: [4, 16] }), peft)).toThrow(
      `expected '${proj}' to belong to a target module (attn.c_attn, mlp.c_fc), got module 'transformer.h.0.attn.c_proj'`,
    );
    expect(() => loraFromSafetensors(file({ [A]: [4, 16] }), peft)).toThrow(`got no '${B}'`);
    expect(() => loraFromSafetensors(file({}), peft)).toThrow('expected at least one LoRA tensor in adapter_model.safetensors, got an empty file');
    const magnitude = 'base_model.model.transformer.h.0.attn.c_attn.lora_magnitude_vector';
    expect(() => loraFromSafetensors(file({ [A]: [4, 16], [B]: [48, 4], [magnitude]: [48] }), peft)).toThrow(`got '${magnitude}'`);
    const ints = new Uint8Array(file({ [A]: [4, 16], [B]: [48, 4] }));
    const header = new TextDecoder().decode(ints.subarray(8, 8 + Number(new DataView(ints.buffer).getBigUint64(0, true))));
    const patched = new TextEncoder().encode(header.replace('"F32"', '"I32"'));
    ints.set(patched, 8);
    expect(() => loraFromSafetensors(ints, peft)).toThrow(`expected '${A}' a float tensor (F32, F16, BF16 or F64), got I32`);
  });

  it('PEFT features we do not implement are refused by name', () => {
    const weights = file({ [A]: [4, 16], [B]: [48, 4] });
    expect(() => loraFromSafetensors(weights, { ...peft, peft_type: 'IA3' })).toThrow(`expected adapter_config.json peft_type 'LORA', got "IA3"`);
    expect(() => loraFromSafetensors(weights, { ...peft, use_dora: true })).toThrow(
      'expected adapter_config.json use_dora false (DoRA is not implemented), got true',
    );
    expect(() => loraFromSafetensors(weights, { ...peft, bias: 'all' })).toThrow(`expected adapter_config.json bias 'none'`);
    expect(() => loraFromSafetensors(weights, { ...peft, rank_pattern: { c_attn: 8 } })).toThrow(
      'rank_pattern {} (one rank for all modules), got {"c_attn":8}',
    );
    expect(() => loraFromSafetensors(weights, { ...peft, target_modules: '.*c_attn' })).toThrow(
      'expected target_modules as a list of names, got the regular expression ".*c_attn"',
    );
    expect(() => loraFromSafetensors(weights, { ...peft, r: 2.5 })).toThrow('expected rank an integer in [1, 65536], got 2.5');
  });
});
