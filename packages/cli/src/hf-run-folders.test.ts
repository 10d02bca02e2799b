/**
 * #13 item 3 for the folders `wattformer train` writes (char and BPE tokenizers): transformers
 * (AutoTokenizer + AutoModelForCausalLM, 4.46.3) opened the same folders with no warning, and its
 * token ids, decoded text and next-token probabilities are committed in
 * __fixtures__/hf-run-folders.json by scripts/make-hf-run-fixtures.py (CI needs no Python). This
 * test regenerates each folder with the built bin and the fixture's own arguments (seeded, one
 * worker, the pure-JS cpu backend), then reads it back as `wattformer generate` does
 * (`loadTextGenerator`) and compares. packages/model's folder-parity.test.ts covers
 * `saveModelFolder` with the tokenizer package's CharTokenizer and a trainBpe tokenizer on random
 * weights; this one covers the CLI's path: `createCharTokenizer` / the streamed BPE training, the
 * end-of-text token as eos/bos, trained weights, generation_config.json.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noGrad, setBackend, softmax, tensor } from '@wattformer/core';
import { gptLogits } from '@wattformer/model';
import { loadTextGenerator } from '@wattformer/model/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, requireBuiltBin } from './test-support/tiny-run';

interface RunFixture {
  args: string[];
  tokenizerClass: string;
  eosTokenId: number;
  configEosTokenId: number;
  vocabSize: number;
  warnings: string[];
  sha256: Record<'config.json' | 'model.safetensors' | 'tokenizer.json', string>;
  texts: { text: string; ids: number[]; decoded: string; probs: number[] }[];
}
const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/hf-run-folders.json', import.meta.url), 'utf8')) as {
  data: string;
  common: string[];
  runs: Record<'char' | 'bpe', RunFixture>;
};
const bin = CLI_BIN;
let work: string;
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(() => {
  requireBuiltBin('cli test');
  work = mkdtempSync(join(tmpdir(), 'wattformer-hf-run-'));
  writeFileSync(join(work, 'data.txt'), fixture.data);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('wattformer train folders in transformers (committed fixtures)', () => {
  it.each(['char', 'bpe'] as const)(
    '--tokenizer %s: same ids, decoded text and next-token probabilities (within 1e-4) as AutoTokenizer + AutoModelForCausalLM',
    async (name) => {
      const expected = fixture.runs[name];
      expect(expected.warnings).toEqual([]); // from_pretrained logged nothing (eos/bos ids in range, tokenizer complete)
      expect(expected.tokenizerClass).toBe('PreTrainedTokenizerFast');
      const run = spawnSync(process.execPath, [bin, 'train', '--data', 'data.txt', '--out', name, ...expected.args, ...fixture.common], {
        cwd: work,
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      const dir = join(work, name);
      // The same tokenizer and config as the folder transformers read (the weights are compared through their outputs).
      expect(sha(join(dir, 'tokenizer.json'))).toBe(expected.sha256['tokenizer.json']);
      expect(sha(join(dir, 'config.json'))).toBe(expected.sha256['config.json']);

      await setBackend('cpu');
      const generator = await loadTextGenerator(dir);
      try {
        const { parameters, config, tokenizer } = generator;
        expect(config.vocabSize).toBe(expected.vocabSize);
        expect(generator.eosTokenIds).toContain(expected.eosTokenId);
        expect(expected.configEosTokenId).toBe(expected.eosTokenId);
        for (const { text, ids, decoded, probs } of expected.texts) {
          const mine = Array.from(tokenizer.encode(text));
          expect(mine, text).toEqual(ids);
          expect(tokenizer.decode(mine)).toBe(decoded);
          const values = await noGrad(async () => {
            const logits = gptLogits(parameters, config, tensor(Int32Array.from(mine), [1, mine.length], 'i32'));
            const last = logits.slice([mine.length - 1, 0], [1, config.vocabSize]);
            return Array.from(await softmax(last).data());
          });
          expect(values).toHaveLength(probs.length);
          const worst = Math.max(...values.map((p, i) => Math.abs(p - probs[i]!)));
          expect(worst, `${name}: max |p_ours - p_transformers| for ${JSON.stringify(text)}`).toBeLessThan(1e-4);
          // Not a flat distribution: training moved it, so the comparison has something to compare.
          expect(Math.max(...probs)).toBeGreaterThan(1.5 / probs.length);
        }
      } finally {
        generator.dispose();
      }
    },
    180_000,
  );
});
