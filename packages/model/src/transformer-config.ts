/**
 * The original encoder-decoder Transformer (Vaswani et al. 2017) with `torch.nn.Transformer`'s
 * arguments and defaults, and the Seq2Seq model's vocabulary sizes around it.
 */
import { checkConfigDimensions, MODEL_LIMITS } from './config-limits';
/**
 * An encoder-decoder model (`Seq2SeqModel`): the Transformer body plus source and target vocabularies and the longest sequence.
 */
export interface TransformerConfig {
  /** `d_model` */
  readonly modelDim: number;
  /** `nhead` */
  readonly heads: number;
  /** `num_encoder_layers` */
  readonly encoderLayers: number;
  /** `num_decoder_layers` */
  readonly decoderLayers: number;
  /** `dim_feedforward` */
  readonly mlpDim: number;
  /** `dropout`: attention probabilities, each sublayer output, inside the FFN (training mode only). */
  readonly dropout: number;
  /** `layer_norm_eps` */
  readonly layerNormEps: number;
  /** `activation` of the FFN: 'relu' (default, the paper's) or 'gelu' (torch's exact erf GELU). */
  readonly activation?: 'relu' | 'gelu';
}

/** `torch.nn.Transformer()`'s defaults: the paper's base model. */
export const transformerDefaults: TransformerConfig = {
  modelDim: 512,
  heads: 8,
  encoderLayers: 6,
  decoderLayers: 6,
  mlpDim: 2048,
  dropout: 0.1,
  layerNormEps: 1e-5,
};

/**
 * The body of PyTorch's `nn.Transformer`: model width, heads, encoder and decoder layers, feed-forward width, dropout and activation.
 */
export interface Seq2SeqConfig extends TransformerConfig {
  readonly sourceVocabSize: number;
  readonly targetVocabSize: number;
  /** Longest source or target sequence (rows of the sinusoidal position table). */
  readonly maxLength: number;
}

/**
 * Name → shape of `nn.Transformer`'s state_dict, each name after `prefix` (e.g. 'transformer.').
 * Attention: `in_proj_weight` [3d, d] (q, k, v stacked), `out_proj` [d, d]; FFN `linear1` [F, d],
 * `linear2` [d, F]; post-LN `norm1..3`; final `encoder.norm` and `decoder.norm`.
 */
export function transformerParameterShapes(config: TransformerConfig, prefix = ''): Map<string, number[]> {
  const { modelDim: d, mlpDim: F } = config;
  const M = MODEL_LIMITS;
  checkConfigDimensions(
    'transformerParameterShapes',
    {
      modelDim: [d, 1, M.modelDim],
      mlpDim: [F, 1, M.mlpDim],
      encoderLayers: [config.encoderLayers, 0, M.layers],
      decoderLayers: [config.decoderLayers, 0, M.layers],
    },
    'TransformerConfig',
  );
  const shapes = new Map<string, number[]>();
  const attention = (name: string) =>
    shapes
      .set(`${name}.in_proj_weight`, [3 * d, d])
      .set(`${name}.in_proj_bias`, [3 * d])
      .set(`${name}.out_proj.weight`, [d, d])
      .set(`${name}.out_proj.bias`, [d]);
  const rest = (name: string, norms: number) => {
    shapes.set(`${name}.linear1.weight`, [F, d]).set(`${name}.linear1.bias`, [F]).set(`${name}.linear2.weight`, [d, F]).set(`${name}.linear2.bias`, [d]);
    for (let n = 1; n <= norms; n++) shapes.set(`${name}.norm${n}.weight`, [d]).set(`${name}.norm${n}.bias`, [d]);
  };
  for (let i = 0; i < config.encoderLayers; i++) {
    attention(`${prefix}encoder.layers.${i}.self_attn`);
    rest(`${prefix}encoder.layers.${i}`, 2);
  }
  shapes.set(`${prefix}encoder.norm.weight`, [d]).set(`${prefix}encoder.norm.bias`, [d]);
  for (let i = 0; i < config.decoderLayers; i++) {
    attention(`${prefix}decoder.layers.${i}.self_attn`);
    attention(`${prefix}decoder.layers.${i}.multihead_attn`);
    rest(`${prefix}decoder.layers.${i}`, 3);
  }
  shapes.set(`${prefix}decoder.norm.weight`, [d]).set(`${prefix}decoder.norm.bias`, [d]);
  return shapes;
}

/**
 * The Seq2Seq model's names, after PyTorch's translation tutorial (`Seq2SeqTransformer`):
 * `src_tok_emb.embedding.weight`, `tgt_tok_emb.embedding.weight`, `transformer.*`, `generator.*`.
 */
export function seq2seqParameterShapes(config: Seq2SeqConfig): Map<string, number[]> {
  const d = config.modelDim;
  const M = MODEL_LIMITS;
  checkConfigDimensions(
    'seq2seqParameterShapes',
    {
      sourceVocabSize: [config.sourceVocabSize, 1, M.vocabSize],
      targetVocabSize: [config.targetVocabSize, 1, M.vocabSize],
      maxLength: [config.maxLength, 1, M.positions],
    },
    'Seq2SeqConfig',
  );
  return new Map<string, number[]>([
    ['src_tok_emb.embedding.weight', [config.sourceVocabSize, d]],
    ['tgt_tok_emb.embedding.weight', [config.targetVocabSize, d]],
    ...transformerParameterShapes(config, 'transformer.'),
    ['generator.weight', [config.targetVocabSize, d]],
    ['generator.bias', [config.targetVocabSize]],
  ]);
}
