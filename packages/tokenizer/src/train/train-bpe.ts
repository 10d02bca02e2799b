import { TokenizerError } from '../errors';
import { bytesToByteLevel } from '../hf/byte-level-alphabet';
import { ByteLevelDecoder } from '../hf/decoders/byte-level-decoder';
import { BpeModel } from '../hf/models/bpe-model';
import { ByteLevelPostProcessor } from '../hf/post-processors/byte-level-post-processor';
import { ByteLevelPreTokenizer } from '../hf/pre-tokenizers/byte-level';
import { SequencePreTokenizer } from '../hf/pre-tokenizers/sequence-pre-tokenizer';
import { SplitPreTokenizer } from '../hf/pre-tokenizers/split';
import { Tokenizer } from '../hf/tokenizer';
import { findBuiltInPattern } from '../pre-tokenizers/patterns';
import { compileSplitPattern } from '../pre-tokenizers/split-pattern';
import { learnMerges } from './learn-merges';
import { WordCounter } from './word-counter';

/** Options of `trainBpe`: the target vocabulary size, special tokens, pattern and limits. */
export interface TrainBpeOptions {
  /** Total vocabulary: 256 bytes + merges + special tokens. */
  readonly vocabSize: number;
  /** Pairs seen fewer times than this are never merged. Default 2. */
  readonly minFrequency?: number;
  /** Appended after the merges, e.g. ['<|endoftext|>']. */
  readonly specialTokens?: readonly string[];
  /** Pre-tokenization: 'gpt2' | 'cl100k' | 'o200k' or a regex source. Default 'cl100k' (GPT-4). */
  readonly pattern?: string;
}

/**
 * Training text for `trainBpe`: one string, or strings from an iterable or async iterable (e.g. a file read line by line).
 */
export type TrainingInput = string | Iterable<string> | AsyncIterable<string>;

/**
 * Trains a byte-level BPE tokenizer. Text is consumed one item at a time and only distinct
 * pre-tokenized words are kept, so an async iterable of many MB never sits in memory at once.
 * The same input and options always give the same tokenizer, id for id.
 */
export async function trainBpe(input: TrainingInput, options: TrainBpeOptions): Promise<Tokenizer> {
  const specials = options.specialTokens ?? [];
  if (!Array.isArray(specials)) {
    throw new TokenizerError('E_ARGUMENT', { op: 'trainBpe', expected: 'specialTokens to be an array of strings', got: typeof specials });
  }
  const minFrequency = options.minFrequency ?? 2;
  const patternName = options.pattern ?? 'cl100k';
  if (!Number.isInteger(options.vocabSize) || options.vocabSize < 256 + specials.length) {
    throw new TokenizerError('E_ARGUMENT', {
      op: 'trainBpe',
      expected: `vocabSize to be an integer of at least 256 + ${specials.length} special tokens = ${256 + specials.length}`,
      got: String(options.vocabSize),
    });
  }
  if (!Number.isInteger(minFrequency) || minFrequency < 1) {
    throw new TokenizerError('E_ARGUMENT', { op: 'trainBpe', expected: 'minFrequency to be a positive integer', got: String(minFrequency) });
  }
  if (specials.some((t) => typeof t !== 'string' || t.length === 0)) {
    throw new TokenizerError('E_ARGUMENT', {
      op: 'trainBpe',
      expected: 'specialTokens to be non-empty strings',
      got: JSON.stringify(specials.map((t) => (typeof t === 'string' ? t : typeof t))),
      help: 'an empty special token would match between every two characters; remove it',
    });
  }
  if (new Set(specials).size !== specials.length) {
    throw new TokenizerError('E_ARGUMENT', { op: 'trainBpe', expected: 'distinct special tokens', got: JSON.stringify(specials) });
  }
  const builtIn = findBuiltInPattern(patternName);
  const source = builtIn ? builtIn.source : patternName;
  const counter = new WordCounter(builtIn ? builtIn.pieceEnd : null, builtIn ? null : compileSplitPattern(patternName, 'trainBpe'));
  if (typeof input === 'string') counter.add(input);
  else if (Symbol.asyncIterator in input) for await (const text of input) counter.add(assertText(text));
  else for (const text of input) counter.add(assertText(text));

  const { merges, tokenBytes } = learnMerges(counter, options.vocabSize - 256 - specials.length, minFrequency);
  const tokens = tokenBytes.map(bytesToByteLevel);
  const vocab = new Map<string, number>();
  tokens.forEach((t, id) => vocab.set(t, id));
  const addedTokens = specials.map((content, i) => ({
    id: tokens.length + i,
    content,
    singleWord: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  // A special token spelled like a byte-level token stays an added token only (ids stay unique).
  for (const t of addedTokens) if (!vocab.has(t.content)) vocab.set(t.content, t.id);
  return new Tokenizer({
    normalizer: null,
    preTokenizer: new SequencePreTokenizer([
      new SplitPreTokenizer({ Regex: source }, 'Isolated', false),
      new ByteLevelPreTokenizer({ addPrefixSpace: false, trimOffsets: true, useRegex: false }),
    ]),
    model: new BpeModel({
      vocab,
      merges: merges.map(([a, b]) => [tokens[a]!, tokens[b]!] as const),
      unkToken: null,
      fuseUnk: false,
      byteFallback: false,
      ignoreMerges: false,
    }),
    postProcessor: new ByteLevelPostProcessor({ type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false }),
    decoder: new ByteLevelDecoder({ type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false }),
    addedTokens,
  });
}

function assertText(value: unknown): string {
  if (typeof value !== 'string') {
    throw new TokenizerError('E_ARGUMENT', {
      op: 'trainBpe',
      expected: 'an iterable of strings',
      got: `an item of type ${value === null ? 'null' : typeof value}`,
    });
  }
  return value;
}
