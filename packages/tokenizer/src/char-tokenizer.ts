import { TokenizerError, preview } from './errors';

/** Saved form of a `CharTokenizer` (`toJSON()` / `fromJSON()`). */
export interface CharTokenizerJSON {
  readonly type: 'CharTokenizer';
  /** vocab[id] = the character (one code point) or special token. */
  readonly vocab: readonly string[];
  readonly specialTokens: readonly string[];
}

/**
 * One id per Unicode code point seen in the training text (sorted, so the same text always
 * gives the same ids), plus optional special tokens after them. For tiny demos
 * (e.g. a character-level Shakespeare model), not for real vocabularies.
 */
export class CharTokenizer {
  private readonly ids = new Map<string, number>();

  private constructor(
    readonly vocab: readonly string[],
    readonly specialTokens: readonly string[],
  ) {
    vocab.forEach((token, id) => this.ids.set(token, id));
  }

  /**
   * Builds the vocabulary from the distinct characters of `text` (sorted by code point), then the special tokens.
   */
  static fromText(text: string, options: { specialTokens?: readonly string[] } = {}): CharTokenizer {
    const chars = [...new Set(text)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    const specials = options.specialTokens ?? [];
    return new CharTokenizer([...chars, ...specials], specials);
  }

  /** Restores a tokenizer saved with `toJSON()` (object or JSON string), checking the vocabulary. */
  static fromJSON(json: CharTokenizerJSON | string): CharTokenizer {
    const data = (typeof json === 'string' ? JSON.parse(json) : json) as Partial<CharTokenizerJSON>;
    if (data.type !== 'CharTokenizer' || !Array.isArray(data.vocab) || !Array.isArray(data.specialTokens)) {
      throw new TokenizerError('E_MALFORMED_TOKENIZER_JSON', {
        op: 'CharTokenizer.fromJSON',
        expected: '{ type: "CharTokenizer", vocab: string[], specialTokens: string[] }',
        got: preview(JSON.stringify(data)),
      });
    }
    return new CharTokenizer(data.vocab, data.specialTokens);
  }

  get vocabSize(): number {
    return this.vocab.length;
  }

  /**
   * Ids of `text`: a special token where one appears, else one id per character; an unseen character is an error naming it.
   */
  encode(text: string): number[] {
    const out: number[] = [];
    let index = 0;
    outer: while (index < text.length) {
      for (const special of this.specialTokens) {
        if (text.startsWith(special, index)) {
          out.push(this.ids.get(special)!);
          index += special.length;
          continue outer;
        }
      }
      const ch = String.fromCodePoint(text.codePointAt(index)!);
      const id = this.ids.get(ch);
      if (id === undefined) {
        throw new TokenizerError('E_UNKNOWN_CHARACTER', {
          op: 'CharTokenizer.encode',
          expected: `characters seen when the vocabulary was built (${this.vocab.length - this.specialTokens.length} of them)`,
          got: `${preview(ch)} at index ${index}`,
          help: 'build the tokenizer from text that covers every character, or use a byte-level BPE tokenizer',
        });
      }
      out.push(id);
      index += ch.length;
    }
    return out;
  }

  /** Decodes ids back to text (special tokens included as their text). */
  decode(ids: ArrayLike<number>): string {
    let out = '';
    for (let k = 0; k < ids.length; k++) {
      const token = this.vocab[ids[k]!];
      if (token === undefined) {
        throw new TokenizerError('E_TOKEN_ID_OUT_OF_RANGE', {
          op: 'CharTokenizer.decode',
          expected: `ids in 0..${this.vocab.length - 1}`,
          got: `${String(ids[k])} at index ${k}`,
        });
      }
      out += token;
    }
    return out;
  }

  /** The vocabulary as JSON-safe data, for `fromJSON`. */
  toJSON(): CharTokenizerJSON {
    return { type: 'CharTokenizer', vocab: this.vocab, specialTokens: this.specialTokens };
  }
}
