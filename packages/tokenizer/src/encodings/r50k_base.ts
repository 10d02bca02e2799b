import { ranks } from '../generated/r50k_base';
import type { EncodingSpec } from './encoding-spec';

/** `r50k_base` (GPT-2, GPT-3): tiktoken's ranks, pattern and special tokens. */
export const r50k_base: EncodingSpec = {
  name: 'r50k_base',
  pattern: 'gpt2',
  specialTokens: { '<|endoftext|>': 50256 },
  ranks,
};

export default r50k_base;
