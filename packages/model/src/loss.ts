/**
 * The task loss every head shares: mean cross-entropy over labels, skipping Hugging Face's /
 * PyTorch's ignore index −100 (padding, unmasked MLM positions), with a clear error when the
 * labels do not fit the logits.
 */
import { formatShape, reshape, softmaxCrossEntropy, type Tensor } from '@wattformer/core';
import { modelError } from './errors';

/** HF's ignore index: labels equal to it count for nothing in the loss. */
export const IGNORE_INDEX = -100;

/** Labels i32 of `shape`, with a clear error otherwise. */
export function checkLabels(op: string, labels: Tensor, shape: readonly number[]): void {
  if (labels.dtype !== 'i32' || labels.rank !== shape.length || labels.shape.some((n, d) => n !== shape[d])) {
    throw modelError(
      op,
      `labels i32 ${formatShape(shape)}`,
      `${labels.dtype} ${formatShape(labels.shape)}`,
      `use ${IGNORE_INDEX} for positions that should not count`,
    );
  }
}

/** Mean cross-entropy of logits [N, K] against labels of `labelShape` (N elements), −100 ignored. */
export function labelLoss(op: string, logits: Tensor, labels: Tensor, labelShape: readonly number[]): Tensor {
  checkLabels(op, labels, labelShape);
  return softmaxCrossEntropy(logits, reshape(labels, [labels.size]), { ignoreIndex: IGNORE_INDEX });
}
