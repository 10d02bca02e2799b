import type { JsonObject } from './json-types';

/** The five stages of a Hugging Face tokenizer, as small interfaces (one class per variant). */
export interface Normalizer {
  /** The normalized text (e.g. NFC, lowercase) the rest of the pipeline sees. */
  normalize(text: string): string;
  /** This normalizer as tokenizer.json data. */
  toJSON(): JsonObject;
}

/** Pre-tokenizer stage of a Hugging Face tokenizer: splits normalized text into pieces. */
export interface PreTokenizer {
  /** Splits each piece further (and may rewrite it, e.g. ByteLevel maps bytes to chars). */
  preTokenize(pieces: string[]): string[];
  /** This pre-tokenizer as tokenizer.json data. */
  toJSON(): JsonObject;
}

/** Model stage of a Hugging Face tokenizer (BPE, WordPiece, Unigram, …): pieces to ids and back. */
export interface Model {
  /** Ids of one pre-tokenized piece. */
  tokenize(piece: string): number[];
  /** The id of `token`, or undefined when it is not in the vocabulary. */
  tokenToId(token: string): number | undefined;
  /** The token string of `id`, or undefined when the model has none. */
  idToToken(id: number): string | undefined;
  readonly vocabSize: number;
  /** This model as tokenizer.json data. */
  toJSON(): JsonObject;
}

/** Post-processor stage of a Hugging Face tokenizer: adds special tokens such as [CLS] and [SEP]. */
export interface PostProcessor {
  /** Adds special tokens around one sequence (or a pair). */
  process(ids: number[], pair: number[] | null, addSpecialTokens: boolean): number[];
  /** This post-processor as tokenizer.json data. */
  toJSON(): JsonObject;
}

/** Decoder stage of a Hugging Face tokenizer: token strings back to text pieces. */
export interface Decoder {
  /** Turns token strings back into text pieces (joined by the caller). */
  decodeChain(tokens: string[]): string[];
  /** This decoder as tokenizer.json data. */
  toJSON(): JsonObject;
}
