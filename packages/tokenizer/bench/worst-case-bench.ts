import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { getEncoding } from '../src/get-encoding';
import { Tokenizer } from '../src/hf/tokenizer';
import { trainBpe } from '../src/train/train-bpe';
import { chinesePoetry } from './chinese-corpus';
import { time } from './stats';

/**
 * Worst-case scaling of every tokenizer path: adversarial inputs at 1 MB and 4 MB (UTF-8). The
 * paths and inputs live here; `worst-case.ts` times each (path, input, size) in a fresh child
 * process and reports the 4 MB ÷ 1 MB ratio (4 = linear; the bar is ≤ 5). Quadratic code shows
 * up as ~16.
 */

/** Base size; WORST_CASE_MB scales it for a quick look (the committed table uses 1). */
const MB = Math.round(1_000_000 * Number(process.env['WORST_CASE_MB'] ?? 1));

/** Repeats `unit` (or takes a generated string) up to `bytes` UTF-8 bytes. */
function toBytes(make: (approxChars: number) => string, bytes: number): string {
  let text = make(bytes);
  while (Buffer.byteLength(text) < bytes) text += make(bytes);
  return Buffer.from(text)
    .subarray(0, bytes)
    .toString('utf8')
    .replace(/\ufffd+$/, '');
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

/** Each path as a factory, so a child process builds only the one it times. */
export const WORST_CASE_PATHS: Readonly<Record<string, () => Promise<(text: string) => unknown>>> = {
  'tiktoken cl100k_base (allowedSpecial all)': async () => {
    const enc = await getEncoding('cl100k_base');
    return (t) => enc.encode(t, { allowedSpecial: 'all' });
  },
  'tiktoken o200k_base (allowedSpecial all)': async () => {
    const enc = await getEncoding('o200k_base');
    return (t) => enc.encode(t, { allowedSpecial: 'all' });
  },
  'tiktoken r50k_base (allowedSpecial all)': async () => {
    const enc = await getEncoding('r50k_base');
    return (t) => enc.encode(t, { allowedSpecial: 'all' });
  },
  'HF BPE + added tokens (our trained tokenizer.json)': async () => {
    const tok = Tokenizer.fromJSON(fixture('trained-bpe.tokenizer.json'));
    return (t) => tok.encode(t);
  },
  'HF BPE, ByteLevel regex (GPT-2-style tokenizer.json)': async () => {
    const tok = Tokenizer.fromJSON(fixture('gpt2-style.tokenizer.json'));
    return (t) => tok.encode(t);
  },
  'HF WordPiece (BERT tokenizer.json)': async () => {
    const tok = Tokenizer.fromJSON(fixture('bert-wordpiece.tokenizer.json'));
    return (t) => tok.encode(t);
  },
  'HF Split, user regex on re2js (Qwen2 pattern)': async () => {
    const tok = withSplit(QWEN2_PATTERN);
    return (t) => tok.encode(t);
  },
  'HF Split, (a+)+$ on re2js': async () => {
    const tok = withSplit('(a+)+$');
    return (t) => tok.encode(t);
  },
  'trainBpe (vocab 300)': async () => (t) => trainBpe(t, { vocabSize: 300 }),
};

/** Every path built at once (for quick in-process use, e.g. profiling). */
export async function worstCasePaths(): Promise<Record<string, (text: string) => unknown>> {
  const out: Record<string, (text: string) => unknown> = {};
  for (const [name, make] of Object.entries(WORST_CASE_PATHS)) out[name] = await make();
  return out;
}

export const WORST_CASE_MB = MB;

/**
 * Times one (path, input, bytes) case in the calling process: builds the path, generates the
 * input, warms the code path on its first 10 kB, then times one encode. Run in a fresh child
 * process per case (`worst-case-case.ts`), so no heap, JIT feedback or GC debt is carried
 * from one case into the next.
 */
export async function timeCase(path: string, input: string, bytes: number): Promise<number> {
  const make = WORST_CASE_PATHS[path];
  const gen = WORST_CASE_INPUTS[input];
  if (!make || !gen) throw new Error(`worst-case bench: unknown case ${path} / ${input}`);
  const run = await make();
  const text = gen(bytes);
  await run(text.slice(0, 10_000)); // warm up the code path
  const start = process.hrtime.bigint();
  await run(text);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export { time };
