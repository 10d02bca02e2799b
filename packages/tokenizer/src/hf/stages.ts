import type { JsonObject } from './json-types';

/** The five stages of a Hugging Face tokenizer, as small interfaces (one class per variant). */
export interface Normalizer {
  normalize(text: string): string;
  toJSON(): JsonObject;
}

export interface PreTokenizer {
  /** Splits each piece further (and may rewrite it, e.g. ByteLevel maps bytes to chars). */
  preTokenize(pieces: string[]): string[];
  toJSON(): JsonObject;
}

export interface Model {
  /** Ids of one pre-tokenized piece. */
  tokenize(piece: string): number[];
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  readonly vocabSize: number;
  toJSON(): JsonObject;
}

export interface PostProcessor {
  /** Adds special tokens around one sequence (or a pair). */
  process(ids: number[], pair: number[] | null, addSpecialTokens: boolean): number[];
  toJSON(): JsonObject;
}

export interface Decoder {
  /** Turns token strings back into text pieces (joined by the caller). */
  decodeChain(tokens: string[]): string[];
  toJSON(): JsonObject;
}
