import type { GptConfig } from '../gpt-config';

/** The checkpoint our saver writes for HF to load (untied head, MLP not 4·C, 3 heads). */
export const wattformerFixtureConfig: GptConfig = { vocabSize: 40, contextLength: 12, modelDim: 24, layers: 2, heads: 3, mlpDim: 56, tiedEmbeddings: false };
export const wattformerFixtureSeed = 11;
