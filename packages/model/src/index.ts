export { countGptParameters, gptParameterShapes, gptPresets } from './gpt-config';
export type { GptConfig, ParameterCount } from './gpt-config';
export { gptHiddenStates, gptLogits, gptLoss, initGptParameters } from './gpt';
export type { GptForwardOptions, GptParameters } from './gpt';
export { KvCache } from './kv-cache';
export type { CachedAttentionOptions } from './kv-cache';
export { applyRepetitionPenalty, argmax, pickToken } from './sampling';
export type { SamplingOptions } from './sampling';
export { generate, generateStream } from './generate';
export type { GenerateOptions, GeneratedToken, Generation } from './generate';
export { gptConfigFromHf, gptConfigToHf } from './hf-config';
export {
  checkFiniteWeights,
  decodeSafetensors,
  encodeSafetensors,
  MAX_SAFETENSORS_HEADER_BYTES,
  readSafetensorsHeader,
  readSafetensorsTensor,
  safetensorsSources,
} from './safetensors';
export type { SafetensorsDtype, SafetensorsEntry, SafetensorsFile, SafetensorsHeader, SafetensorsTensorInfo, TensorSource } from './safetensors';
export { CONFIG_JSON_LIMITS, describeJson, parseBoundedJson } from './bounded-json';
export type { BoundedJsonLimits } from './bounded-json';
export { MODEL_LIMITS } from './config-limits';
export { gptCheckpointFromBytes, gptCheckpointToBytes, gptParametersFromSafetensors } from './checkpoint';
export type { GptCheckpoint, GptCheckpointFiles, LoadGptOptions } from './checkpoint';
export { gptFlopsPerToken } from './gpt-flops';
export type { GptFlops, GptFlopsOptions } from './gpt-flops';
export { createGptClassifier, gptClassifierLogits, initGptClassifierHead, poolHiddenStates } from './gpt-classifier';
export type { ClassifierPooling, GptClassifierOptions, SequenceClassifier } from './gpt-classifier';
export * from './lora-index';
export { checkParameters, Module } from './module';
export type { ParameterCountOptions, ParameterSelector, TrainingOptions } from './module';
export { GptModel } from './gpt-model';
export { bertHasPooler, bertParameterShapes, bertPresets } from './bert-config';
export type { BertConfig, BertHead } from './bert-config';
export { bertEncode, bertPool, initBertParameters } from './bert';
export type { BertForwardOptions } from './bert';
export { bertMaskedLmLogits, bertSequenceClassificationLogits, bertTokenClassificationLogits } from './bert-heads';
export { IGNORE_INDEX, labelLoss } from './loss';
export { BertModel } from './bert-model';
export { maskTokensForMlm } from './mlm-masking';
export type { MaskedTokens, MlmMaskingOptions } from './mlm-masking';
export { seq2seqParameterShapes, transformerDefaults, transformerParameterShapes } from './transformer-config';
export type { Seq2SeqConfig, TransformerConfig } from './transformer-config';
export { initTransformerParameters, transformerDecode, transformerEncode, transformerForward } from './transformer';
export type { TransformerForwardOptions } from './transformer';
export { greedyDecode, initSeq2SeqParameters, seq2seqDecode, seq2seqEncode, seq2seqLogits, seq2seqLoss, sinusoidalPositions } from './seq2seq';
export type { GreedyDecodeOptions, Seq2SeqForwardOptions } from './seq2seq';
export { Seq2SeqModel, TransformerModel } from './seq2seq-model';
export { geluErf } from './gelu-erf';
export { bertCheckpointToBytes, bertConfigFromHf, bertConfigToHf, bertParametersFromSafetensors } from './bert-checkpoint';
export type { BertConfigOptions, LoadedBertParameters } from './bert-checkpoint';
export { defaultWindowStride, generateWindowed } from './windowed-generate';
export type { WindowedGenerateOptions } from './windowed-generate';
export { IncrementalText } from './incremental-text';
export type { DecodeIds } from './incremental-text';
export { TextGenerator } from './text-generator';
export { UTF8_COMPLETE, Utf8Constraint, tokenBytesSource, utf8Run, utf8Step } from './utf8-constraint';
export type { TokenBytes, Utf8State } from './utf8-constraint';
export type { TextCompletion, TextGenerationOptions, TextGeneratorOptions } from './text-generator';
export { findSpecialId } from './text-tokenizer';
export type { TextTokenizer } from './text-tokenizer';
export { MAX_TOKENIZER_FILE_BYTES, modelFolderFiles, textGeneratorFromFiles, tokenizerFromFiles } from './model-folder';
export type { FolderTokenizer, GenerationDefaults, ModelFolderFiles, ModelFolderOptions, TextGeneratorFiles } from './model-folder';
