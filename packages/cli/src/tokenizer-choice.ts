/**
 * `--tokenizer`: `char` (one id per character of the data), `bpe[:VOCAB]` (byte-level BPE trained
 * on the data with `trainBpe`, streamed: memory grows with the distinct words, not the text),
 * `r50k_base` / `cl100k_base` / `o200k_base` (tiktoken's), or the path of a `tokenizer.json`.
 * Whatever the choice, the run folder gets a Hugging Face `tokenizer.json` with the same ids.
 */
import { readFile, stat } from 'node:fs/promises';
import { createCharTokenizer, encodingToTokenizer, getEncoding, Tokenizer, trainBpe, type EncodingName } from '@wattformer/tokenizer';
import type { DataSource } from './data-source';
import { formatBytes } from './data-source';
import { cliError } from './errors';
import { progressLine } from './progress-line';

export type TokenizerSpec =
  | { readonly kind: 'char' }
  | { readonly kind: 'bpe'; readonly vocabSize: number }
  | { readonly kind: 'tiktoken'; readonly name: 'r50k_base' | 'cl100k_base' | 'o200k_base' }
  | { readonly kind: 'file'; readonly path: string };

/** The special token that ends every document of the data (GPT-2's), for `char` and `bpe`. */
export const END_OF_TEXT = '<|endoftext|>';
export const DEFAULT_BPE_VOCAB = 4096;
const TIKTOKEN = ['r50k_base', 'cl100k_base', 'o200k_base'] as const;
/** A tokenizer.json larger than this is refused before it is read. */
export const MAX_TOKENIZER_BYTES = 256 << 20;
/** End-of-document tokens recognised in a user's tokenizer.json, in order of preference. */
const EOS_CANDIDATES = [END_OF_TEXT, '</s>', '<|eos|>', '<eos>', '[SEP]'];

const CHOICES = `char, bpe[:VOCAB], ${TIKTOKEN.join(', ')} or the path of a tokenizer.json`;

export function parseTokenizerSpec(value: string): TokenizerSpec {
  if (value === 'char') return { kind: 'char' };
  const bpe = /^bpe(?::(.*))?$/.exec(value);
  if (bpe) {
    if (bpe[1] === undefined) return { kind: 'bpe', vocabSize: DEFAULT_BPE_VOCAB };
    const vocabSize = Number(bpe[1].replace(/_/g, ''));
    if (!Number.isInteger(vocabSize) || vocabSize < 257 || vocabSize > 1_000_000) {
      throw cliError(
        'E_ARGUMENT',
        '--tokenizer',
        'bpe:VOCAB with VOCAB an integer from 257 (256 bytes + <|endoftext|>) to 1000000',
        `'${value}'`,
        `e.g. --tokenizer bpe:${DEFAULT_BPE_VOCAB}`,
      );
    }
    return { kind: 'bpe', vocabSize };
  }
  if ((TIKTOKEN as readonly string[]).includes(value)) return { kind: 'tiktoken', name: value as (typeof TIKTOKEN)[number] };
  if (value.endsWith('.json') || value.includes('/') || value.includes('\\')) return { kind: 'file', path: value };
  throw cliError(
    'E_UNKNOWN_CHOICE',
    '--tokenizer',
    CHOICES,
    `'${value}'`,
    `e.g. --tokenizer bpe:${DEFAULT_BPE_VOCAB} (trained on your data) or --tokenizer char`,
  );
}

/** A tokenizer ready for training: the HF pipeline saved in the run folder, and how data is encoded. */
export interface TrainingTokenizer {
  /** Saved as tokenizer.json; decodes samples. */
  readonly tokenizer: Tokenizer;
  /** One more than the largest id (the model's vocabulary size). */
  readonly vocabSize: number;
  readonly description: string;
  /** Appended after every document of the data; the model's bos/eos. */
  readonly endOfText: { readonly id: number; readonly token: string } | undefined;
  /** Data text → ids (no template tokens such as [CLS]; special tokens in the text are matched). */
  encode(text: string): number[];
}

/** One more than the largest id of a tokenizer.json pipeline (ids may have gaps). */
function largestIdPlusOne(tokenizer: Tokenizer): number {
  let max = -1;
  const model = (tokenizer.toJSON() as { model?: { vocab?: unknown } }).model;
  const vocab = model?.vocab;
  if (vocab && typeof vocab === 'object' && !Array.isArray(vocab)) for (const id of Object.values(vocab as Record<string, number>)) if (id > max) max = id;
  for (const token of tokenizer.addedTokens) if (token.id > max) max = token.id;
  return Math.max(max + 1, tokenizer.vocabSize);
}

/** Wraps a tokenizer.json pipeline (ours, a user's, or a run folder's). */
export function trainingTokenizer(tokenizer: Tokenizer, description: string): TrainingTokenizer {
  const eos = EOS_CANDIDATES.find((token) => tokenizer.addedTokens.some((t) => t.content === token));
  return {
    tokenizer,
    vocabSize: largestIdPlusOne(tokenizer),
    description,
    endOfText: eos === undefined ? undefined : { id: tokenizer.tokenToId(eos)!, token: eos },
    encode: (text) => tokenizer.encode(text, { addSpecialTokens: false }),
  };
}

export async function loadTokenizerFile(path: string, op = '--tokenizer'): Promise<Tokenizer> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw cliError('E_ARGUMENT', op, `${CHOICES}`, `'${path}' (no such file)`, 'pass the path of a Hugging Face tokenizer.json');
  if (info.size > MAX_TOKENIZER_BYTES)
    throw cliError('E_ARGUMENT', op, `a tokenizer.json of at most ${formatBytes(MAX_TOKENIZER_BYTES)}`, `${formatBytes(info.size)} in '${path}'`);
  try {
    return Tokenizer.fromJSON(await readFile(path, 'utf8'));
  } catch (error) {
    throw cliError(
      'E_ARGUMENT',
      op,
      'a Hugging Face tokenizer.json',
      `'${path}': ${(error as Error).message.split('\n')[0]}`,
      'save one with tokenizer.save("tokenizer.json") (HF tokenizers) or use --tokenizer bpe',
    );
  }
}

/** Builds the tokenizer a spec names; `char` and `bpe` make one pass over the data, with progress. */
export async function buildTokenizer(spec: TokenizerSpec, data: DataSource, log: (line: string) => void): Promise<TrainingTokenizer> {
  if (spec.kind === 'file') return trainingTokenizer(await loadTokenizerFile(spec.path), `tokenizer.json from ${spec.path}`);
  if (spec.kind === 'tiktoken') {
    const encoding = await getEncoding(spec.name as EncodingName);
    const base = trainingTokenizer(encodingToTokenizer(encoding), `tiktoken ${spec.name}`);
    // tiktoken's own encoder is the fast path for the data; the pipeline gives the same ids.
    return { ...base, vocabSize: Math.max(base.vocabSize, encoding.vocabSize), encode: (text) => encoding.encodeOrdinary(text) };
  }
  const progress = progressLine(
    spec.kind === 'bpe' ? `bpe: training a ${spec.vocabSize}-token vocabulary` : 'char: collecting characters',
    data.size,
    formatBytes,
  );
  const texts = async function* () {
    for await (const piece of data.pieces((done) => progress.update(done))) yield piece.text;
  };
  if (spec.kind === 'char') {
    const characters = new Set<string>();
    for await (const text of texts()) for (const ch of text) characters.add(ch);
    const tokenizer = createCharTokenizer(characters, { specialTokens: [END_OF_TEXT] });
    progress.finish(`${characters.size} characters`);
    return trainingTokenizer(tokenizer, `char (${characters.size} characters + ${END_OF_TEXT})`);
  }
  const started = Date.now();
  const tokenizer = await trainBpe(texts(), { vocabSize: spec.vocabSize, specialTokens: [END_OF_TEXT] });
  progress.finish(`${tokenizer.vocabSize} tokens`);
  if (tokenizer.vocabSize < spec.vocabSize)
    log(`bpe: the data has merges for ${tokenizer.vocabSize} tokens only (asked ${spec.vocabSize}); using ${tokenizer.vocabSize}`);
  return trainingTokenizer(tokenizer, `byte-level BPE, ${tokenizer.vocabSize} tokens, trained on the data in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
