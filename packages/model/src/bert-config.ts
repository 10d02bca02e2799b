/**
 * BERT-style encoder hyper-parameters, with Hugging Face BertConfig (`config.json`) names in
 * comments.
 */
import { checkConfigDimensions, MODEL_LIMITS } from './config-limits';
/**
 * A BERT architecture, named as Hugging Face's `BertConfig` (`config.json`): vocabulary, positions, widths, layers, heads, dropout and initialisation.
 */
export interface BertConfig {
  /** `vocab_size` */
  readonly vocabSize: number;
  /** `max_position_embeddings` */
  readonly maxPositions: number;
  /** `type_vocab_size`; 0 leaves out `token_type_embeddings` (segment ids). */
  readonly typeVocabSize: number;
  /** `hidden_size` */
  readonly modelDim: number;
  /** `num_hidden_layers` */
  readonly layers: number;
  /** `num_attention_heads` */
  readonly heads: number;
  /** `intermediate_size` */
  readonly mlpDim: number;
  /** `hidden_dropout_prob`: embeddings, attention output, FFN output (training mode only). */
  readonly hiddenDropout: number;
  /** `attention_probs_dropout_prob` (training mode only). */
  readonly attentionDropout: number;
  /** `layer_norm_eps` */
  readonly layerNormEps: number;
  /** `initializer_range`: std of the N(0, σ) weight initialisation. */
  readonly initializerRange: number;
  /**
   * `hidden_act`: 'gelu' is the exact erf GELU BERT checkpoints use (composed from core ops,
   * gelu-erf.ts); 'gelu_new' is core's fused tanh approximation (≤ 4.8e-4 from it, faster).
   */
  readonly hiddenAct: 'gelu' | 'gelu_new';
}

/** Ready-made BERT architectures by Hugging Face name (e.g. `bert-base-uncased`), as `BertConfig`s. */
export const bertPresets = {
  /** The `bert-base-uncased` architecture (110M parameters with the pooler). */
  'bert-base-uncased': {
    vocabSize: 30522,
    maxPositions: 512,
    typeVocabSize: 2,
    modelDim: 768,
    layers: 12,
    heads: 12,
    mlpDim: 3072,
    hiddenDropout: 0.1,
    attentionDropout: 0.1,
    layerNormEps: 1e-12,
    initializerRange: 0.02,
    hiddenAct: 'gelu',
  },
  /** A test-sized encoder: 2 layers, 2 heads, hidden 32, the fused tanh GELU. */
  tiny: {
    vocabSize: 128,
    maxPositions: 64,
    typeVocabSize: 2,
    modelDim: 32,
    layers: 2,
    heads: 2,
    mlpDim: 64,
    hiddenDropout: 0.1,
    attentionDropout: 0.1,
    layerNormEps: 1e-12,
    initializerRange: 0.02,
    hiddenAct: 'gelu_new',
  },
} as const satisfies Record<string, BertConfig>;

/** Which task head sits on the encoder (HF BertFor… classes). */
export type BertHead =
  | { readonly kind: 'none' }
  | { readonly kind: 'sequence-classification'; readonly numLabels: number }
  | { readonly kind: 'token-classification'; readonly numLabels: number }
  | { readonly kind: 'masked-lm' };

/** Whether the pooler exists: BertModel and BertForSequenceClassification have it; token/MLM heads do not. */
export function bertHasPooler(head: BertHead): boolean {
  return head.kind === 'none' || head.kind === 'sequence-classification';
}

/**
 * Name → shape of every parameter, in HF order and nn.Linear layout ([out, in]). The MLM decoder
 * weight is tied to the word embeddings (HF ties `cls.predictions.decoder.weight`), so it is not listed.
 */
export function bertParameterShapes(config: BertConfig, head: BertHead = { kind: 'none' }): Map<string, number[]> {
  const { vocabSize: V, maxPositions: P, typeVocabSize: S, modelDim: C, layers: L, mlpDim: F } = config;
  const M = MODEL_LIMITS;
  checkConfigDimensions(
    'bertParameterShapes',
    {
      vocabSize: [V, 1, M.vocabSize],
      maxPositions: [P, 1, M.positions],
      typeVocabSize: [S, 0, M.vocabSize],
      modelDim: [C, 1, M.modelDim],
      layers: [L, 1, M.layers],
      mlpDim: [F, 1, M.mlpDim],
    },
    'BertConfig',
  );
  const shapes = new Map<string, number[]>([
    ['bert.embeddings.word_embeddings.weight', [V, C]],
    ['bert.embeddings.position_embeddings.weight', [P, C]],
  ]);
  if (S > 0) shapes.set('bert.embeddings.token_type_embeddings.weight', [S, C]);
  shapes.set('bert.embeddings.LayerNorm.weight', [C]).set('bert.embeddings.LayerNorm.bias', [C]);
  for (let i = 0; i < L; i++) {
    const l = `bert.encoder.layer.${i}`;
    for (const part of ['query', 'key', 'value']) shapes.set(`${l}.attention.self.${part}.weight`, [C, C]).set(`${l}.attention.self.${part}.bias`, [C]);
    shapes.set(`${l}.attention.output.dense.weight`, [C, C]).set(`${l}.attention.output.dense.bias`, [C]);
    shapes.set(`${l}.attention.output.LayerNorm.weight`, [C]).set(`${l}.attention.output.LayerNorm.bias`, [C]);
    shapes.set(`${l}.intermediate.dense.weight`, [F, C]).set(`${l}.intermediate.dense.bias`, [F]);
    shapes.set(`${l}.output.dense.weight`, [C, F]).set(`${l}.output.dense.bias`, [C]);
    shapes.set(`${l}.output.LayerNorm.weight`, [C]).set(`${l}.output.LayerNorm.bias`, [C]);
  }
  if (bertHasPooler(head)) shapes.set('bert.pooler.dense.weight', [C, C]).set('bert.pooler.dense.bias', [C]);
  if (head.kind === 'sequence-classification' || head.kind === 'token-classification') {
    shapes.set('classifier.weight', [head.numLabels, C]).set('classifier.bias', [head.numLabels]);
  } else if (head.kind === 'masked-lm') {
    shapes.set('cls.predictions.bias', [V]);
    shapes.set('cls.predictions.transform.dense.weight', [C, C]).set('cls.predictions.transform.dense.bias', [C]);
    shapes.set('cls.predictions.transform.LayerNorm.weight', [C]).set('cls.predictions.transform.LayerNorm.bias', [C]);
  }
  return shapes;
}
