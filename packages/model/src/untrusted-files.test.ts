/**
 * Issue #12's rows for the model package: crafted checkpoint folders, configs and safetensors
 * files each get the package's error (WattformerError, `model: <op>: …`) at once, before anything
 * large is read or allocated.
 */
import { memory, setBackend, WattformerError } from '@wattformer/core';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomGptParameters } from './__fixtures__/random-gpt';
import { bertConfigFromHf } from './bert-checkpoint';
import { parseBoundedJson } from './bounded-json';
import { gptCheckpointFromBytes, gptCheckpointToBytes } from './checkpoint';
import { loadGptCheckpoint } from './checkpoint-node';
import type { GptConfig } from './gpt-config';
import { gptParameterShapes } from './gpt-config';
import { gptConfigToHf } from './hf-config';
import { loadLoraAdapter } from './lora-node';
import { loraConfigToPeft } from './lora-config';
import { decodeSafetensors, encodeSafetensors, readSafetensorsHeader } from './safetensors';
import { transformerDefaults, transformerParameterShapes } from './transformer-config';

const config: GptConfig = { vocabSize: 30, contextLength: 10, modelDim: 8, layers: 2, heads: 2, mlpDim: 20, tiedEmbeddings: true };

beforeAll(async () => {
  await setBackend('cpu');
});

async function checkpointFolder(): Promise<{ folder: string; weights: Uint8Array; json: string }> {
  const { weights, config: json } = await gptCheckpointToBytes(randomGptParameters(config, 3), config);
  const folder = mkdtempSync(join(tmpdir(), 'wattformer-untrusted-'));
  writeFileSync(join(folder, 'config.json'), json);
  return { folder, weights, json };
}

/** The error a call throws (sync or async), asserting it is the package's error class. */
async function refusal(call: () => unknown): Promise<WattformerError> {
  try {
    await call();
  } catch (error) {
    expect(error).toBeInstanceOf(WattformerError);
    return error as WattformerError;
  }
  throw new Error('expected a refusal, but the call succeeded');
}

const headerFile = (headerText: string, dataBytes = 0): Uint8Array => {
  const json = new TextEncoder().encode(headerText);
  const bytes = new Uint8Array(8 + json.length + dataBytes);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  return bytes;
};

describe('#12 untrusted checkpoint folders (loadGptCheckpoint)', () => {
  it('#12 model.safetensors.index.json weight_map {"a": "../../../../dev/zero"}: refused as a non-bare name, nothing read', async () => {
    const { folder } = await checkpointFolder();
    writeFileSync(join(folder, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { a: '../../../../dev/zero' } }));
    const error = await refusal(() => loadGptCheckpoint(folder));
    expect(error.message).toMatch(
      /^model: loadGptCheckpoint: expected each weight_map value a bare file name inside the folder, got "\.\.\/\.\.\/\.\.\/\.\.\/dev\/zero"/,
    );
    // A link inside the folder to /dev/zero: not a file inside the folder; followed on request, still not a regular file.
    writeFileSync(join(folder, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { a: 'zero.safetensors' } }));
    symlinkSync('/dev/zero', join(folder, 'zero.safetensors'));
    expect((await refusal(() => loadGptCheckpoint(folder))).message).toMatch(/expected 'zero\.safetensors' a file inside '.*', got a link to '\/dev\/zero'/);
    expect((await refusal(() => loadGptCheckpoint(folder, { followSymlinks: true }))).message).toMatch(
      /expected 'zero\.safetensors' a regular file, got a device, pipe, socket or folder/,
    );
  });

  it('#12 model.safetensors.index.json naming ../other/model.safetensors: weights outside the folder are not loaded', async () => {
    const { folder, weights } = await checkpointFolder();
    mkdirSync(join(folder, '..', `${folder.split('/').pop()}-other`), { recursive: true });
    const other = join(folder, '..', `${folder.split('/').pop()}-other`);
    writeFileSync(join(other, 'model.safetensors'), weights);
    const otherName = `../${other.split('/').pop()}/model.safetensors`;
    writeFileSync(join(folder, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { 'transformer.wte.weight': otherName } }));
    expect((await refusal(() => loadGptCheckpoint(folder))).message).toMatch(/expected each weight_map value a bare file name inside the folder/);
    // The same escape through a symbolic link named model.safetensors.
    symlinkSync(join(other, 'model.safetensors'), join(folder, 'model.safetensors'));
    expect((await refusal(() => loadGptCheckpoint(folder))).message).toMatch(
      /expected 'model\.safetensors' a file inside '.*', got a link to '.*-other\/model\.safetensors'\nhelp: copy the file into the folder, or pass \{ followSymlinks: true \}/,
    );
    // Trusted on request (a Hugging Face cache snapshot links to ../../blobs): it loads.
    const loaded = await loadGptCheckpoint(folder, { followSymlinks: true });
    expect(loaded.config).toEqual(config);
    for (const t of loaded.parameters.values()) t.dispose();
  });

  it('#12 a weights file larger than its config can describe is refused by size before it is read', async () => {
    const { folder } = await checkpointFolder();
    // 2 layers of width 8 need a few KB; 300 MB of anything is refused from its size alone.
    writeFileSync(join(folder, 'model.safetensors'), new Uint8Array(0));
    const { truncateSync } = await import('node:fs');
    truncateSync(join(folder, 'model.safetensors'), 300_000_000);
    const before = process.memoryUsage().rss;
    const error = await refusal(() => loadGptCheckpoint(folder));
    expect(error.message).toMatch(/^model: loadGptCheckpoint: expected 'model\.safetensors' of at most \d+ bytes, got 300000000 bytes/);
    expect(process.memoryUsage().rss - before).toBeLessThan(100_000_000);
  });

  it('#12 config.json with n_layer: 1e9 is refused at once (loadGptCheckpoint, generate and the studio path)', async () => {
    const { folder, weights } = await checkpointFolder();
    writeFileSync(join(folder, 'model.safetensors'), weights);
    const huge = { ...gptConfigToHf(config), n_layer: 1e9 };
    writeFileSync(join(folder, 'config.json'), JSON.stringify(huge));
    const before = process.memoryUsage();
    const error = await refusal(() => loadGptCheckpoint(folder));
    expect(error.message).toMatch(
      /^model: loadGptCheckpoint: expected config\.json n_layer an integer in \[1, 1024\], got 1000000000\nhelp: no model of this architecture is that large/,
    );
    // The studio passes the parsed object; `wattformer generate` calls loadGptCheckpoint.
    expect((await refusal(() => gptCheckpointFromBytes({ weights, config: huge }))).message).toMatch(/n_layer an integer in \[1, 1024\]/);
    for (const [field, value] of [
      ['vocab_size', 2 ** 40],
      ['n_embd', 1e7],
      ['n_positions', 1e12],
      ['n_inner', 1e9],
      ['n_head', 64],
    ] as const) {
      expect((await refusal(() => gptCheckpointFromBytes({ weights, config: { ...gptConfigToHf(config), [field]: value } }))).message).toMatch(
        new RegExp(`${field} an integer in`),
      );
    }
    // Was 25 s and 2.5 GB (a billion-layer name table) before the RangeError; now nothing is built.
    const after = process.memoryUsage();
    expect(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers).toBeLessThan(64 * 2 ** 20);
    expect(() => gptParameterShapes({ ...config, layers: 1e9 })).toThrow(/^model: gptParameterShapes: expected GptConfig layers an integer in \[1, 1024\]/);
  });

  it('#12 config dimensions are checked against the weights before any tensor is decoded', async () => {
    const { weights } = await checkpointFolder();
    // NaN in every weight: decoding (and the finite check) would fail first if it ran before the shape check.
    const poisoned = encodeSafetensors(
      [...decodeSafetensors(weights).tensors].map(([n, e]) => [n, { shape: e.shape, data: new Float32Array(e.data.length).fill(NaN) }]),
    );
    const before = memory().liveTensors;
    const error = await refusal(() => gptCheckpointFromBytes({ weights: poisoned, config: { ...gptConfigToHf(config), n_layer: 3 } }));
    expect(error.message).toMatch(/expected every GPT-2 tensor for config\.json \(3 layers\), got missing 'transformer\.h\.2\.ln_1\.weight'/);
    expect((await refusal(() => gptCheckpointFromBytes({ weights: poisoned, config: { ...gptConfigToHf(config), vocab_size: 31 } }))).code).toBe('E_SHAPE');
    expect(memory().liveTensors).toBe(before);
  });

  it('#12 a checkpoint full of NaN is refused, naming the tensor; allowNonFinite loads it anyway', async () => {
    const { weights, json } = await checkpointFolder();
    const nan = encodeSafetensors(
      [...decodeSafetensors(weights).tensors].map(([n, e]) => [
        n,
        { shape: e.shape, data: n === 'transformer.wte.weight' ? (e.data as Float32Array) : new Float32Array(e.data.length).fill(NaN) },
      ]),
    );
    const before = memory().liveTensors;
    const error = await refusal(() => gptCheckpointFromBytes({ weights: nan, config: json }));
    expect(error.code).toBe('E_NON_FINITE');
    expect(error.message).toMatch(
      /^model: loadGptCheckpoint: expected finite values in 'transformer\.wpe\.weight', got NaN at index 0\nhelp: .*allowNonFinite: true/,
    );
    expect(memory().liveTensors).toBe(before); // the tensors made before the bad one were freed
    const infinite = encodeSafetensors(
      [...decodeSafetensors(weights).tensors].map(([n, e]) => {
        const data = Float32Array.from(e.data);
        if (n === 'transformer.h.1.mlp.c_fc.bias') data[3] = -Infinity;
        return [n, { shape: e.shape, data }];
      }),
    );
    expect((await refusal(() => gptCheckpointFromBytes({ weights: infinite, config: json }))).message).toMatch(
      /expected finite values in 'transformer\.h\.1\.mlp\.c_fc\.bias', got -Infinity at index 3/,
    );
    const loaded = gptCheckpointFromBytes({ weights: nan, config: json }, { allowNonFinite: true });
    expect(Number.isNaN(loaded.parameters.get('transformer.wpe.weight')!.dataSync()[0])).toBe(true);
    for (const t of loaded.parameters.values()) t.dispose();
  });
});

describe('#12 crafted safetensors and JSON: the package error, not TypeError or a stack overflow', () => {
  it('#12 a null safetensors header (and other non-object headers)', async () => {
    for (const [text, got] of [
      ['null', 'null'],
      ['[]', 'an array'],
      ['7', 'number'],
      ['"x"', 'string'],
    ] as const) {
      expect((await refusal(() => readSafetensorsHeader(headerFile(text)))).message).toBe(
        `model: safetensors: expected a JSON object header ({ name: { dtype, shape, data_offsets } }), got ${got}\nhelp: the file is truncated or not safetensors`,
      );
    }
    // Entries that are null, dtypes that are Object.prototype names, metadata that is not strings.
    expect((await refusal(() => readSafetensorsHeader(headerFile('{"w":null}')))).message).toMatch(/expected 'w' dtype one of/);
    expect((await refusal(() => readSafetensorsHeader(headerFile('{"w":{"dtype":"constructor","shape":[],"data_offsets":[0,0]}}')))).code).toBe('E_DTYPE');
    expect((await refusal(() => readSafetensorsHeader(headerFile('{"__metadata__":{"a":[1]}}')))).message).toMatch(
      /expected __metadata__ 'a' a string, got \[1\]/,
    );
  });

  it('#12 100k-deep JSON: in a safetensors header, config.json, the index and adapter_config.json', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect((await refusal(() => readSafetensorsHeader(headerFile(`{"w":${deep}}`)))).message).toMatch(
      /^model: safetensors: expected a JSON header nested at most 4 levels deep, got more than 4 levels/,
    );
    expect((await refusal(() => gptCheckpointFromBytes({ weights: new Uint8Array(8), config: `{"n_layer":${deep}}` }))).message).toMatch(
      /expected config\.json nested at most 64 levels deep/,
    );
    // An already-parsed deep value (the studio's path) is described without recursing through it.
    let value: unknown = 1;
    for (let i = 0; i < 100_000; i++) value = [value];
    expect((await refusal(() => gptCheckpointFromBytes({ weights: new Uint8Array(8), config: { n_layer: value } }))).message).toMatch(
      /n_layer an integer in \[1, 1024\], got \[\[\[\[…\]\]\]\]/,
    );
    const { folder } = await checkpointFolder();
    writeFileSync(join(folder, 'model.safetensors.index.json'), `{"weight_map":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`);
    expect((await refusal(() => loadGptCheckpoint(folder))).message).toMatch(/expected model\.safetensors\.index\.json nested at most 64 levels deep/);
    writeFileSync(join(folder, 'adapter_config.json'), deep);
    writeFileSync(join(folder, 'adapter_model.safetensors'), new Uint8Array(8));
    expect((await refusal(() => loadLoraAdapter(folder))).message).toMatch(
      /^model: loadLoraAdapter: expected adapter_config\.json nested at most 64 levels deep/,
    );
  });

  it('#12 safetensors header length, offsets, dtype/shape/bytes, duplicate keys and header size', async () => {
    const good = encodeSafetensors([
      ['a', { shape: [2], data: new Float32Array(2) }],
      ['b', { shape: [1], data: new Float32Array(1) }],
    ]);
    // A header length of 2^63 or past the end: refused before anything is allocated.
    const lying = Uint8Array.from(good);
    new DataView(lying.buffer).setBigUint64(0, 2n ** 63n, true);
    expect((await refusal(() => readSafetensorsHeader(lying))).message).toMatch(
      /^model: safetensors: expected a header length within the file \(\d+ bytes\), got 9223372036854775808/,
    );
    // Gaps, overlaps and trailing bytes.
    const two = (a: number[], b: number[], data: number) =>
      headerFile(JSON.stringify({ a: { dtype: 'F32', shape: [2], data_offsets: a }, b: { dtype: 'F32', shape: [1], data_offsets: b } }), data);
    expect((await refusal(() => readSafetensorsHeader(two([0, 8], [12, 16], 16)))).message).toMatch(
      /expected tensors stored back to back \('b' starting at byte 8 of the data\), got a gap \(starts at 12\)/,
    );
    expect((await refusal(() => readSafetensorsHeader(two([0, 8], [8, 12], 16)))).message).toMatch(
      /expected tensors filling the 16 data bytes, got 12 bytes used/,
    );
    expect(readSafetensorsHeader(two([4, 12], [0, 4], 12)).tensors.get('a')!.begin).toBeGreaterThan(0); // any order, back to back
    // Shapes whose product overflows, negative or fractional sizes, too many dimensions.
    for (const shape of [[2 ** 40, 2 ** 40], [-1], [1.5], new Array(17).fill(1)]) {
      expect((await refusal(() => readSafetensorsHeader(headerFile(JSON.stringify({ a: { dtype: 'F32', shape, data_offsets: [0, 0] } }))))).message).toMatch(
        /^model: safetensors: expected 'a' /,
      );
    }
    // A repeated tensor name (JSON.parse would keep only the last).
    const repeated = headerFile('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4);
    expect((await refusal(() => readSafetensorsHeader(repeated))).message).toMatch(
      /^model: safetensors: expected a JSON header with each key once per object, got 'a' twice/,
    );
    const escaped = headerFile('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"\\u0061":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4);
    expect((await refusal(() => readSafetensorsHeader(escaped))).message).toMatch(/got 'a' twice/);
    expect(() => parseBoundedJson('{"x":1,"x":2}', 'op', 'config.json')).toThrow(/expected config\.json with each key once per object, got 'x' twice/);
    expect(parseBoundedJson('[{"x":1},{"x":2}]', 'op', 'f')).toEqual([{ x: 1 }, { x: 2 }]); // same key in two objects is fine
    expect(parseBoundedJson('{"s":"\\"x\\":{","x":[1,{"x":2}]}', 'op', 'f')).toEqual({ s: '"x":{', x: [1, { x: 2 }] });
  });

  it('#12 memory while rejecting a crafted file stays a small multiple of its size', async () => {
    // 8 MB of header claiming one 4 GiB tensor: refused from the header alone.
    const padding = ' '.repeat(8 * 2 ** 20);
    const bytes = headerFile(`{"w":{"dtype":"F32","shape":[1073741824],"data_offsets":[0,4294967296]}}${padding}`);
    const before = process.memoryUsage();
    await refusal(() => readSafetensorsHeader(bytes));
    const after = process.memoryUsage();
    expect(after.rss + after.arrayBuffers - before.rss - before.arrayBuffers).toBeLessThan(10 * bytes.length);
  });
});

describe('#12 config dimensions are bounded for every model family', () => {
  it('#12 BERT config.json (num_hidden_layers, hidden_size, num_labels, eps)', async () => {
    for (const [field, value, message] of [
      ['num_hidden_layers', 1e9, /num_hidden_layers an integer in \[1, 1024\], got 1000000000/],
      ['hidden_size', 2 ** 20, /hidden_size an integer in \[1, 65536\]/],
      ['vocab_size', 1e12, /vocab_size an integer in \[1, 2097152\]/],
      ['num_labels', 1e9, /num_labels \(or the size of id2label\) an integer in \[1, 65536\]/],
      ['layer_norm_eps', 'x', /layer_norm_eps a number in \(0, 1\), got "x"/],
    ] as const) {
      const config = field === 'num_labels' ? { architectures: ['BertForSequenceClassification'], [field]: value } : { [field]: value };
      expect((await refusal(() => bertConfigFromHf(config))).message).toMatch(message);
    }
  });

  it('#12 Transformer / Seq2Seq configs (encoderLayers, modelDim, vocabularies)', async () => {
    expect((await refusal(() => transformerParameterShapes({ ...transformerDefaults, encoderLayers: 1e9 }))).message).toMatch(
      /^model: transformerParameterShapes: expected TransformerConfig encoderLayers an integer in \[0, 1024\], got 1000000000/,
    );
    expect((await refusal(() => transformerParameterShapes({ ...transformerDefaults, modelDim: 1.5 }))).message).toMatch(
      /modelDim an integer in \[1, 65536\], got 1\.5/,
    );
  });

  it('#12 LoRA adapter_config.json (r, target_modules) and adapter weights with NaN', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'wattformer-untrusted-lora-'));
    const lora = { rank: 2, alpha: 4, targets: ['c_attn'], fanInFanOut: true };
    const peft = loraConfigToPeft(lora);
    const a = new Float32Array(2 * 8).fill(0.5);
    const b = new Float32Array(24 * 2);
    b[5] = NaN;
    const weights = encodeSafetensors([
      ['base_model.model.transformer.h.0.attn.c_attn.lora_A.weight', { shape: [2, 8], data: a }],
      ['base_model.model.transformer.h.0.attn.c_attn.lora_B.weight', { shape: [24, 2], data: b }],
    ]);
    writeFileSync(join(folder, 'adapter_model.safetensors'), weights);
    writeFileSync(join(folder, 'adapter_config.json'), JSON.stringify({ ...peft, r: 1e9 }));
    expect((await refusal(() => loadLoraAdapter(folder))).message).toMatch(/expected rank an integer in \[1, 65536\], got 1000000000/);
    writeFileSync(join(folder, 'adapter_config.json'), JSON.stringify({ ...peft, target_modules: new Array(5000).fill('c_attn') }));
    expect((await refusal(() => loadLoraAdapter(folder))).message).toMatch(/expected targets a non-empty list of at most 1024 module names/);
    writeFileSync(join(folder, 'adapter_config.json'), JSON.stringify(peft));
    const error = await refusal(() => loadLoraAdapter(folder));
    expect(error.code).toBe('E_NON_FINITE');
    expect(error.message).toMatch(/expected finite values in 'base_model\.model\.transformer\.h\.0\.attn\.c_attn\.lora_B\.weight', got NaN at index 5/);
    const loaded = await loadLoraAdapter(folder, { allowNonFinite: true });
    expect(loaded.parameters.size).toBe(2);
    for (const t of loaded.parameters.values()) t.dispose();
  });
});
