import { TokenizerError, preview } from './errors';
import { MAX_JSON_DEPTH, jsonNestingDepth } from './json-limits';
import { TokenMatcher } from './token-matcher';

/** Longest CharTokenizer JSON text accepted (checked before parsing). */
const MAX_JSON_CHARS = 64 * 1024 * 1024;

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
  private readonly specials: TokenMatcher;

  private constructor(
    readonly vocab: readonly string[],
    readonly specialTokens: readonly string[],
    op: string,
  ) {
    const bad = (expected: string, got: string): TokenizerError =>
      new TokenizerError(op === 'CharTokenizer.fromJSON' ? 'E_MALFORMED_TOKENIZER_JSON' : 'E_ARGUMENT', { op, expected, got });
    for (const special of specialTokens) {
      if (typeof special !== 'string' || special.length === 0) throw bad('special tokens to be non-empty strings', preview(special));
    }
    vocab.forEach((token, id) => {
      if (typeof token !== 'string' || token.length === 0) throw bad('vocab entries to be non-empty strings', `${preview(token)} at ${id}`);
      if (this.ids.has(token)) throw bad('each vocab entry once', `${preview(token)} at ${this.ids.get(token)} and ${id}`);
      this.ids.set(token, id);
    });
    for (const special of specialTokens) if (!this.ids.has(special)) throw bad('special tokens to be in the vocab', preview(special));
    this.specials = new TokenMatcher(specialTokens);
  }

  /**
   * Builds the vocabulary from the distinct characters of `text` (sorted by code point), then the special tokens.
   */
  static fromText(text: string, options: { specialTokens?: readonly string[] } = {}): CharTokenizer {
    const chars = [...new Set(text)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    const specials = options.specialTokens ?? [];
    return new CharTokenizer(chars.concat(specials), specials, 'CharTokenizer.fromText');
  }

  /** Restores a tokenizer saved with `toJSON()` (object or JSON string), checking the vocabulary. */
  static fromJSON(json: CharTokenizerJSON | string): CharTokenizer {
    let data: Partial<CharTokenizerJSON>;
    if (typeof json === 'string') {
      const malformed = (expected: string, got: string) => new TokenizerError('E_MALFORMED_TOKENIZER_JSON', { op: 'CharTokenizer.fromJSON', expected, got });
      if (json.length > MAX_JSON_CHARS) throw malformed(`at most ${MAX_JSON_CHARS} characters`, `${json.length}`);
      if (jsonNestingDepth(json) > MAX_JSON_DEPTH) throw malformed(`JSON nested at most ${MAX_JSON_DEPTH} levels deep`, 'deeper nesting');
      try {
        data = JSON.parse(json) as Partial<CharTokenizerJSON>;
      } catch (error) {
        throw malformed('valid JSON', `a parse error (${(error as Error).message})`);
      }
    } else data = json;
    if (data === null || typeof data !== 'object') data = {};
    if (data.type !== 'CharTokenizer' || !Array.isArray(data.vocab) || !Array.isArray(data.specialTokens)) {
      throw new TokenizerError('E_MALFORMED_TOKENIZER_JSON', {
        op: 'CharTokenizer.fromJSON',
        expected: '{ type: "CharTokenizer", vocab: string[], specialTokens: string[] }',
        got: preview(JSON.stringify(data)),
      });
    }
    return new CharTokenizer(data.vocab, data.specialTokens, 'CharTokenizer.fromJSON');
  }

  get vocabSize(): number {
    return this.vocab.length;
  }

  /**
   * Ids of `text`: a special token where one appears, else one id per character; an unseen character is an error naming it.
   */
  encode(text: string): number[] {
    const out: number[] = [];
    const matches = this.specials.findAll(text);
    let next = 0;
    let index = 0;
    while (index < text.length) {
      const m = matches[next];
      if (m !== undefined && m.start === index) {
        out.push(this.ids.get(this.specialTokens[m.token]!)!);
        index = m.end;
        next++;
        continue;
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
