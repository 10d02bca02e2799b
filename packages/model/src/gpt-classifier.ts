/**
 * Sequence classification on top of the GPT decoder, named as Hugging Face's
 * GPT2ForSequenceClassification: the backbone's parameters plus `score.weight` [numLabels, C]
 * (no bias). A sequence is pooled from the final hidden states (after ln_f) either at its last
 * real token (`'last'`, what HF does: causal attention means only that position has read the
 * whole sequence) or as the mean over its real tokens (`'mean'`). Pooling runs on the device from
 * the key mask alone, so it works on every backend. Rows are right-padded (real tokens first, as
 * the default positions 0 … T − 1 assume); the pooling itself only needs each row's real tokens to be contiguous.
 */
import { div, keep, matmul, maximum, mul, pad, randn, reshape, scalar, slice, sub, sum, type Tensor } from '@wattformer/core';
import { modelError } from './errors';
import { gptHiddenStates, type GptParameters } from './gpt';
import type { GptConfig } from './gpt-config';

/**
 * How a classifier pools the sequence: the last real token's state (`last`, as Hugging Face) or the mean over real tokens (`mean`).
 */
export type ClassifierPooling = 'last' | 'mean';

/** What a fine-tuning loop needs from any classifier: its parameters and (B, numLabels) logits. */
export interface SequenceClassifier {
  /** Every parameter (backbone and head), by Hugging Face name. */
  readonly parameters: Map<string, Tensor>;
  readonly numLabels: number;
  /** tokens i32 (B, T), keyMask f32 (B, T) with 1 for real tokens → logits (B, numLabels). */
  logits(tokens: Tensor, keyMask: Tensor): Tensor;
}

/** Options of `GptClassifier`: the number of labels and the pooling of the last hidden states. */
export interface GptClassifierOptions {
  readonly numLabels: number;
  /** Default `'last'` (Hugging Face's). */
  readonly pooling?: ClassifierPooling;
}

const POOLINGS: readonly ClassifierPooling[] = ['last', 'mean'];

function checkOptions(options: GptClassifierOptions): ClassifierPooling {
  if (!Number.isInteger(options.numLabels) || options.numLabels < 2) {
    throw modelError('gptClassifier', 'numLabels to be an integer ≥ 2', String(options.numLabels));
  }
  const pooling = options.pooling ?? 'last';
  if (!POOLINGS.includes(pooling))
    throw modelError('gptClassifier', `pooling among ${POOLINGS.join(', ')}`, `'${String(pooling)}'`, undefined, 'E_UNKNOWN_CHOICE');
  return pooling;
}

/** The head HF initialises for GPT2ForSequenceClassification: `score.weight` ~ N(0, 0.02), [numLabels, C]. */
export function initGptClassifierHead(config: GptConfig, numLabels: number, seed = 0): GptParameters {
  checkOptions({ numLabels });
  return new Map([['score.weight', keep(randn([numLabels, config.modelDim], { std: 0.02, seed }))]]);
}

/**
 * hidden (B·T, C) and keyMask f32 (B, T) → pooled (B, C). `'last'` weights each row by
 * mask[t] · (1 − mask[t+1]) (1 only at the last real token); `'mean'` by mask[t] / Σ mask.
 */
export function poolHiddenStates(hidden: Tensor, keyMask: Tensor, pooling: ClassifierPooling): Tensor {
  if (keyMask.rank !== 2 || keyMask.dtype !== 'f32')
    throw modelError('poolHiddenStates', 'keyMask f32 [batch, time]', `${keyMask.dtype} [${keyMask.shape.join(', ')}]`);
  const [B, T] = keyMask.shape as [number, number];
  const C = hidden.size / Math.max(1, B * T);
  if (hidden.rank !== 2 || hidden.shape[0] !== B * T) throw modelError('poolHiddenStates', `hidden states [${B * T}, C]`, `[${hidden.shape.join(', ')}]`);
  let weights: Tensor; // (B, T)
  if (pooling === 'last') {
    const next = pad(slice(keyMask, [0, 1], [B, T - 1]), [0, 0], [B, T]); // mask[t + 1], 0 past the end
    weights = mul(keyMask, sub(scalar(1), next)); // a real token followed by padding or the end
  } else {
    weights = div(keyMask, maximum(sum(keyMask, 1, { keepDims: true }), scalar(1)));
  }
  // Σ_t weights[b, t] · hidden[b, t, :] as a batched (1, T) · (T, C) product.
  return reshape(matmul(reshape(weights, [B, 1, T]), reshape(hidden, [B, T, C])), [B, C]);
}

/** tokens i32 (B, T), keyMask f32 (B, T) → logits (B, numLabels); `parameters` hold the backbone and `score.weight`. */
export function gptClassifierLogits(
  parameters: GptParameters,
  config: GptConfig,
  tokens: Tensor,
  keyMask: Tensor,
  pooling: ClassifierPooling = 'last',
): Tensor {
  const score = parameters.get('score.weight');
  if (score === undefined || score.rank !== 2 || score.shape[1] !== config.modelDim) {
    throw modelError(
      'gptClassifier',
      `'score.weight' [numLabels, ${config.modelDim}]`,
      score ? `[${score.shape.join(', ')}]` : 'none',
      'add a head with initGptClassifierHead(config, numLabels)',
    );
  }
  if (tokens.rank !== 2 || keyMask.rank !== 2 || tokens.shape[0] !== keyMask.shape[0] || tokens.shape[1] !== keyMask.shape[1]) {
    throw modelError('gptClassifier', 'tokens and keyMask of the same [batch, time]', `[${tokens.shape.join(', ')}] and [${keyMask.shape.join(', ')}]`);
  }
  const hidden = gptHiddenStates(parameters, config, tokens, { keyMask }); // (B·T, C)
  return matmul(poolHiddenStates(hidden, keyMask, pooling), score, { transposeB: true }); // (B, numLabels)
}

/**
 * A GPT sequence classifier over `parameters` (backbone + `score.weight`, made with
 * initGptClassifierHead when missing). The map is used as is, so an optimizer over it trains it.
 */
export function createGptClassifier(parameters: GptParameters, config: GptConfig, options: GptClassifierOptions, seed = 0): SequenceClassifier {
  const pooling = checkOptions(options);
  const all: GptParameters = parameters;
  if (!all.has('score.weight')) all.set('score.weight', initGptClassifierHead(config, options.numLabels, seed).get('score.weight')!);
  const score = all.get('score.weight')!;
  if (score.shape[0] !== options.numLabels)
    throw modelError('gptClassifier', `'score.weight' with ${options.numLabels} rows (numLabels)`, `[${score.shape.join(', ')}]`);
  return {
    parameters: all,
    numLabels: options.numLabels,
    logits: (tokens, keyMask) => gptClassifierLogits(all, config, tokens, keyMask, pooling),
  };
}
