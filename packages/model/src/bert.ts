/**
 * A BERT-style encoder with Hugging Face BertModel parameter names (`bert.` prefix, as inside
 * the BertFor… classes) and nn.Linear layout ([out, in]): word + position (+ token-type)
 * embeddings → LayerNorm → dropout, then post-LayerNorm blocks of bidirectional multi-head
 * attention (padding masked out of the keys) and a GELU FFN (erf or tanh, per `hiddenAct`),
 * and the [CLS] tanh pooler.
 */
import { add, arange, embedding, gelu, keep, ones, reshape, slice, tanh, zeros, type Tensor } from '@wattformer/core';
import { attentionWithDropout } from './attention-dropout';
import { bertParameterShapes, type BertConfig, type BertHead } from './bert-config';
import { DropoutSites } from './dropout-sites';
import { modelError } from './errors';
import { geluErf } from './gelu-erf';
import { checkKeyMask, checkRate, checkTokenIds, linear, namedLayerNorm, normalParameter, parameter, type NamedParameters } from './layers';
import type { TrainingOptions } from './module';

const op = 'bert';

export interface BertForwardOptions extends TrainingOptions {
  /** f32 [B, T]: 1 for real tokens, 0 for padding (HF `attention_mask`). Default: all real. */
  readonly attentionMask?: Tensor;
  /** i32 [B, T] segment ids (HF `token_type_ids`). Default: all 0. */
  readonly tokenTypeIds?: Tensor;
}

/** The config's activation: exact erf GELU ('gelu') or core's fused tanh GELU ('gelu_new'). */
export function bertActivation(config: BertConfig, x: Tensor): Tensor {
  if (config.hiddenAct === 'gelu') return geluErf(x);
  if (config.hiddenAct === 'gelu_new') return gelu(x);
  throw modelError(op, "hiddenAct 'gelu' or 'gelu_new'", JSON.stringify(config.hiddenAct));
}

/**
 * HF BertPreTrainedModel's initialisation: weights and embeddings N(0, initializerRange), biases
 * 0, LayerNorm 1 and 0. The MLM decoder is tied to the word embeddings, so it has no own weight.
 */
export function initBertParameters(config: BertConfig, head: BertHead = { kind: 'none' }, seed = 0): Map<string, Tensor> {
  const p = new Map<string, Tensor>();
  let stream = seed * 1000;
  for (const [name, shape] of bertParameterShapes(config, head)) {
    const isNorm = name.includes('LayerNorm');
    if (isNorm) p.set(name, keep(name.endsWith('.weight') ? ones(shape) : zeros(shape)));
    else if (name.endsWith('.bias')) p.set(name, keep(zeros(shape)));
    else p.set(name, normalParameter(shape, config.initializerRange, stream++));
  }
  return p;
}

/** tokens i32 [B, T] → sequence output [B, T, C] (HF `last_hidden_state`). */
export function bertEncode(p: NamedParameters, config: BertConfig, tokens: Tensor, options: BertForwardOptions = {}): Tensor {
  checkRate(op, 'hiddenDropout', config.hiddenDropout);
  checkRate(op, 'attentionDropout', config.attentionDropout);
  checkTokenIds(op, 'tokens', tokens, config.vocabSize, config.maxPositions);
  const [B, T] = tokens.shape as [number, number];
  const C = config.modelDim;
  const { attentionMask, tokenTypeIds } = options;
  checkKeyMask(op, 'attentionMask', attentionMask, B, T);
  const sites = new DropoutSites(options);

  // Embeddings: word + position + token type, LayerNorm, dropout. (B, T, C)
  let x = add(
    embedding(parameter(p, 'bert.embeddings.word_embeddings.weight', op), tokens),
    embedding(parameter(p, 'bert.embeddings.position_embeddings.weight', op), arange(T)),
  );
  if (config.typeVocabSize > 0) {
    if (tokenTypeIds !== undefined) checkTokenIds(op, 'tokenTypeIds', tokenTypeIds, config.typeVocabSize);
    if (tokenTypeIds !== undefined && (tokenTypeIds.shape[0] !== B || tokenTypeIds.shape[1] !== T)) {
      throw modelError(op, `tokenTypeIds i32 [${B}, ${T}] like tokens`, `[${tokenTypeIds.shape.join(', ')}]`);
    }
    x = add(x, embedding(parameter(p, 'bert.embeddings.token_type_embeddings.weight', op), tokenTypeIds ?? zeros([B, T], 'i32')));
  } else if (tokenTypeIds !== undefined) {
    throw modelError(op, 'no tokenTypeIds (typeVocabSize is 0)', 'tokenTypeIds', 'set typeVocabSize > 0 to use segment embeddings');
  }
  x = sites.apply(namedLayerNorm(x, p, 'bert.embeddings.LayerNorm', op, config.layerNormEps), config.hiddenDropout);

  for (let i = 0; i < config.layers; i++) {
    const l = `bert.encoder.layer.${i}`;
    const flat = reshape(x, [B * T, C]);
    const project = (part: string) => reshape(linear(flat, p, `${l}.attention.self.${part}`, op), [B, T, C]);
    const context = attentionWithDropout(project('query'), project('key'), project('value'), {
      numHeads: config.heads,
      dropout: config.attentionDropout,
      sites,
      ...(attentionMask ? { keyMask: attentionMask } : {}),
    }); // (B, T, C)
    const attended = sites.apply(linear(reshape(context, [B * T, C]), p, `${l}.attention.output.dense`, op), config.hiddenDropout);
    const h = namedLayerNorm(add(attended, flat), p, `${l}.attention.output.LayerNorm`, op, config.layerNormEps); // (B·T, C)
    const ffn = sites.apply(linear(bertActivation(config, linear(h, p, `${l}.intermediate.dense`, op)), p, `${l}.output.dense`, op), config.hiddenDropout);
    x = reshape(namedLayerNorm(add(ffn, h), p, `${l}.output.LayerNorm`, op, config.layerNormEps), [B, T, C]);
  }
  return x;
}

/** The pooler: tanh(dense(hidden state of the first token, [CLS])), [B, T, C] → [B, C]. */
export function bertPool(p: NamedParameters, sequence: Tensor): Tensor {
  const [B, , C] = sequence.shape as [number, number, number];
  const first = reshape(slice(sequence, [0, 0, 0], [B, 1, C]), [B, C]);
  return tanh(linear(first, p, 'bert.pooler.dense', op));
}
