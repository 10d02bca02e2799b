/** Plain data describing a tiktoken encoding; kept free of code so each subpath entry is only data. */
export interface EncodingSpec {
  readonly name: string;
  /** A built-in pattern name ('gpt2' | 'cl100k' | 'o200k') or a regex source in tiktoken syntax. */
  readonly pattern: string;
  readonly specialTokens: Readonly<Record<string, number>>;
  /** Rank data in the `.tiktoken` format. */
  readonly ranks: string | Uint8Array;
}
