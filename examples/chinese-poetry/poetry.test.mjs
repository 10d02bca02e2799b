import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '@wattformer/core';
import { initGptParameters, TextGenerator } from '@wattformer/model';
import { poemText, readTangPoems } from './poems.mjs';
import { trainPoetryTokenizer } from './tokenizer.mjs';

describe('Tang poems and the BPE tokenizer trained on them', () => {
  let poems;
  let tokenizer;
  beforeAll(async () => {
    poems = await readTangPoems({ form: 'five' });
    tokenizer = await trainPoetryTokenizer(poems, 4000);
  }, 120_000);

  it('reads the five-character Tang poems of the npm package', () => {
    expect(poems.length).toBeGreaterThan(25_000);
    const irregular = poems.flatMap((poem) => poem.lines).filter((line) => [...line].length !== 12);
    expect(irregular).toEqual([]);
    expect(poems[0]).toMatchObject({
      title: '帝京篇十首 一',
      lines: ['秦川雄帝宅，函谷壯皇居。', '綺殿千尋起，離宮百雉餘。', '連甍遙接漢，飛觀迥凌虛。', '雲日隱層闕，風煙出綺疎。'],
    });
  });

  it("reads the five-character quatrains (main.mjs's default form)", async () => {
    const quatrains = await readTangPoems({ form: 'quatrain' });
    expect(quatrains.length).toBe(3911);
    expect(quatrains.every((poem) => poem.lines.length === 2)).toBe(true);
    expect(quatrains[0]).toMatchObject({ title: '於太原召侍臣賜宴守歲', lines: ['四時運灰琯，一夕變冬春。', '送寒餘雪盡，迎歲早梅新。'] });
    expect(poemText(quatrains[0])).toBe('《於太原召侍臣賜宴守歲》\n四時運灰琯，一夕變冬春。\n送寒餘雪盡，迎歲早梅新。\n\n');
  });

  it('round-trips the whole corpus exactly: decode(encode(poems)) === poems', () => {
    const text = poems.map(poemText).join('');
    const ids = tokenizer.encode(text);
    expect(ids.length).toBeLessThan(text.length); // merges made multi-byte characters single tokens
    expect(tokenizer.decode(ids)).toBe(text);
  }, 120_000);

  it('round-trips text it was not trained on (simplified characters, emoji, Latin) through bytes', async () => {
    const text = '床前明月光，疑是地上霜。举头望明月，低头思故乡。🌕 moonlight 月光 ü\n';
    expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
    const seven = await readTangPoems({ form: 'seven' });
    const sevenText = seven.slice(0, 2000).map(poemText).join('');
    expect(tokenizer.decode(tokenizer.encode(sevenText))).toBe(sevenText);
  }, 120_000);
});

describe('a poem streamed with TextGenerator and this tokenizer', () => {
  beforeAll(() => setBackend('cpu'));

  it('never yields part of a character nor U+FFFD, and its chunks join to generate() with the same options', async () => {
    // A 300-token vocabulary leaves most Chinese characters as 2 or 3 byte tokens, so sampled
    // sequences split characters across tokens often.
    const poems = (await readTangPoems({ form: 'five' })).slice(0, 300);
    const tokenizer = await trainPoetryTokenizer(poems, 300);
    const config = { vocabSize: tokenizer.vocabSize, contextLength: 48, modelDim: 16, layers: 1, heads: 2, mlpDim: 32, tiedEmbeddings: true };
    const generator = new TextGenerator(initGptParameters(config, 3), config, tokenizer);
    const prompt = '《春夜》\n';
    let held = false;
    for (const seed of [1, 2, 3]) {
      const options = { maxNewTokens: 40, temperature: 1, seed, stop: '。' };
      const chunks = [];
      for await (const chunk of generator.stream(prompt, options)) chunks.push(chunk);
      // A chunk cut inside a character would show U+FFFD where generate() has the character.
      expect(chunks.join('')).toBe(await generator.generate(prompt, options));
      for (const chunk of chunks) expect(/[\uD800-\uDBFF]$/.test(chunk)).toBe(false);
      // The sample is well-formed UTF-8 (constrainUtf8, the default): no replacement characters.
      for (const chunk of chunks) expect(chunk).not.toContain('\uFFFD');
      const completion = (await generator.complete([prompt], options))[0];
      if (chunks.length < completion.tokens.length - 1) held = true;
    }
    expect(held).toBe(true); // some tokens were held back until their character completed
  }, 60_000);

  it("the same untrained model's bytes without constrainUtf8 are not always UTF-8 (what the default prevents)", async () => {
    const poems = (await readTangPoems({ form: 'five' })).slice(0, 300);
    const tokenizer = await trainPoetryTokenizer(poems, 300);
    const config = { vocabSize: tokenizer.vocabSize, contextLength: 48, modelDim: 16, layers: 1, heads: 2, mlpDim: 32, tiedEmbeddings: true };
    const generator = new TextGenerator(initGptParameters(config, 3), config, tokenizer);
    const texts = [];
    for (const seed of [1, 2, 3]) {
      const options = { maxNewTokens: 40, temperature: 1, seed, stop: '。' };
      texts.push(await generator.generate('《春夜》\n', { ...options, constrainUtf8: false }));
      expect(await generator.generate('《春夜》\n', options)).not.toContain('\uFFFD');
    }
    expect(texts.some((text) => text.includes('\uFFFD'))).toBe(true);
  }, 60_000);
});

describe('readTangPoems on hostile folders', () => {
  let folder;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'poems-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('refuses a file that is not a JSON array, and an unknown form', async () => {
    await writeFile(join(folder, 'poet.tang.0.json'), '{"paragraphs": 1}');
    await expect(readTangPoems({ folder })).rejects.toThrow(/expected poet\.tang\.0\.json to hold a JSON array, got object/);
    await expect(readTangPoems({ folder, form: 'six' })).rejects.toThrow(/expected a form in five, seven, all, quatrain, got "six"/);
  });

  it('skips entries whose fields have the wrong types', async () => {
    await writeFile(
      join(folder, 'poet.tang.0.json'),
      JSON.stringify([{ paragraphs: 'x' }, { paragraphs: [1, 2] }, null, { title: 7, paragraphs: ['白日依山盡，黃河入海流。'] }]),
    );
    expect(await readTangPoems({ folder })).toEqual([{ title: '', author: '', lines: ['白日依山盡，黃河入海流。'] }]);
  });
});
