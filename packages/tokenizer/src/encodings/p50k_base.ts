import { ranks } from '../generated/p50k_base';
import type { EncodingSpec } from './encoding-spec';

/** `p50k_base` (Codex, text-davinci-002/003): tiktoken's ranks, pattern and special tokens. */
export const p50k_base: EncodingSpec = {
  name: 'p50k_base',
  pattern: 'gpt2',
  specialTokens: { '<|endoftext|>': 50256 },
  ranks,
};

export default p50k_base;
