import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TRAINED_FIXTURE_OPTIONS, hfSampleTexts, trainedFixtureCorpus } from '../test-support/hf-fixture-spec';
import { trainBpe } from '../train/train-bpe';
import { Tokenizer } from './tokenizer';

const fixture = (name: string) => readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url), 'utf8');

interface Expected {
  readonly source: string;
  readonly trained: Array<{ text: string; ids: number[]; decoded: string }>;
  readonly gpt2_style: Array<{ text: string; ids: number[]; decoded: string }>;
  readonly bert_wordpiece: Array<{ text: string; ids: number[]; decoded: string }>;
}
const expected = JSON.parse(fixture('hf-expected.json')) as Expected;

describe('HF round trip (fixtures from HF tokenizers via scripts/make-hf-fixtures.py)', () => {
  it('retraining gives the committed tokenizer.json byte for byte (training is deterministic)', async () => {
    const tokenizer = await trainBpe(trainedFixtureCorpus(), TRAINED_FIXTURE_OPTIONS);
    expect(tokenizer.toString() + '\n').toBe(fixture('trained-bpe.tokenizer.json'));
    expect(JSON.parse(fixture('hf-samples.json'))).toEqual(hfSampleTexts());
  });

  const cases: Array<[string, string, keyof Omit<Expected, 'source'>]> = [
    ['our trained tokenizer.json', 'trained-bpe.tokenizer.json', 'trained'],
    ['our tokenizer.json as re-saved by HF', 'trained-bpe.hf-resaved.tokenizer.json', 'trained'],
    ['GPT-2-style pipeline saved by HF', 'gpt2-style.tokenizer.json', 'gpt2_style'],
    ['BERT WordPiece trained by HF', 'bert-wordpiece.tokenizer.json', 'bert_wordpiece'],
  ];
  for (const [title, file, key] of cases) {
    it(`${title}: same ids and decodes as HF on ${expected[key].length} samples`, () => {
      expect(expected[key]).toHaveLength(hfSampleTexts().length);
      const tokenizer = Tokenizer.fromJSON(fixture(file));
      const mismatches = expected[key].filter((c) => JSON.stringify(tokenizer.encode(c.text)) !== JSON.stringify(c.ids)).map((c) => c.text.slice(0, 40));
      expect(mismatches).toEqual([]);
      const badDecodes = expected[key].filter((c) => tokenizer.decode(c.ids, { skipSpecialTokens: false }) !== c.decoded).map((c) => c.text.slice(0, 40));
      expect(badDecodes).toEqual([]);
    });
  }

  it('saves what it loads: toJSON() of a loaded HF file loads to the same ids', () => {
    for (const file of ['gpt2-style.tokenizer.json', 'bert-wordpiece.tokenizer.json']) {
      const once = Tokenizer.fromJSON(fixture(file));
      const twice = Tokenizer.fromJSON(once.toString());
      for (const text of hfSampleTexts()) expect(twice.encode(text)).toEqual(once.encode(text));
    }
  });
});
