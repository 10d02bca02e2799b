import { ranks } from '../generated/cl100k_base';
import type { EncodingSpec } from './encoding-spec';

/** `cl100k_base` (GPT-3.5, GPT-4): tiktoken's ranks, pattern and special tokens. */
export const cl100k_base: EncodingSpec = {
  name: 'cl100k_base',
  pattern: 'cl100k',
  specialTokens: {
    '<|endoftext|>': 100257,
    '<|fim_prefix|>': 100258,
    '<|fim_middle|>': 100259,
    '<|fim_suffix|>': 100260,
    '<|endofprompt|>': 100276,
  },
  ranks,
};

export default cl100k_base;
