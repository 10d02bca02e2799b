import { ranks } from '../generated/p50k_base';
import type { EncodingSpec } from './encoding-spec';

/** `p50k_edit` (p50k_base ranks with the edit-model FIM tokens): tiktoken's ranks, pattern and special tokens. */
export const p50k_edit: EncodingSpec = {
  name: 'p50k_edit',
  pattern: 'gpt2',
  specialTokens: { '<|endoftext|>': 50256, '<|fim_prefix|>': 50281, '<|fim_middle|>': 50282, '<|fim_suffix|>': 50283 },
  ranks,
};

export default p50k_edit;
