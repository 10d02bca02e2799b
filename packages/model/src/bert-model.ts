/**
 * The BERT encoder as a Module, with the head chosen at construction (HF's BertModel,
 * BertForSequenceClassification, BertForTokenClassification, BertForMaskedLM).
 */
import type { Tensor } from '@wattformer/core';
import { bertEncode, initBertParameters, type BertForwardOptions } from './bert';
import { bertParameterShapes, type BertConfig, type BertHead } from './bert-config';
import { bertMaskedLmLogits, bertSequenceClassificationLogits, bertTokenClassificationLogits } from './bert-heads';
import { labelLoss } from './loss';
import { modelError } from './errors';
import { checkParameters, Module } from './module';

/**
 * A BERT encoder with one task head (masked LM, sequence or token classification, …) and Hugging Face parameter names; build it from a seed or from loaded weights.
 */
export class BertModel extends Module {
  readonly config: BertConfig;
  readonly head: BertHead;

  /** New parameters from `seed` (HF's initialisation), or existing ones (checked by name and shape). */
  constructor(config: BertConfig, head: BertHead = { kind: 'none' }, init: number | Map<string, Tensor> = 0) {
    if ((head.kind === 'sequence-classification' || head.kind === 'token-classification') && !(Number.isInteger(head.numLabels) && head.numLabels >= 2)) {
      throw modelError('BertModel', 'numLabels an integer ≥ 2', String(head.numLabels), 'regression heads (num_labels 1) are not implemented');
    }
    if (typeof init !== 'number') checkParameters('BertModel', init, bertParameterShapes(config, head));
    super(typeof init === 'number' ? initBertParameters(config, head, init) : init);
    this.config = config;
    this.head = head;
  }

  protected isEmbedding(name: string): boolean {
    return name.startsWith('bert.embeddings.') && name.endsWith('_embeddings.weight');
  }

  /**
   * tokens i32 [B, T] → the head's logits: [B, numLabels] (sequence), [B·T, numLabels] (token),
   * [B·T, V] (masked LM), or the sequence output [B, T, C] without a head.
   */
  forward(tokens: Tensor, options: BertForwardOptions = {}): Tensor {
    const o = { training: this.training, ...options };
    switch (this.head.kind) {
      case 'sequence-classification':
        return bertSequenceClassificationLogits(this.parameters, this.config, tokens, o);
      case 'token-classification':
        return bertTokenClassificationLogits(this.parameters, this.config, tokens, o);
      case 'masked-lm':
        return bertMaskedLmLogits(this.parameters, this.config, tokens, o);
      case 'none':
        return bertEncode(this.parameters, this.config, tokens, o);
    }
  }

  /** Mean cross-entropy: labels i32 [B] (sequence) or [B, T] with −100 ignored (token, masked LM). */
  loss(tokens: Tensor, labels: Tensor, options: BertForwardOptions = {}): Tensor {
    const [B, T] = tokens.shape as [number, number];
    if (this.head.kind === 'none')
      throw modelError(
        'BertModel.loss',
        'a model with a head',
        "head 'none'",
        "construct it with { kind: 'sequence-classification', numLabels } or another head",
      );
    const logits = this.forward(tokens, options);
    return labelLoss(`BertModel.loss (${this.head.kind})`, logits, labels, this.head.kind === 'sequence-classification' ? [B] : [B, T]);
  }
}
