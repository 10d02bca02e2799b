import { describe, expect, it } from 'vitest';
import { encodingToTokenizer } from './encoding-to-tokenizer';
import { getEncoding } from './get-encoding';
import { Tokenizer } from './hf/tokenizer';

const texts = [
  'Hello, world! 1234567 foo   bar\n\n  baz',
  '秦川雄帝宅，函谷壯皇居。綺殿千尋起，離宮百雉餘。',
  "I'm here; they'll go. 😀😀 ÄÖÜ ß\t\tend",
  'def f(x):\n    return x**2  # comment\r\n',
];

describe('encodingToTokenizer', () => {
  it('gives tiktoken r50k_base ids for every text, decodes them back, and survives its tokenizer.json', async () => {
    const encoding = await getEncoding('r50k_base');
    const tokenizer = Tokenizer.fromJSON(JSON.stringify(encodingToTokenizer(encoding).toJSON()));
    for (const text of texts) {
      const ids = tokenizer.encode(text);
      expect(ids).toEqual(encoding.encodeOrdinary(text));
      expect(tokenizer.decode(ids)).toBe(text);
    }
    expect(tokenizer.encode('a<|endoftext|>b')).toEqual([64, 50256, 65]);
    expect(tokenizer.tokenToId('<|endoftext|>')).toBe(50256);
  });
});
