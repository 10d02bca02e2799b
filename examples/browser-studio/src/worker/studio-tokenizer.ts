/**
 * The studio's two tokenizers behind one face: the text's characters (`CharTokenizer`), or a
 * byte-level BPE tokenizer trained on the text in the worker (`trainBpe`, GPT-4's
 * pre-tokenization), which covers any text through its UTF-8 bytes.
 */
import { CharTokenizer, Tokenizer, trainBpe, type CharTokenizerJSON } from '@wattformer/tokenizer';
import { studioError } from '../errors';
import type { TokenizerChoice } from '../protocol';

export interface StudioTokenizer {
  readonly kind: 'char' | 'bpe';
  readonly vocabSize: number;
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /** Whether every character of `text` can be encoded. */
  covers(text: string): boolean;
  /** What config.json carries under `wattformer_studio.tokenizer`. */
  toJSON(): CharTokenizerJSON | object;
}

export class CharStudioTokenizer implements StudioTokenizer {
  readonly kind = 'char';
  constructor(readonly inner: CharTokenizer) {}
  get vocabSize(): number {
    return this.inner.vocabSize;
  }
  encode(text: string): number[] {
    return this.inner.encode(text);
  }
  decode(ids: readonly number[]): string {
    return this.inner.decode(ids);
  }
  covers(text: string): boolean {
    const known = new Set(this.inner.vocab);
    for (const ch of new Set(text)) if (!known.has(ch)) return false;
    return true;
  }
  toJSON(): CharTokenizerJSON {
    return this.inner.toJSON();
  }
}

export class BpeStudioTokenizer implements StudioTokenizer {
  readonly kind = 'bpe';
  constructor(readonly inner: Tokenizer) {}
  get vocabSize(): number {
    return this.inner.vocabSize;
  }
  encode(text: string): number[] {
    return this.inner.encode(text);
  }
  decode(ids: readonly number[]): string {
    return this.inner.decode(ids);
  }
  covers(): boolean {
    return true; // byte-level: every string is bytes
  }
  toJSON(): object {
    return this.inner.toJSON();
  }
}

/** Pieces of the text fed to trainBpe one at a time, so progress can be reported between them. */
const CHUNKS = 40;

export interface TokenizerProgress {
  readonly phase: 'counting' | 'merging' | 'done';
  readonly done: number;
  readonly total: number;
}

/**
 * Builds the chosen tokenizer for `text`. BPE training reports progress while it counts words
 * (chunk by chunk, yielding to the event loop between chunks so the worker stays responsive) and
 * before it learns the merges.
 */
export async function buildTokenizer(
  text: string,
  choice: TokenizerChoice,
  onProgress: (progress: TokenizerProgress) => void = () => undefined,
): Promise<StudioTokenizer> {
  if (choice.kind === 'char') return new CharStudioTokenizer(CharTokenizer.fromText(text));
  if (choice.kind !== 'bpe') throw studioError('tokenizer', "'char' or 'bpe'", JSON.stringify((choice as { kind: unknown }).kind));
  if (!Number.isInteger(choice.vocabSize) || choice.vocabSize < 257 || choice.vocabSize > 8192) {
    throw studioError(
      'tokenizer',
      'a BPE vocabulary of 257..8192 tokens',
      String(choice.vocabSize),
      'the 256 bytes plus at least one merge; 512–2000 suits the bundled texts',
    );
  }
  // Cut at line ends so no chunk splits a word (or a character) in two.
  const chunks: string[] = [];
  const size = Math.ceil(text.length / CHUNKS);
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + size);
    const newline = text.indexOf('\n', end);
    end = newline < 0 || end === text.length ? text.length : newline + 1;
    chunks.push(text.slice(start, end));
    start = end;
  }
  async function* pieces(): AsyncGenerator<string> {
    for (let i = 0; i < chunks.length; i++) {
      onProgress({ phase: 'counting', done: i, total: chunks.length });
      await new Promise((resolve) => setTimeout(resolve, 0));
      yield chunks[i]!;
    }
    onProgress({ phase: 'merging', done: chunks.length, total: chunks.length });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const tokenizer = await trainBpe(pieces(), { vocabSize: choice.vocabSize });
  onProgress({ phase: 'done', done: chunks.length, total: chunks.length });
  return new BpeStudioTokenizer(tokenizer);
}

/** The tokenizer saved in a studio checkpoint (`kind` absent: a character vocabulary, as before). */
export function tokenizerFromJSON(kind: unknown, json: unknown): StudioTokenizer {
  if (kind === undefined || kind === 'char') return new CharStudioTokenizer(CharTokenizer.fromJSON(json as CharTokenizerJSON));
  if (kind === 'bpe') return new BpeStudioTokenizer(Tokenizer.fromJSON(json as object));
  throw studioError('loadCheckpoint', "wattformer_studio.tokenizerKind 'char' or 'bpe'", JSON.stringify(kind), 'load a config.json saved by this studio');
}
