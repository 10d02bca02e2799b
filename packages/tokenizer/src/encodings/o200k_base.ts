import { ranks } from '../generated/o200k_base';
import type { EncodingSpec } from './encoding-spec';

/** `o200k_base` (GPT-4o): tiktoken's ranks, pattern and special tokens. */
export const o200k_base: EncodingSpec = {
  name: 'o200k_base',
  pattern: 'o200k',
  specialTokens: { '<|endoftext|>': 199999, '<|endofprompt|>': 200018 },
  ranks,
};

export default o200k_base;
