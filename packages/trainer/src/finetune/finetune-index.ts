/** Fine-tuning's public surface (sequence classification), re-exported by index.ts in one line. */
export { ClassificationBatches, encodeExamples, padBatch } from './classification-batches';
export type { ClassificationBatch, ClassificationBatchState, EncodedExample, EncodeOptions } from './classification-batches';
export { classificationMetrics } from './classification-metrics';
export type { ClassificationMetrics } from './classification-metrics';
export { batchLogits, evaluateClassifier } from './evaluate-classifier';
export type { ClassifierLike, Evaluation } from './evaluate-classifier';
export { classificationLoss, finetuneClassifier } from './finetune-classifier';
export type { FinetuneEvent, FinetuneOptions, FinetuneResult } from './finetune-classifier';
export { FINETUNE_MODES, setupGptFinetune } from './gpt-finetune-setup';
export type { FinetuneMode, GptFinetuneOptions, GptFinetuneSetup, GptLoraSettings } from './gpt-finetune-setup';
export { balancedSplit, countLabels, parseLabelledJsonl, seededShuffle } from './labelled-data';
export type { BalancedSplitOptions, LabelledText } from './labelled-data';
