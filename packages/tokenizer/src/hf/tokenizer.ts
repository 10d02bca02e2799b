import { TokenizerError } from '../errors';
import { appendAll } from '../append-all';
import { MAX_JSON_DEPTH, jsonNestingDepth } from '../json-limits';
import { type AddedToken, AddedTokenSplitter, addedTokenToJSON, checkAddedTokens, parseAddedToken } from './added-tokens';
import { buildDecoder } from './decoders/build-decoder';
import { field, type JsonObject, asArray, asObject } from './json-types';
import { buildModel } from './models/build-model';
import { buildNormalizer } from './normalizers/build-normalizer';
import { buildPostProcessor } from './post-processors/build-post-processor';
import { buildPreTokenizer } from './pre-tokenizers/build-pre-tokenizer';
import type { Decoder, Model, Normalizer, PostProcessor, PreTokenizer } from './stages';

/** The stages a `Tokenizer` is assembled from (what tokenizer.json describes). */
export interface TokenizerParts {
  readonly normalizer: Normalizer | null;
  readonly preTokenizer: PreTokenizer | null;
  readonly model: Model;
  readonly postProcessor: PostProcessor | null;
  readonly decoder: Decoder | null;
  readonly addedTokens: readonly AddedToken[];
}

/** Options of `Tokenizer.encode`, `encodePair` and `encodeBatch`. */
export interface HfEncodeOptions {
  /** Let the post-processor add e.g. [CLS]/[SEP]. Default true, as in HF. */
  readonly addSpecialTokens?: boolean;
}

/** Options of `Tokenizer.decode`. */
export interface HfDecodeOptions {
  /** Default true, as in HF. */
  readonly skipSpecialTokens?: boolean;
}

/** Longest tokenizer.json text accepted (checked before parsing). */
export const MAX_TOKENIZER_JSON_CHARS = 256 * 1024 * 1024;

/**
 * A Hugging Face `tokenizer.json` pipeline: added tokens are split off the raw text, the rest
 * goes normalizer -> pre-tokenizer -> model, then the post-processor adds template tokens.
 */
export class Tokenizer {
  readonly normalizer: Normalizer | null;
  readonly preTokenizer: PreTokenizer | null;
  readonly model: Model;
  readonly postProcessor: PostProcessor | null;
  readonly decoder: Decoder | null;
  readonly addedTokens: readonly AddedToken[];
  private readonly addedById = new Map<number, AddedToken>();
  private readonly splitter: AddedTokenSplitter;

  constructor(parts: TokenizerParts) {
    this.normalizer = parts.normalizer;
    this.preTokenizer = parts.preTokenizer;
    this.model = parts.model;
    this.postProcessor = parts.postProcessor;
    this.decoder = parts.decoder;
    this.addedTokens = parts.addedTokens;
    checkAddedTokens(parts.addedTokens, 'Tokenizer');
    for (const t of parts.addedTokens) this.addedById.set(t.id, t);
    this.splitter = new AddedTokenSplitter(parts.addedTokens);
  }

  /** Loads a tokenizer.json (text or parsed object). */
  static fromJSON(json: string | object): Tokenizer {
    let parsed: unknown = json;
    if (typeof json === 'string') {
      if (json.length > MAX_TOKENIZER_JSON_CHARS) {
        throw new TokenizerError('E_MALFORMED_TOKENIZER_JSON', {
          op: 'Tokenizer.fromJSON',
          expected: `tokenizer.json of at most ${MAX_TOKENIZER_JSON_CHARS} characters`,
          got: `${json.length} characters`,
          help: 'the largest published tokenizer.json files are some 30 MB; this is not one',
        });
      }
      const depth = jsonNestingDepth(json);
      if (depth > MAX_JSON_DEPTH) {
        throw new TokenizerError('E_MALFORMED_TOKENIZER_JSON', {
          op: 'Tokenizer.fromJSON',
          expected: `JSON nested at most ${MAX_JSON_DEPTH} levels deep`,
          got: `more than ${MAX_JSON_DEPTH} levels`,
          help: 'a tokenizer.json nests fewer than 10 levels; this file is not one',
        });
      }
      try {
        parsed = JSON.parse(json);
      } catch (error) {
        throw new TokenizerError('E_MALFORMED_TOKENIZER_JSON', {
          op: 'Tokenizer.fromJSON',
          expected: 'tokenizer.json to be valid JSON',
          got: `a parse error (${(error as Error).message})`,
          help: 'pass the text of a tokenizer.json file, or the parsed object',
        });
      }
    }
    const root = asObject(parsed, 'tokenizer.json');
    const optional = <T>(value: unknown, build: (v: unknown) => T): T | null => (value === null || value === undefined ? null : build(value));
    return new Tokenizer({
      normalizer: optional(field(root, 'normalizer'), (v) => buildNormalizer(v)),
      preTokenizer: optional(field(root, 'pre_tokenizer'), (v) => buildPreTokenizer(v)),
      model: buildModel(field(root, 'model')),
      postProcessor: optional(field(root, 'post_processor'), (v) => buildPostProcessor(v)),
      decoder: optional(field(root, 'decoder'), (v) => buildDecoder(v)),
      addedTokens: asArray(field(root, 'added_tokens') ?? [], 'added_tokens').map((t, i) => parseAddedToken(t, `added_tokens[${i}]`)),
    });
  }

  /** The tokenizer.json object (HF format version 1.0). */
  toJSON(): JsonObject {
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: this.addedTokens.map(addedTokenToJSON),
      normalizer: this.normalizer?.toJSON() ?? null,
      pre_tokenizer: this.preTokenizer?.toJSON() ?? null,
      model: this.model.toJSON(),
      post_processor: this.postProcessor?.toJSON() ?? null,
      decoder: this.decoder?.toJSON() ?? null,
    };
  }

  /** tokenizer.json text, as HF writes it (pretty-printed). */
  toString(): string {
    return JSON.stringify(this.toJSON(), null, 2);
  }

  get vocabSize(): number {
    let size = this.model.vocabSize;
    for (const t of this.addedTokens) if (this.model.idToToken(t.id) === undefined) size++;
    return size;
  }

  /** The id of `token` (added tokens included), or undefined. */
  tokenToId(token: string): number | undefined {
    return this.addedTokens.find((t) => t.content === token)?.id ?? this.model.tokenToId(token);
  }

  /** The token string of `id` (added tokens included), or undefined. */
  idToToken(id: number): string | undefined {
    return this.addedById.get(id)?.content ?? this.model.idToToken(id);
  }

  /**
   * Ids of `text` through all five stages (normalizer, pre-tokenizer, model, post-processor), added tokens matched first.
   */
  encode(text: string, options: HfEncodeOptions = {}): number[] {
    return this.encodePair(text, null, options);
  }

  /** Ids of a sequence pair (`pair` may be null), with the post-processor's special tokens around both. */
  encodePair(text: string, pair: string | null, options: HfEncodeOptions = {}): number[] {
    const a = this.encodeSequence(text);
    const b = pair === null ? null : this.encodeSequence(pair);
    const add = options.addSpecialTokens ?? true;
    if (this.postProcessor) return this.postProcessor.process(a, b, add);
    return b ? a.concat(b) : a;
  }

  /** `encode` for each text. */
  encodeBatch(texts: readonly string[], options?: HfEncodeOptions): number[][] {
    return texts.map((t) => this.encode(t, options));
  }

  /** Number of ids `encode(text, options)` returns. */
  countTokens(text: string, options?: HfEncodeOptions): number {
    return this.encode(text, options).length;
  }

  /** Text of `ids`; special tokens are skipped by default, as in Hugging Face. */
  decode(ids: ArrayLike<number>, options: HfDecodeOptions = {}): string {
    const skip = options.skipSpecialTokens ?? true;
    const tokens: string[] = [];
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k]!;
      const added = this.addedById.get(id);
      if (added) {
        if (!(skip && added.special)) tokens.push(added.content);
        continue;
      }
      const token = this.model.idToToken(id);
      if (token === undefined) {
        throw new TokenizerError('E_TOKEN_ID_OUT_OF_RANGE', {
          op: 'decode',
          expected: `ids in this tokenizer's vocabulary (0..${this.vocabSize - 1})`,
          got: `${String(id)} at index ${k}`,
          help: 'decode ids produced by the same tokenizer',
        });
      }
      tokens.push(token);
    }
    return this.decoder ? this.decoder.decodeChain(tokens).join('') : tokens.join(' ');
  }

  private encodeSequence(text: string): number[] {
    const ids: number[] = [];
    for (const segment of this.splitter.split(text)) {
      if (typeof segment !== 'string') {
        ids.push(segment.id);
        continue;
      }
      const normalized = this.normalizer ? this.normalizer.normalize(segment) : segment;
      const pieces = this.preTokenizer ? this.preTokenizer.preTokenize([normalized]) : [normalized];
      for (const piece of pieces) if (piece.length > 0) appendAll(ids, this.model.tokenize(piece));
    }
    return ids;
  }
}
