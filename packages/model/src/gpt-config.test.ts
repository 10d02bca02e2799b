import { describe, expect, it } from 'vitest';
import { countGptParameters, gptPresets } from './gpt-config';

describe('countGptParameters', () => {
  it('gives the 124,439,808 parameters of Hugging Face `gpt2`', () => {
    // GPT2LMHeadModel.from_pretrained('gpt2').num_parameters() == 124439808 (tied head).
    expect(countGptParameters(gptPresets.gpt2).total).toBe(124_439_808);
  });

  it('adds a vocab × d_model head when embeddings are untied', () => {
    const tied = countGptParameters(gptPresets.tiny);
    const untied = countGptParameters({ ...gptPresets.tiny, tiedEmbeddings: false });
    expect(untied.total - tied.total).toBe(256 * 128);
    expect(untied.nonEmbedding).toBe(tied.nonEmbedding);
  });
});
