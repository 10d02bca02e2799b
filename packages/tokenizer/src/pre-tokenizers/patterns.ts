import { unknownChoiceError } from '../errors';
import { CL100K_PATTERN, cl100kPieceEnd } from './cl100k-pattern';
import { GPT2_PATTERN, gpt2PieceEnd } from './gpt2-pattern';
import { O200K_PATTERN, o200kPieceEnd } from './o200k-pattern';

/** Finds where the piece that starts at bytes[i] ends (well-formed UTF-8, i < end). */
export type PieceEnd = (bytes: Uint8Array, i: number, end: number) => number;

export interface BuiltInPattern {
  readonly name: string;
  /** The pattern in tiktoken / HF tokenizers syntax, as written into tokenizer.json. */
  readonly source: string;
  readonly pieceEnd: PieceEnd;
}

/** The pre-tokenizer regexes of tiktoken's encodings by name (`gpt2`, `cl100k`, `o200k`). */
export const BUILT_IN_PATTERNS: Readonly<Record<string, BuiltInPattern>> = {
  gpt2: { name: 'gpt2', source: GPT2_PATTERN, pieceEnd: gpt2PieceEnd },
  cl100k: { name: 'cl100k', source: CL100K_PATTERN, pieceEnd: cl100kPieceEnd },
  o200k: { name: 'o200k', source: O200K_PATTERN, pieceEnd: o200kPieceEnd },
};

/** Other spellings of the built-in patterns seen in the wild (tiktoken versions, JS ports, HF files). */
const ALIASES: Readonly<Record<string, string>> = {
  "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+": 'gpt2',
  "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+": 'cl100k',
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+": 'cl100k',
  "('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+":
    'cl100k',
};

/** The built-in pattern for a name or a known source string, else undefined. */
export function findBuiltInPattern(nameOrSource: string): BuiltInPattern | undefined {
  const direct = BUILT_IN_PATTERNS[nameOrSource];
  if (direct) return direct;
  for (const p of Object.values(BUILT_IN_PATTERNS)) if (p.source === nameOrSource) return p;
  const alias = ALIASES[nameOrSource];
  return alias ? BUILT_IN_PATTERNS[alias] : undefined;
}

export function builtInPattern(name: string, op: string): BuiltInPattern {
  const p = BUILT_IN_PATTERNS[name];
  if (!p) throw unknownChoiceError(op, 'pattern', name, Object.keys(BUILT_IN_PATTERNS));
  return p;
}
