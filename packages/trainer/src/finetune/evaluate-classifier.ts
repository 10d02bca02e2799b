import { dispose, noGrad, softmaxCrossEntropy, tensor, tidy, type Tensor } from '@wattformer/core';
import { padBatch, type EncodedExample } from './classification-batches';
import { classificationMetrics, type ClassificationMetrics } from './classification-metrics';

/** What fine-tuning needs from any classifier (GPT with a head, an encoder, a LoRA-adapted model). */
export interface ClassifierLike {
  readonly numLabels: number;
  /** tokens i32 (B, T), keyMask f32 (B, T) → logits (B, numLabels). */
  logits(tokens: Tensor, keyMask: Tensor): Tensor;
}

/** Logits of one padded batch as a graph (for the loss) — the tensors the classifier reads. */
export function batchLogits(classifier: ClassifierLike, batch: { tokens: Int32Array; keyMask: Float32Array; batchSize: number; length: number }): Tensor {
  const shape = [batch.batchSize, batch.length];
  return classifier.logits(tensor(batch.tokens, shape, 'i32'), tensor(batch.keyMask, shape));
}

/** Metrics of a classifier over an evaluation set, plus the mean cross-entropy. */
export interface Evaluation extends ClassificationMetrics {
  /** Mean cross-entropy over the examples. */
  readonly loss: number;
}

/**
 * Accuracy, precision/recall/F1, confusion matrix and mean loss over every example, in order,
 * without a graph. Reads with `await data()`, so it runs on backends without synchronous reads.
 */
export async function evaluateClassifier(classifier: ClassifierLike, examples: readonly EncodedExample[], batchSize = 32): Promise<Evaluation> {
  const predicted = new Int32Array(examples.length);
  const actual = new Int32Array(examples.length);
  let lossSum = 0;
  for (let start = 0; start < examples.length; start += batchSize) {
    const batch = padBatch(examples.slice(start, start + batchSize));
    const outputs = tidy(() =>
      noGrad(() => {
        const out = batchLogits(classifier, batch);
        return { out, loss: softmaxCrossEntropy(out, tensor(batch.targets, [batch.batchSize], 'i32')) };
      }),
    );
    let logits: Float32Array;
    let loss: number;
    try {
      [logits, loss] = await Promise.all([outputs.out.data() as Promise<Float32Array>, outputs.loss.item()]);
    } finally {
      dispose(outputs);
    }
    lossSum += loss * batch.batchSize;
    const L = classifier.numLabels;
    for (let b = 0; b < batch.batchSize; b++) {
      let best = 0;
      for (let c = 1; c < L; c++) if (logits[b * L + c]! > logits[b * L + best]!) best = c;
      predicted[start + b] = best;
      actual[start + b] = batch.targets[b]!;
    }
  }
  return { ...classificationMetrics(predicted, actual, classifier.numLabels), loss: lossSum / examples.length };
}
