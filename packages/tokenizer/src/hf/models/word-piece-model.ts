import type { JsonObject } from '../json-types';
import type { Model } from '../stages';
import { checkVocabIds } from './vocab-ids';

export interface WordPieceOptions {
  readonly vocab: ReadonlyMap<string, number>;
  readonly unkToken: string;
  readonly continuingSubwordPrefix: string;
  readonly maxInputCharsPerWord: number;
}

/** HF `WordPiece` (BERT): greedy longest-match-first; a word with any unmatched rest is [UNK]. */
export class WordPieceModel implements Model {
  private readonly idToTokenTable: string[] = [];
  /** Longest vocab token in code points (prefix removed): no match can be longer. */
  private readonly longestToken: number;

  constructor(readonly options: WordPieceOptions) {
    checkVocabIds(options.vocab, 'model.vocab');
    let longest = 1;
    for (const [token, id] of options.vocab) {
      this.idToTokenTable[id] = token;
      const body = token.startsWith(options.continuingSubwordPrefix) ? token.length - options.continuingSubwordPrefix.length : token.length;
      longest = Math.max(longest, body);
    }
    this.longestToken = longest;
  }

  get vocabSize(): number {
    return this.options.vocab.size;
  }

  tokenToId(token: string): number | undefined {
    return this.options.vocab.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.idToTokenTable[id];
  }

  tokenize(word: string): number[] {
    const { vocab, unkToken, continuingSubwordPrefix, maxInputCharsPerWord } = this.options;
    const unk = (): number[] => {
      const id = vocab.get(unkToken);
      return id === undefined ? [] : [id];
    };
    // Count code points before splitting: a 4 MB word must not become a 4M-element array.
    if (word.length > 2 * maxInputCharsPerWord) return unk();
    const chars = Array.from(word);
    if (chars.length > maxInputCharsPerWord) return unk();
    const ids: number[] = [];
    let start = 0;
    while (start < chars.length) {
      // UTF-16 length bounds code points, so no token is longer than longestToken code points.
      let end = Math.min(chars.length, start + this.longestToken);
      let found: number | undefined;
      while (start < end) {
        let sub = chars.slice(start, end).join('');
        if (start > 0) sub = continuingSubwordPrefix + sub;
        found = vocab.get(sub);
        if (found !== undefined) break;
        end--;
      }
      if (found === undefined) return unk();
      ids.push(found);
      start = end;
    }
    return ids;
  }

  toJSON(): JsonObject {
    const vocab: Record<string, number> = {};
    for (const [token, id] of [...this.options.vocab].sort((x, y) => x[1] - y[1])) vocab[token] = id;
    return {
      type: 'WordPiece',
      unk_token: this.options.unkToken,
      continuing_subword_prefix: this.options.continuingSubwordPrefix,
      max_input_chars_per_word: this.options.maxInputCharsPerWord,
      vocab,
    };
  }
}
