/**
 * The encoder-decoder models as Modules: `TransformerModel` is `torch.nn.Transformer` (inputs
 * already embedded, [B, T, d]); `Seq2SeqModel` adds token embeddings, sinusoidal positions and
 * the generator, with a loss and greedy decoding.
 */
import type { Tensor } from '@wattformer/core';
import { checkParameters, Module } from './module';
import { greedyDecode, initSeq2SeqParameters, seq2seqLogits, seq2seqLoss, type GreedyDecodeOptions, type Seq2SeqForwardOptions } from './seq2seq';
import { initTransformerParameters, transformerForward, type TransformerForwardOptions } from './transformer';
import { seq2seqParameterShapes, transformerParameterShapes, type Seq2SeqConfig, type TransformerConfig } from './transformer-config';

/** The encoder-decoder body of `nn.Transformer` (no embeddings), with PyTorch's parameter names. */
export class TransformerModel extends Module {
  readonly config: TransformerConfig;

  /** New parameters from `seed` (nn.Transformer's initialisation), or a state_dict (checked by name and shape). */
  constructor(config: TransformerConfig, init: number | Map<string, Tensor> = 0) {
    if (typeof init !== 'number') checkParameters('TransformerModel', init, transformerParameterShapes(config));
    super(typeof init === 'number' ? initTransformerParameters(config, init) : init);
    this.config = config;
  }

  protected isEmbedding(): boolean {
    return false;
  }

  /** source [B, S, d], target [B, T, d] → [B, T, d], causal in the target. */
  forward(source: Tensor, target: Tensor, options: Omit<TransformerForwardOptions, 'prefix'> = {}): Tensor {
    return transformerForward(this.parameters, this.config, source, target, { training: this.training, ...options });
  }
}

/**
 * An encoder-decoder Transformer for sequence-to-sequence tasks (translation, summarisation) with `nn.Transformer`-style parameters and embeddings.
 */
export class Seq2SeqModel extends Module {
  readonly config: Seq2SeqConfig;

  constructor(config: Seq2SeqConfig, init: number | Map<string, Tensor> = 0) {
    if (typeof init !== 'number') checkParameters('Seq2SeqModel', init, seq2seqParameterShapes(config));
    super(typeof init === 'number' ? initSeq2SeqParameters(config, init) : init);
    this.config = config;
  }

  protected isEmbedding(name: string): boolean {
    return name.endsWith('_tok_emb.embedding.weight');
  }

  /** source ids [B, S], target input ids [B, T] → logits [B·T, targetVocabSize]. */
  forward(source: Tensor, targetInput: Tensor, options: Seq2SeqForwardOptions = {}): Tensor {
    return seq2seqLogits(this.parameters, this.config, source, targetInput, { training: this.training, ...options });
  }

  /** Mean next-token cross-entropy against targetOutput i32 [B, T] (−100 ignored). */
  loss(source: Tensor, targetInput: Tensor, targetOutput: Tensor, options: Seq2SeqForwardOptions = {}): Tensor {
    return seq2seqLoss(this.parameters, this.config, source, targetInput, targetOutput, { training: this.training, ...options });
  }

  /** Greedy decoding (always without dropout). */
  generate(source: Tensor, options: GreedyDecodeOptions): Promise<number[][]> {
    return greedyDecode(this.parameters, this.config, source, options);
  }
}
