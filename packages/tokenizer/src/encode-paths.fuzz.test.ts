import fc from 'fast-check';
import { get_encoding } from 'tiktoken';
import { afterAll, describe, expect, it } from 'vitest';
import { Encoding } from './encoding';
import cl100k_base from './encodings/cl100k_base';
import type { EncodingSpec } from './encodings/encoding-spec';
import o200k_base from './encodings/o200k_base';
import { type EncodingName, getEncoding } from './get-encoding';
import { fuzzParameters } from './test-support/fuzz';
import { utf8Bytes } from './utf8';

/**
 * The Chinese fast paths against tiktoken itself (its WASM build, an independent implementation):
 * pieces that start with a non-ASCII byte (filtered whole-piece lookup, then the character-seeded
 * merge with its (left id, right id) pair memo), the rank table's filter, and the special-token
 * scan's early exit. Random CJK-heavy and mixed text, special tokens and bare '<' '>' included;
 * one long text has more distinct character pairs than the memo has slots, so entries are
 * overwritten and looked up again.
 */
const NAMES: readonly EncodingName[] = ['cl100k_base', 'o200k_base'];
const SPECS: Partial<Record<EncodingName, EncodingSpec>> = { cl100k_base, o200k_base };
const references = new Map(NAMES.map((n) => [n, get_encoding(n)]));
afterAll(() => {
  for (const r of references.values()) r.free();
});

const COMMON = Array.from(
  '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴乎啊',
);
const TRADITIONAL = Array.from('秦川雄帝宅函谷壯皇居綺殿千尋起離宮百雉餘連甍遙接漢飛觀迥凌虛雲日隱層闕風煙出綺疎龘齉麤靐鱻爩鬱厵灪鸞驫纛');
const PUNCT = Array.from('，。、；：？！「」『』（）《》…—·～“”‘’\u3000');
const OTHER = ['é', 'ж', 'ア', 'か', '한', '\u0301', '٣', '½', '\u00a0', '👍', '🀄', 'Ω', 'ß'];
const ASCII = ['a', 'The', ' ', '  ', '\n', '\r\n', "'s", '!', '42', '.', '<', '>', '|', '<|', '|>'];
const SPECIAL = ['<|endoftext|>', '<|fim_prefix|>', '<|endofprompt|>'];

const unit = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...COMMON) },
  { weight: 3, arbitrary: fc.constantFrom(...TRADITIONAL) },
  { weight: 3, arbitrary: fc.constantFrom(...PUNCT) },
  { weight: 2, arbitrary: fc.constantFrom(...OTHER) },
  { weight: 3, arbitrary: fc.constantFrom(...ASCII) },
  { weight: 1, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }) },
);
const mixedText = fc.array(unit, { minLength: 1, maxLength: 80 }).map((p) => p.join(''));

describe('Chinese encode paths give tiktoken ids', () => {
  for (const name of NAMES) {
    it(`${name}: random CJK-heavy and mixed text, special tokens allowed and as text`, async () => {
      const ours = await getEncoding(name);
      const reference = references.get(name)!;
      fc.assert(
        fc.property(mixedText, (text) => {
          expect(ours.encode(text, { allowedSpecial: 'all' })).toEqual(Array.from(reference.encode(text, 'all')));
          expect(ours.encodeOrdinary(text)).toEqual(Array.from(reference.encode_ordinary(text)));
        }),
        fuzzParameters(300),
      );
    });

    it(`${name}: one long text with more distinct character pairs than the pair memo has slots`, async () => {
      // A fresh Encoding so the memo starts empty. Text: random two-character words that are
      // tokens of the vocabulary, plus random characters, with punctuation every few words, so
      // many cross-character pairs are tokens (a stale memo entry would change ids) and the
      // 30,000 characters hold far more than 2^14 distinct pairs.
      const ours = new Encoding(SPECS[name]!);
      const decoder = new TextDecoder('utf-8', { fatal: true });
      const words: string[] = [];
      for (const [bytes] of ours.vocabulary.entries()) {
        if (bytes.length !== 6 || bytes[0]! < 0xe4 || bytes[0]! > 0xe9 || bytes[3]! < 0xe4 || bytes[3]! > 0xe9) continue;
        try {
          words.push(decoder.decode(bytes));
        } catch {
          // not two whole characters
        }
      }
      expect(words.length).toBeGreaterThan(100); // 186 in cl100k_base, thousands in o200k_base
      const pool = [...COMMON, ...TRADITIONAL];
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
          let state = seed;
          const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
          let text = '';
          while (text.length < 30_000) {
            const run = 1 + (next() % 5);
            for (let k = 0; k < run; k++) text += next() % 3 === 0 ? pool[next() % pool.length] : words[next() % words.length];
            text += PUNCT[next() % PUNCT.length];
          }
          expect(ours.encode(text)).toEqual(Array.from(references.get(name)!.encode(text)));
        }),
        fuzzParameters(3),
      );
    });
  }

  it("the rank table's filter never hides a token (every token of cl100k_base and o200k_base), and agrees on random keys", async () => {
    for (const name of NAMES) {
      const vocab = (await getEncoding(name)).vocabulary;
      let checked = 0;
      for (const [bytes, rank] of vocab.entries()) {
        if (vocab.rankOfMostlyAbsent(bytes, 0, bytes.length) !== rank) throw new Error(`${name}: rank ${rank} not found through the filter`);
        checked++;
      }
      let tokens = 0;
      for (let r = 0; r < vocab.size; r++) if (vocab.has(r)) tokens++;
      expect(checked).toBe(tokens);
      expect(tokens).toBeGreaterThan(100_000);
      fc.assert(
        fc.property(fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 24 }), mixedText.map(utf8Bytes)), (bytes) => {
          expect(vocab.rankOfMostlyAbsent(bytes, 0, bytes.length)).toBe(vocab.rankOf(bytes, 0, bytes.length));
        }),
        fuzzParameters(2000),
      );
    }
  });
});
