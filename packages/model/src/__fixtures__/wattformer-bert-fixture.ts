/** The BERT written by OUR saver for the transformers-loads-it fixture (scripts/make-wattformer-bert.ts). */
import type { BertConfig, BertHead } from '../bert-config';

export const wattformerBertConfig: BertConfig = {
  vocabSize: 30, maxPositions: 12, typeVocabSize: 2, modelDim: 12, layers: 2, heads: 3, mlpDim: 20,
  hiddenDropout: 0.1, attentionDropout: 0.1, layerNormEps: 1e-12, initializerRange: 0.2, hiddenAct: 'gelu',
};
export const wattformerBertHead: BertHead = { kind: 'sequence-classification', numLabels: 3 };
export const wattformerBertSeed = 17;
