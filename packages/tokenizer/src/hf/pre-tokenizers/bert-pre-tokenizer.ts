import type { JsonObject } from '../json-types';
import type { PreTokenizer } from '../stages';

/** HF's punctuation test: ASCII symbol ranges plus Unicode P*. */
function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return /^\p{P}$/u.test(ch);
}

/** HF `BertPreTokenizer`: split on whitespace, and every punctuation char is its own piece. */
export class BertPreTokenizer implements PreTokenizer {
  preTokenize(pieces: string[]): string[] {
    const out: string[] = [];
    for (const piece of pieces) {
      let word = '';
      for (const ch of piece) {
        if (/^\s$/u.test(ch)) {
          if (word) out.push(word);
          word = '';
        } else if (isPunctuation(ch)) {
          if (word) out.push(word);
          out.push(ch);
          word = '';
        } else word += ch;
      }
      if (word) out.push(word);
    }
    return out;
  }
  toJSON(): JsonObject {
    return { type: 'BertPreTokenizer' };
  }
}
