/**
 * Task heads on the BERT encoder, as Hugging Face's BertFor… classes: sequence classification
 * (pooled [CLS] → dropout → `classifier`), token classification (every position → dropout →
 * `classifier`) and masked LM (`cls.predictions.transform` dense → `hiddenAct` → LayerNorm, then the
 * decoder tied to the word embeddings plus `cls.predictions.bias`). Their losses are
 * `labelLoss` (loss.ts): mean cross-entropy over labels that are not −100.
 */
import { add, matmul, reshape, type Tensor } from '@wattformer/core';
import { bertActivation, bertEncode, bertPool, type BertForwardOptions } from './bert';
import type { BertConfig } from './bert-config';
import { DropoutSites } from './dropout-sites';
import { linear, namedLayerNorm, parameter, type NamedParameters } from './layers';

/** Dropout for the head: seeded apart from the encoder's sites. */
function headSites(options: BertForwardOptions): DropoutSites {
  return new DropoutSites({
    ...(options.training === undefined ? {} : { training: options.training }),
    ...(options.seed === undefined ? {} : { seed: options.seed ^ 0x5bd1e995 }),
  });
}

/** tokens [B, T] → logits [B, numLabels] (BertForSequenceClassification). */
export function bertSequenceClassificationLogits(p: NamedParameters, config: BertConfig, tokens: Tensor, options: BertForwardOptions = {}): Tensor {
  const pooled = bertPool(p, bertEncode(p, config, tokens, options));
  return linear(headSites(options).apply(pooled, config.hiddenDropout), p, 'classifier', 'bertSequenceClassification');
}

/** tokens [B, T] → logits [B·T, numLabels] (BertForTokenClassification). */
export function bertTokenClassificationLogits(p: NamedParameters, config: BertConfig, tokens: Tensor, options: BertForwardOptions = {}): Tensor {
  const [B, T] = tokens.shape as [number, number];
  const sequence = reshape(bertEncode(p, config, tokens, options), [B * T, config.modelDim]);
  return linear(headSites(options).apply(sequence, config.hiddenDropout), p, 'classifier', 'bertTokenClassification');
}

/** tokens [B, T] → vocabulary logits [B·T, V] (BertForMaskedLM; decoder tied to the word embeddings). */
export function bertMaskedLmLogits(p: NamedParameters, config: BertConfig, tokens: Tensor, options: BertForwardOptions = {}): Tensor {
  const op = 'bertMaskedLm';
  const [B, T] = tokens.shape as [number, number];
  const sequence = reshape(bertEncode(p, config, tokens, options), [B * T, config.modelDim]);
  const h = namedLayerNorm(
    bertActivation(config, linear(sequence, p, 'cls.predictions.transform.dense', op)),
    p,
    'cls.predictions.transform.LayerNorm',
    op,
    config.layerNormEps,
  );
  const decoder = parameter(p, 'bert.embeddings.word_embeddings.weight', op);
  return add(matmul(h, decoder, { transposeB: true }), parameter(p, 'cls.predictions.bias', op));
}
