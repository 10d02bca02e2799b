import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { getEncoding } from '../src/get-encoding';
import { Tokenizer } from '../src/hf/tokenizer';
import { trainBpe } from '../src/train/train-bpe';
import { chinesePoetry } from './chinese-corpus';
import { type Summary, summarize, time } from './stats';

/**
 * Worst-case scaling of every tokenizer path: adversarial inputs at 1 MB and 4 MB (UTF-8), the
 * two sizes interleaved in each round, median time of each, and the 4 MB ÷ 1 MB ratio (4 =
 * linear; the bar is ≤ 5). Quadratic code shows up as ~16.
 */
export interface WorstCaseRow {
  readonly path: string;
  readonly input: string;
  readonly ms1MB: Summary;
  readonly ms4MB: Summary;
  /** median(4 MB) / median(1 MB) */
  readonly ratio: number;
}

/** Base size; WORST_CASE_MB scales it for a quick look (the committed table uses 1). */
const MB = Math.round(1_000_000 * Number(process.env['WORST_CASE_MB'] ?? 1));

/** Repeats `unit` (or takes a generated string) up to `bytes` UTF-8 bytes. */
function toBytes(make: (approxChars: number) => string, bytes: number): string {
  let text = make(bytes);
  while (Buffer.byteLength(text) < bytes) text += make(bytes);
  return Buffer.from(text).subarray(0, bytes).toString('utf8').replace(/\ufffd+$/, '');
}

const repeat = (unit: string) => (n: number) => unit.repeat(Math.ceil(n / Buffer.byteLength(unit)));
const randomLetters = (n: number) => Array.from(randomBytes(n), (b) => String.fromCharCode(97 + (b % 26))).join('');

export const WORST_CASE_INPUTS: Readonly<Record<string, (bytes: number) => string>> = {
  'one letter': (bytes) => toBytes(repeat('a'), bytes),
  spaces: (bytes) => toBytes((n) => `x${' '.repeat(n)}`, bytes),
  'repeated specials': (bytes) => toBytes(repeat('<|endoftext|>[CLS]'), bytes),
  'long word': (bytes) => toBytes(randomLetters, bytes),
  'random bytes': (bytes) => toBytes((n) => randomBytes(n).toString('latin1'), bytes),
  Chinese: (bytes) => toBytes(chinesePoetry, bytes),
};

const fixture = (name: string) => readFileSync(new URL(`../src/__fixtures__/${name}`, import.meta.url), 'utf8');

/** A tokenizer.json of ours with a different pre-tokenizer Split pattern (run by re2js). */
function withSplit(pattern: string): Tokenizer {
  const json = JSON.parse(fixture('trained-bpe.tokenizer.json')) as Record<string, unknown>;
  json['pre_tokenizer'] = {
    type: 'Sequence',
    pretokenizers: [
      { type: 'Split', pattern: { Regex: pattern }, behavior: 'Isolated', invert: false },
      { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
    ],
  };
  return Tokenizer.fromJSON(json);
}

/** Qwen2's pattern: GPT-style but one digit per piece, so not a built-in; runs on re2js. */
const QWEN2_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

export async function worstCasePaths(): Promise<Record<string, (text: string) => unknown>> {
  const [cl100k, o200k, r50k] = await Promise.all([getEncoding('cl100k_base'), getEncoding('o200k_base'), getEncoding('r50k_base')]);
  const trained = Tokenizer.fromJSON(fixture('trained-bpe.tokenizer.json'));
  const gpt2Style = Tokenizer.fromJSON(fixture('gpt2-style.tokenizer.json'));
  const bert = Tokenizer.fromJSON(fixture('bert-wordpiece.tokenizer.json'));
  const qwenSplit = withSplit(QWEN2_PATTERN);
  const backtracking = withSplit('(a+)+$');
  return {
    'tiktoken cl100k_base (allowedSpecial all)': (t) => cl100k.encode(t, { allowedSpecial: 'all' }),
    'tiktoken o200k_base (allowedSpecial all)': (t) => o200k.encode(t, { allowedSpecial: 'all' }),
    'tiktoken r50k_base (allowedSpecial all)': (t) => r50k.encode(t, { allowedSpecial: 'all' }),
    'HF BPE + added tokens (our trained tokenizer.json)': (t) => trained.encode(t),
    'HF BPE, ByteLevel regex (GPT-2-style tokenizer.json)': (t) => gpt2Style.encode(t),
    'HF WordPiece (BERT tokenizer.json)': (t) => bert.encode(t),
    'HF Split, user regex on re2js (Qwen2 pattern)': (t) => qwenSplit.encode(t),
    'HF Split, (a+)+$ on re2js': (t) => backtracking.encode(t),
    'trainBpe (vocab 300)': (t) => trainBpe(t, { vocabSize: 300 }),
  };
}

/** Every path × every input at 1 MB and 4 MB, interleaved, `rounds` times. */
export async function worstCaseTable(rounds: number, onRow?: (row: WorstCaseRow) => void): Promise<WorstCaseRow[]> {
  const paths = await worstCasePaths();
  const rows: WorstCaseRow[] = [];
  const inputs = Object.entries(WORST_CASE_INPUTS).map(([name, make]) => ({ name, small: make(MB), large: make(4 * MB) }));
  for (const [path, run] of Object.entries(paths)) {
    for (const input of inputs) {
      await run(input.small.slice(0, 10_000)); // warm up the code path
      const small: number[] = [];
      const large: number[] = [];
      for (let r = 0; r < rounds; r++) {
        small.push(await timeAsync(() => run(input.small)));
        large.push(await timeAsync(() => run(input.large)));
      }
      const ms1MB = summarize(small);
      const ms4MB = summarize(large);
      const row = { path, input: input.name, ms1MB, ms4MB, ratio: ms4MB.median / ms1MB.median };
      rows.push(row);
      onRow?.(row);
    }
  }
  return rows;
}

async function timeAsync(fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export { time };
