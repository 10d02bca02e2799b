import { setBackend } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { tangPoemsCorpus } from '../../scripts/tang-poems';
import { sampleText } from './sample-text';
import { StudioModel } from './studio-model';
import { buildTokenizer, type TokenizerProgress } from './studio-tokenizer';

const text = 'To be, or not to be, that is the question:\nWhether tis nobler in the mind to suffer\n'.repeat(4);
const poems = tangPoemsCorpus();

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
    const model = await StudioModel.fresh(text, 'hamlet', 'micro', 'wasm', { seed: 3 });
    model.step = 42;
    const files = await model.toFiles();
    const config = JSON.parse(files.config) as Record<string, unknown>;
    expect(config).toMatchObject({ model_type: 'gpt2', n_layer: 1, n_embd: 32, n_positions: 16, vocab_size: model.tokenizer.vocabSize });
    expect(config.wattformer_studio).toEqual({ tokenizer: model.tokenizer.toJSON(), step: 42, textName: 'hamlet' });

    const loaded = StudioModel.fromFiles(files, 'wasm');
    expect(loaded.config).toEqual(model.config);
    expect(loaded.step).toBe(42);
    expect(loaded.textName).toBe('hamlet');
    expect(loaded.tokenizer.toJSON()).toEqual(model.tokenizer.toJSON());
    expect(loaded.is('micro')).toBe(true);
    expect(loaded.is('tiny')).toBe(false);
    expect(loaded.is('micro', { kind: 'char' })).toBe(true);
    expect(loaded.is('micro', { kind: 'bpe', vocabSize: model.tokenizer.vocabSize })).toBe(false);
    expect(await values(loaded)).toEqual(await values(model));
    // Same weights, same seed: the same sample.
    expect(await sampleText(loaded, 'To', 20, 0.8, 5)).toBe(await sampleText(model, 'To', 20, 0.8, 5));
  });

  it('round-trips a BPE model: the tokenizer.json rides in config.json and gives the same ids', async () => {
    const model = await StudioModel.fresh(poems.text, 'tang', 'micro', 'wasm', { tokenizer: { kind: 'bpe', vocabSize: 600 } });
    expect(model.tokenizer.kind).toBe('bpe');
    expect(model.config.vocabSize).toBe(600);
    const files = await model.toFiles();
    const extras = (JSON.parse(files.config) as { wattformer_studio: { tokenizerKind: string; tokenizer: { model: { type: string } } } }).wattformer_studio;
    expect(extras.tokenizerKind).toBe('bpe');
    expect(extras.tokenizer.model.type).toBe('BPE');
    const loaded = StudioModel.fromFiles(files, 'wasm');
    expect(loaded.tokenizer.kind).toBe('bpe');
    expect(loaded.is('micro', { kind: 'bpe', vocabSize: 600 })).toBe(true);
    expect(loaded.is('micro', { kind: 'bpe', vocabSize: 700 })).toBe(false);
    const sample = poems.text.slice(0, 500);
    expect(loaded.tokenizer.encode(sample)).toEqual(model.tokenizer.encode(sample));
    expect(await sampleText(loaded, '《春夜》', 24, 0.8, 5)).toBe(await sampleText(model, '《春夜》', 24, 0.8, 5));
  });

  it('refuses files the studio did not write, naming what is missing', async () => {
    const files = await (await StudioModel.fresh(text, 'hamlet', 'micro', 'wasm')).toFiles();
    const plain = JSON.parse(files.config) as Record<string, unknown>;
    delete plain.wattformer_studio;
    expect(() => StudioModel.fromFiles({ weights: files.weights, config: JSON.stringify(plain) }, 'wasm')).toThrow(
      /^browser-studio: loadCheckpoint: expected a config.json saved by the studio .*, got a config.json without one\nhelp: /,
    );
    expect(() => StudioModel.fromFiles({ weights: files.weights, config: '{ not json' }, 'wasm')).toThrow(
      /^browser-studio: loadCheckpoint: expected config.json to be JSON, got /,
    );
    const studio = JSON.parse(files.config) as { vocab_size: number; wattformer_studio: object };
    expect(() => StudioModel.fromFiles({ weights: files.weights, config: JSON.stringify({ ...studio, vocab_size: studio.vocab_size + 1 }) }, 'wasm')).toThrow(
      /expected 'transformer.wte.weight' of shape/,
    );
    const otherKind = { ...studio, wattformer_studio: { ...studio.wattformer_studio, tokenizerKind: 'wordpiece' } };
    expect(() => StudioModel.fromFiles({ weights: files.weights, config: JSON.stringify(otherKind) }, 'wasm')).toThrow(
      /^browser-studio: loadCheckpoint: expected wattformer_studio.tokenizerKind 'char' or 'bpe', got "wordpiece"/,
    );
  });
});

describe('the BPE tokenizer trained in the worker', () => {
  it('reports progress (counting, then merging, then done) and round-trips the Chinese text exactly', async () => {
    const seen: TokenizerProgress[] = [];
    const tokenizer = await buildTokenizer(poems.text, { kind: 'bpe', vocabSize: 1000 }, (progress) => seen.push(progress));
    expect(tokenizer.vocabSize).toBe(1000);
    const phases = seen.map((p) => p.phase);
    expect(phases[0]).toBe('counting');
    expect(phases.filter((p) => p === 'counting').length).toBeGreaterThan(10);
    expect(phases.slice(-2)).toEqual(['merging', 'done']);
    const counts = seen.filter((p) => p.phase === 'counting').map((p) => p.done);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    const ids = tokenizer.encode(poems.text);
    expect(ids.length).toBeLessThan(poems.text.length * 2); // merges made many characters one token
    expect(tokenizer.decode(ids)).toBe(poems.text);
    expect(tokenizer.decode(tokenizer.encode('床前明月光 🌕 moon'))).toBe('床前明月光 🌕 moon');
  });

  it('refuses a vocabulary that cannot hold the bytes', async () => {
    await expect(buildTokenizer(text, { kind: 'bpe', vocabSize: 100 })).rejects.toThrow(
      /^browser-studio: tokenizer: expected a BPE vocabulary of 257\.\.8192 tokens, got 100\nhelp: /,
    );
  });
});

describe('the bundled Tang poems', () => {
  it('are 2,000 five-character quatrains, under 300 KB as JSON', () => {
    expect(poems.poems).toBe(2000);
    expect(Buffer.byteLength(JSON.stringify(poems))).toBeLessThan(300_000);
    const blocks = poems.text.split('\n\n').filter(Boolean);
    expect(blocks).toHaveLength(2000);
    for (const block of blocks) expect(block).toMatch(/^《[^》\n]*》\n[^\n，]{5}，[^\n。]{5}[。？！]\n[^\n，]{5}，[^\n。]{5}[。？！]$/u);
  });
});

describe('sampleText', () => {
  it('continues the prompt past one context window, the same for the same seed', async () => {
    const model = await StudioModel.fresh(text, 'hamlet', 'micro', 'wasm');
    const a = await sampleText(model, 'To be', 40, 0.8, 9);
    expect(a.startsWith('To be')).toBe(true);
    expect(a.length).toBe('To be'.length + 40);
    expect(model.covers(a)).toBe(true);
    expect(await sampleText(model, 'To be', 40, 0.8, 9)).toBe(a);
  });

  it('streams: the prompt, then pieces that never end inside a character, hold no U+FFFD and join to the returned text', async () => {
    // 300 tokens leave most Chinese characters as two or three byte tokens.
    const model = await StudioModel.fresh(poems.text, 'tang', 'micro', 'wasm', { tokenizer: { kind: 'bpe', vocabSize: 300 } });
    const chunks: string[] = [];
    const full = await sampleText(model, '《春夜》', 60, 1, 4, (chunk) => void chunks.push(chunk));
    expect(chunks[0]).toBe('《春夜》');
    expect(chunks.length).toBeGreaterThan(5);
    // A chunk that ended mid-character would hold U+FFFD where the whole text has the character;
    // and the model package's UTF-8 constraint keeps byte tokens from forming ill-formed text at
    // all (an untrained model samples bytes at random: before it, most samples held U+FFFD).
    expect(chunks.join('')).toBe(full);
    expect(full).not.toContain('\uFFFD');
    expect(chunks.length - 1).toBeLessThanOrEqual(60);
    expect(chunks.every((chunk) => chunk.length > 0 && !chunk.includes('\uFFFD'))).toBe(true);
  });
});
