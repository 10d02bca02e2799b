import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getEncoding } from '../get-encoding';
import { cl100kPieceEnd } from '../pre-tokenizers/cl100k-pattern';
import { o200kPieceEnd } from '../pre-tokenizers/o200k-pattern';
import type { PieceEnd } from '../pre-tokenizers/patterns';
import { fuzzParameters } from '../test-support/fuzz';
import { utf8Bytes } from '../utf8';
import { Vocabulary } from '../vocabulary';
import { CharSeededBpe, SEEDED_MAX_BYTES } from './char-seeded-bpe';
import { rankBpe } from './rank-bpe';

/**
 * The character-seeded merge must give exactly the byte-level merge (`rankBpe`, tiktoken's
 * algorithm) whenever it accepts a piece. Checked on the real cl100k/o200k ranks with random
 * CJK-heavy text, and on small random vocabularies whose tokens are arbitrary byte ranges
 * (many straddle or split characters) with arbitrary ranks, where its two conditions matter.
 */
const COMMON =
  '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴乎啊';
const RARE = '龘齉麤靐鱻爩鬱厵灪鸞驫纛囖癵籲鑿讟鸛';
const PUNCT = '，。、；：？！「」『』（）《》…—·～“”‘’';
const OTHER = ['é', 'ü', 'ñ', 'ß', 'ж', 'Д', 'α', 'ア', 'か', '한', '글', '\u0301', '\u0308', '٣', '½', '\u00a0', '\u3000', '👍', '🀄'];
const ASCII = ['a', 'Z', 'th', 'e', '1', '42', ' ', '  ', '\n', '\r\n', "'s", "'LL", "'re", '!', '.', ',', '/'];

const chars = (s: string) => Array.from(s);
const unit = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...chars(COMMON)) },
  { weight: 2, arbitrary: fc.constantFrom(...chars(RARE)) },
  { weight: 2, arbitrary: fc.constantFrom(...chars(PUNCT)) },
  { weight: 2, arbitrary: fc.constantFrom(...OTHER) },
  { weight: 2, arbitrary: fc.constantFrom(...ASCII) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 2 }) },
);
const cjkText = fc.array(unit, { minLength: 1, maxLength: 60 }).map((p) => p.join(''));

/** Byte-level reference ids of one piece. */
function reference(vocab: Vocabulary, bytes: Uint8Array, start: number, end: number): number[] {
  const out: number[] = [];
  rankBpe(vocab, bytes, start, end, out);
  return out;
}

function checkPieces(vocab: Vocabulary, seeded: CharSeededBpe, pieceEnd: PieceEnd, text: string, counts: { accepted: number }): void {
  const bytes = utf8Bytes(text);
  for (let pos = 0; pos < bytes.length; ) {
    const end = pieceEnd(bytes, pos, bytes.length);
    if (end - pos <= SEEDED_MAX_BYTES) {
      const got: number[] = [];
      if (seeded.encode(bytes, pos, end, got)) {
        counts.accepted++;
        expect(got, `piece ${JSON.stringify(new TextDecoder().decode(bytes.subarray(pos, end)))}`).toEqual(reference(vocab, bytes, pos, end));
      } else expect(got).toEqual([]);
    }
    pos = end;
  }
}

describe('character-seeded BPE gives the byte-level merge', () => {
  for (const [name, pieceEnd] of [
    ['cl100k_base', cl100kPieceEnd],
    ['o200k_base', o200kPieceEnd],
  ] as const) {
    it(`${name}: every accepted piece of random CJK-heavy text, and whole encodes`, async () => {
      const encoding = await getEncoding(name);
      const vocab = encoding.vocabulary;
      const seeded = new CharSeededBpe(vocab);
      const counts = { accepted: 0 };
      fc.assert(
        fc.property(cjkText, (text) => {
          checkPieces(vocab, seeded, pieceEnd, text, counts);
          // The Encoding's own path (seeded, piece cache, fallback) against per-piece byte-level merges.
          const bytes = utf8Bytes(text);
          const expected: number[] = [];
          for (let pos = 0; pos < bytes.length; ) {
            const end = pieceEnd(bytes, pos, bytes.length);
            expected.push(...reference(vocab, bytes, pos, end));
            pos = end;
          }
          expect(encoding.encodeOrdinary(text)).toEqual(expected);
        }),
        fuzzParameters(300),
      );
      // Not vacuous: most pieces take the seeded path.
      expect(counts.accepted).toBeGreaterThan(300);
    });
  }

  it('random vocabularies over a few characters: arbitrary tokens (split characters too) and ranks', () => {
    const alphabet = ['中', '文', '字', 'é', 'ж', 'a', 'b', ' '];
    const sample = fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 24 }).map((p) => utf8Bytes(p.join('')));
    // Tokens: byte ranges of random alphabet strings (any start and end, so many are misaligned).
    const token = fc.tuple(sample, fc.nat(), fc.nat()).map(([bytes, a, b]) => {
      const s = a % bytes.length;
      const e = s + 1 + (b % Math.min(8, bytes.length - s));
      return bytes.slice(s, e);
    });
    const vocabulary = fc
      .tuple(fc.uniqueArray(token, { minLength: 1, maxLength: 60, selector: (t) => Array.from(t).join(',') }), fc.nat())
      .map(([tokens, seed]) => {
        const multi = tokens.filter((t) => t.length > 1);
        // A seeded shuffle of ranks: the 256 single bytes interleaved with the rest at random.
        const entries: Array<[Uint8Array, number]> = [];
        for (let b = 0; b < 256; b++) entries.push([Uint8Array.of(b), 0]);
        for (const t of multi) entries.push([t, 0]);
        let state = seed | 1;
        for (let i = entries.length - 1; i > 0; i--) {
          state = (Math.imul(state, 1103515245) + 12345) >>> 0;
          const j = state % (i + 1);
          [entries[i], entries[j]] = [entries[j]!, entries[i]!];
        }
        entries.forEach((e, rank) => (e[1] = rank));
        return Vocabulary.fromEntries(entries);
      });
    let accepted = 0;
    fc.assert(
      fc.property(vocabulary, fc.array(sample, { minLength: 1, maxLength: 8 }), (vocab, pieces) => {
        const seeded = new CharSeededBpe(vocab);
        for (const bytes of pieces) {
          const got: number[] = [];
          if (seeded.encode(bytes, 0, bytes.length, got)) {
            accepted++;
            expect(got).toEqual(reference(vocab, bytes, 0, bytes.length));
          } else expect(got).toEqual([]);
        }
      }),
      fuzzParameters(400),
    );
    expect(accepted).toBeGreaterThan(100);
  });
});
