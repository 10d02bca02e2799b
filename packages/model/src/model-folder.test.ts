import { setBackend } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { CharTokenizer, getEncoding, type Tokenizer, trainBpe } from '@wattformer/tokenizer';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomGptParameters } from './__fixtures__/random-gpt';
import type { GptConfig } from './gpt-config';
import { loadTextGenerator, saveModelFolder } from './model-folder-node';
import { modelFolderFiles, tokenizerFromFiles } from './model-folder';
import { TextGenerator } from './text-generator';

const text = 'To be, or not to be: that is the question.\n床前明月光，疑是地上霜。🙂\n';
const configFor = (vocabSize: number): GptConfig => ({ vocabSize, contextLength: 32, modelDim: 16, layers: 1, heads: 2, mlpDim: 32, tiedEmbeddings: true });
const json = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
const tmp = () => mkdtempSync(join(tmpdir(), 'wattformer-folder-'));

beforeAll(async () => {
  await setBackend('wasm');
});

describe('saveModelFolder / loadTextGenerator', () => {
  it('a char-level folder: HF files with the tokenizer own ids, and the same text back', async () => {
    const tokenizer = CharTokenizer.fromText(text, { specialTokens: ['<|endoftext|>'] });
    const config = configFor(tokenizer.vocabSize);
    const parameters = randomGptParameters(config, 3);
    const dir = join(tmp(), 'run');
    await saveModelFolder(dir, { parameters, config, tokenizer, generation: { maxNewTokens: 12 } });
    expect(readdirSync(dir).sort()).toEqual([
      'config.json',
      'generation_config.json',
      'model.safetensors',
      'special_tokens_map.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    const eos = tokenizer.vocabSize - 1;
    expect(json(dir, 'config.json')).toMatchObject({ vocab_size: tokenizer.vocabSize, bos_token_id: eos, eos_token_id: eos, model_type: 'gpt2' });
    expect(json(dir, 'generation_config.json')).toEqual({ bos_token_id: eos, eos_token_id: eos, max_new_tokens: 12 });
    expect(json(dir, 'special_tokens_map.json')).toEqual({ bos_token: '<|endoftext|>', eos_token: '<|endoftext|>' });
    expect(json(dir, 'tokenizer_config.json')).toMatchObject({
      tokenizer_class: 'PreTrainedTokenizerFast',
      clean_up_tokenization_spaces: false,
      model_max_length: 32,
    });
    expect(json(dir, 'tokenizer.json')).toMatchObject({ decoder: { type: 'ByteLevel' }, model: { type: 'BPE', merges: [] } });

    const loaded = await loadTextGenerator(dir);
    const direct = new TextGenerator(parameters, config, tokenizer, { eosTokenId: eos });
    expect(loaded.eosTokenIds).toEqual([eos]);
    expect(loaded.defaults.maxNewTokens).toBe(12);
    const prompt = 'To be';
    expect(await loaded.generate(prompt)).toBe(await direct.generate(prompt, { maxNewTokens: 12 }));
    loaded.dispose();
  });

  it('a byte-level BPE folder round-trips, and sampling defaults travel in generation_config.json', async () => {
    const tokenizer = await trainBpe(text, { vocabSize: 300, specialTokens: ['<|endoftext|>'] });
    const config = configFor(320); // a model vocabulary larger than the tokenizer's is allowed
    const parameters = randomGptParameters(config, 4);
    const dir = join(tmp(), 'nested', 'bpe');
    await saveModelFolder(dir, { parameters, config, tokenizer, generation: { temperature: 0.8, topP: 0.9 } });
    expect(json(dir, 'generation_config.json')).toMatchObject({ do_sample: true, temperature: 0.8, top_k: 0, top_p: 0.9 });
    expect(json(dir, 'config.json')).toMatchObject({ vocab_size: 320, eos_token_id: tokenizer.tokenToId('<|endoftext|>') });
    const loaded = await loadTextGenerator(dir);
    expect(loaded.defaults).toEqual({ sample: true, temperature: 0.8, topP: 0.9 });
    const direct = new TextGenerator(parameters, config, tokenizer);
    const options = { maxNewTokens: 10, seed: 9, temperature: 0.8, topP: 0.9 };
    expect(await loaded.generate('明月', { maxNewTokens: 10, seed: 9 })).toBe(await direct.generate('明月', options));
    loaded.dispose();
  });

  it('rewrites an existing folder in place and leaves its other files alone', async () => {
    const tokenizer = CharTokenizer.fromText(text);
    const config = configFor(tokenizer.vocabSize);
    const dir = tmp();
    writeFileSync(join(dir, 'report.md'), '# run\n');
    await saveModelFolder(dir, { parameters: randomGptParameters(config, 5), config, tokenizer });
    const second = randomGptParameters(config, 6);
    await saveModelFolder(dir, { parameters: second, config, tokenizer });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toBe('# run\n');
    // No special tokens: no bos/eos, written as null so transformers does not assume GPT-2's 50256.
    expect(json(dir, 'config.json')).toMatchObject({ bos_token_id: null, eos_token_id: null });
    const loaded = await loadTextGenerator(dir);
    expect(await loaded.generate('be', { maxNewTokens: 8 })).toBe(await new TextGenerator(second, config, tokenizer).generate('be', { maxNewTokens: 8 }));
    await expect(loaded.generate('', { maxNewTokens: 3 })).rejects.toThrow(/non-empty prompt/);
    loaded.dispose();
  });

  it('a refused save leaves the existing folder as it was, with no temporary files', async () => {
    const tokenizer = CharTokenizer.fromText(text);
    const config = configFor(tokenizer.vocabSize);
    const dir = tmp();
    await saveModelFolder(dir, { parameters: randomGptParameters(config, 5), config, tokenizer });
    const before = new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));
    const bigger = CharTokenizer.fromText(text + 'xyzXYZ');
    await expect(saveModelFolder(dir, { parameters: randomGptParameters(config, 6), config, tokenizer: bigger })).rejects.toThrow(/at most vocabSize/);
    const wrongShape = new Map(randomGptParameters(config, 6));
    wrongShape.set('transformer.wpe.weight', randomGptParameters({ ...config, contextLength: 8 }, 6).get('transformer.wpe.weight')!);
    await expect(saveModelFolder(dir, { parameters: wrongShape, config, tokenizer })).rejects.toThrow(/'transformer.wpe.weight' of shape/);
    expect(readdirSync(dir).sort()).toEqual([...before.keys()].sort());
    for (const [file, bytes] of before) expect(readFileSync(join(dir, file)).equals(bytes)).toBe(true);
    await expect(saveModelFolder(join(dir, 'config.json'), { parameters: randomGptParameters(config, 5), config, tokenizer })).rejects.toThrow(
      /an existing file/,
    );
  });

  it('reads the { "type": "CharTokenizer" } tokenizer.json older runs wrote', () => {
    const char = CharTokenizer.fromText(text);
    const back = tokenizerFromFiles({ tokenizerJson: JSON.stringify(char.toJSON()) });
    expect(back).toBeInstanceOf(CharTokenizer);
    expect(back.encode('明月 be')).toEqual(char.encode('明月 be'));
  });

  it('refuses what it cannot write or read, with the fix', async () => {
    const tokenizer = CharTokenizer.fromText(text);
    const config = configFor(tokenizer.vocabSize - 1);
    const parameters = randomGptParameters(config, 5);
    await expect(modelFolderFiles({ parameters, config, tokenizer })).rejects.toThrow(
      /^model: saveModelFolder: expected a tokenizer of at most vocabSize \d+ tokens, got \d+\nhelp: /,
    );
    const ok = configFor(tokenizer.vocabSize);
    await expect(modelFolderFiles({ parameters: randomGptParameters(ok, 1), config: ok, tokenizer, eosToken: '</s>' })).rejects.toThrow(
      /'<\/s>' in the tokenizer's vocabulary/,
    );
    await expect(modelFolderFiles({ parameters: randomGptParameters(ok, 1), config: ok, tokenizer, generation: { topK: 5, sample: false } })).rejects.toThrow(
      /only with sample: true/,
    );
    await expect(modelFolderFiles({ parameters: randomGptParameters(ok, 1), config: ok, tokenizer: { encode: () => [] } as never })).rejects.toThrow(
      /expected a Tokenizer \(tokenizer.json pipeline\), CharTokenizer or Encoding/,
    );
    await expect(loadTextGenerator(join(tmp(), 'missing'))).rejects.toThrow(/no such folder/);
    const empty = tmp();
    await expect(loadTextGenerator(empty)).rejects.toThrow(/expected 'config.json' in/);
    expect(() => tokenizerFromFiles({ vocabJson: '{}' })).toThrow(/got vocab.json without merges.txt/);
    expect(() => tokenizerFromFiles({ tokenizerJson: '{' })).toThrow(/tokenizer.json to be JSON/);
  });

  it('a tiktoken Encoding (r50k_base) is saved as its tokenizer.json and read back id for id', async () => {
    const encoding = await getEncoding('r50k_base');
    const config: GptConfig = { ...configFor(50304), modelDim: 8, heads: 1, mlpDim: 8 }; // a vocabulary padded to a multiple of 64
    const parameters = randomGptParameters(config, 7);
    const dir = join(tmp(), 'r50k');
    await saveModelFolder(dir, { parameters, config, tokenizer: encoding });
    expect(json(dir, 'config.json')).toMatchObject({ vocab_size: 50304, bos_token_id: 50256, eos_token_id: 50256 });
    const loaded = await loadTextGenerator(dir);
    expect([...loaded.tokenizer.encode(text)]).toEqual(encoding.encode(text));
    const [completion] = await loaded.complete(['To be'], { maxNewTokens: 6, ignoreEos: true });
    expect(completion!.tokens.every((id) => id < 50257)).toBe(true); // the 47 padding ids are never generated
    expect(completion!.tokens).toEqual(
      (await new TextGenerator(parameters, config, encoding).complete(['To be'], { maxNewTokens: 6, ignoreEos: true }))[0]!.tokens,
    );
    loaded.dispose();
  }, 60_000);

  it('reads a GPT-2 vocab.json + merges.txt tokenizer as its tokenizer.json form', async () => {
    const bpe = await trainBpe(text, { vocabSize: 290, specialTokens: ['<|endoftext|>'], pattern: 'gpt2' });
    const model = bpe.toJSON().model as { vocab: Record<string, number>; merges: [string, string][] };
    const mergesTxt = '#version: 0.2\n' + model.merges.map(([a, b]) => `${a} ${b}`).join('\n') + '\n';
    const fromFiles = tokenizerFromFiles({ vocabJson: JSON.stringify(model.vocab), mergesTxt }) as Tokenizer;
    for (const sample of [text, ' the question<|endoftext|>明']) expect(fromFiles.encode(sample)).toEqual(bpe.encode(sample));
    expect(fromFiles.decode(bpe.encode(text))).toBe(text);
  });
});
