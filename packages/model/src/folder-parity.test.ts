/**
 * Model folders both ways, against committed fixtures from scripts/make-folder-fixtures.py
 * (transformers 4.46.3; see __fixtures__/README.md; CI needs no Python):
 * - folders OUR saveModelFolder writes open in AutoModelForCausalLM / AutoTokenizer with no warning,
 *   give the same token ids and text, and the same next-token probabilities within 1e-4;
 * - a Hugging Face GPT-2 folder made by save_pretrained (tokenizer.json, or vocab.json + merges.txt;
 *   one weights file or shards) generates through loadTextGenerator the greedy text transformers'
 *   generate() gives.
 */
import { noGrad, setBackend, softmax, tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { folderFixtures } from './__fixtures__/folder-fixture';
import { gptLogits } from './gpt';
import { loadTextGenerator, saveModelFolder } from './model-folder-node';
import { UTF8_COMPLETE, Utf8Constraint } from './utf8-constraint';

const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const json = <T>(name: string) => JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as T;

interface Greedy {
  prompt: string;
  promptIds: number[];
  maxNewTokens: number;
  tokens: number[];
  text: string;
}
interface FolderParity {
  warnings: string[];
  tokenizerClass: string;
  eosTokenId: number;
  texts: { text: string; ids: number[]; decoded: string; positions: number[]; probs: number[][] }[];
  greedy: Greedy;
}

const parity = json<Record<'folder-char' | 'folder-bpe', FolderParity>>('folder-parity.json');

describe.each(['wasm', 'cpu'])('model folders written here, read by transformers (%s)', (backendName) => {
  it.each(['folder-char', 'folder-bpe'] as const)('%s: same ids, text and next-token probabilities (within 1e-4) as AutoModelForCausalLM', async (name) => {
    await setBackend(backendName);
    const hf = parity[name];
    expect(hf.warnings).toEqual([]); // from_pretrained of the model and the tokenizer logged nothing
    expect(hf.tokenizerClass).toBe('PreTrainedTokenizerFast');
    const generator = await loadTextGenerator(join(fixtures, name));
    expect(generator.eosTokenIds).toEqual([hf.eosTokenId]);
    let worst = 0;
    for (const entry of hf.texts) {
      expect([...generator.tokenizer.encode(entry.text)]).toEqual(entry.ids);
      expect(generator.tokenizer.decode(entry.ids)).toBe(entry.text);
      const probs = noGrad(() =>
        softmax(gptLogits(generator.parameters, generator.config, tensor(Int32Array.from(entry.ids), [1, entry.ids.length], 'i32')), -1),
      );
      const ours = (await probs.data()) as Float32Array;
      probs.dispose();
      const V = generator.config.vocabSize;
      entry.positions.forEach((position, k) => {
        entry.probs[k]!.forEach((want, v) => (worst = Math.max(worst, Math.abs(ours[position * V + v]! - want))));
      });
    }
    expect(worst).toBeLessThan(1e-4);
    // transformers' generate() does not keep bytes well-formed: compare with constrainUtf8 off.
    const [completion] = await generator.complete([hf.greedy.prompt], { maxNewTokens: hf.greedy.maxNewTokens, constrainUtf8: false });
    expect(completion!.tokens).toEqual(hf.greedy.tokens);
    expect(completion!.text).toBe(hf.greedy.text);
    generator.dispose();
  });
});

describe('model folder fixtures', () => {
  it('saveModelFolder still writes the committed folders byte for byte', async () => {
    await setBackend('wasm');
    const parent = mkdtempSync(join(tmpdir(), 'wattformer-folder-fixture-'));
    for (const { name, tokenizer, config, parameters } of await folderFixtures()) {
      await saveModelFolder(join(parent, name), { parameters, config, tokenizer, generation: { maxNewTokens: 16 } });
      const files = readdirSync(join(fixtures, name)).sort();
      expect(readdirSync(join(parent, name)).sort()).toEqual(files);
      for (const file of files) expect(readFileSync(join(parent, name, file)).equals(readFileSync(join(fixtures, name, file))), `${name}/${file}`).toBe(true);
      for (const t of parameters.values()) t.dispose();
    }
  });
});

describe('a Hugging Face GPT-2 folder (save_pretrained) through loadTextGenerator', () => {
  const hf = json<{ eosTokenId: number; greedy: Greedy[] }>('hf-gpt2-folder.json');
  const source = join(fixtures, 'hf-gpt2-folder');

  /** A copy of the HF folder without some files, plus others (shards). */
  function variant(drop: string[], add: { from: string; files: string[] } | undefined = undefined): string {
    const dir = mkdtempSync(join(tmpdir(), 'wattformer-hf-folder-'));
    for (const file of readdirSync(source)) if (!drop.includes(file)) copyFileSync(join(source, file), join(dir, file));
    for (const file of add?.files ?? []) copyFileSync(join(add!.from, file), join(dir, file));
    return dir;
  }

  const shardFolder = join(fixtures, 'hf-gpt2-folder-shards');
  it.each([
    ['tokenizer.json', () => source],
    ['vocab.json + merges.txt', () => variant(['tokenizer.json'])],
    ['sharded weights', () => variant(['model.safetensors'], { from: shardFolder, files: readdirSync(shardFolder) })],
  ])('%s: the same greedy text as transformers generate()', async (_, folder) => {
    await setBackend('wasm');
    const generator = await loadTextGenerator(folder());
    expect(generator.eosTokenIds).toEqual([hf.eosTokenId]);
    for (const want of hf.greedy) {
      expect([...generator.tokenizer.encode(want.prompt)]).toEqual(want.promptIds);
      // transformers' generate() does not keep bytes well-formed (its texts have U+FFFD): constrainUtf8 off.
      const [completion] = await generator.complete([want.prompt], { maxNewTokens: want.maxNewTokens, constrainUtf8: false });
      expect(completion!.tokens).toEqual(want.tokens);
      expect(completion!.text).toBe(want.text);
      // On (the default): no U+FFFD, and transformers' tokens up to the first that broke the bytes.
      const [kept] = await generator.complete([want.prompt], { maxNewTokens: want.maxNewTokens });
      expect(kept!.text).not.toContain('\uFFFD');
      const utf8 = Utf8Constraint.forTokenizer(generator.tokenizer, generator.config.vocabSize)!;
      let [state, same] = [UTF8_COMPLETE, 0];
      for (const token of want.tokens) {
        if (!utf8.allows(state, token) || (token === hf.eosTokenId && state !== UTF8_COMPLETE)) break;
        state = utf8.advance(state, token);
        same++;
      }
      expect(kept!.tokens.slice(0, same)).toEqual(want.tokens.slice(0, same));
      if (want.text.includes('\uFFFD')) expect(kept!.tokens).not.toEqual(want.tokens);
    }
    expect(hf.greedy.some((g) => g.tokens.at(-1) === hf.eosTokenId && g.tokens.length < g.maxNewTokens)).toBe(true); // one row ends at eos
    // A batch gives each prompt its own greedy text.
    expect(
      await generator.generate(
        hf.greedy.map((g) => g.prompt),
        { maxNewTokens: 12, constrainUtf8: false },
      ),
    ).toEqual(hf.greedy.map((g) => g.text));
    generator.dispose();
  });
});
