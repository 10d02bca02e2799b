/**
 * Supervised fine-tuning of any sequence classifier: the train loop (`trainLoop`: AdamW/SGD,
 * LR schedule, clipping, accumulation, NaN checks, carbon ledger) on the cross-entropy of padded
 * classification batches, over only the `trainable` parameters — everything else (a frozen base,
 * LoRA's base weights) gets no gradient and no update. Test-set accuracy, precision/recall/F1 and
 * the confusion matrix are computed every `every` steps and at the end.
 */
import { softmaxCrossEntropy, tensor, type Tensor } from '@wattformer/core';
import type { CarbonLedger } from '../carbon/carbon-ledger';
import { trainerError } from '../errors';
import { trainLoop, type StopReason, type TrainEvent } from '../loop/train-loop';
import type { LrSchedule } from '../lr-schedule';
import { createOptimizer, type Optimizer, type OptimizerOptions } from '../optim/optimizer';
import { ClassificationBatches, type ClassificationBatch, type EncodedExample } from './classification-batches';
import { batchLogits, evaluateClassifier, type ClassifierLike, type Evaluation } from './evaluate-classifier';

/** An event of `finetuneClassifier`: a training-loop event, or a classification evaluation. */
export type FinetuneEvent = TrainEvent | { readonly type: 'classification-eval'; readonly step: number; readonly metrics: Evaluation };

/**
 * Options of `finetuneClassifier`: the classifier, what to train, the data, steps, optimizer, evaluation and callbacks.
 */
export interface FinetuneOptions {
  readonly classifier: ClassifierLike;
  /** The parameters to train (a subset of what the classifier reads); the rest stay bit-identical. */
  readonly trainable: ReadonlyMap<string, Tensor>;
  readonly train: readonly EncodedExample[];
  readonly steps: number;
  readonly batchSize: number;
  readonly seed: number;
  /** Default AdamW, learning rate 5e-4, weight decay 0.01 (on matrices only). */
  readonly optimizer?: OptimizerOptions;
  /** Default: linear warmup over 6% of the steps, then linear decay to 0 (BERT / HF Trainer style). */
  readonly schedule?: LrSchedule;
  /** Default 1. */
  readonly gradientClip?: number;
  readonly accumulationSteps?: number;
  /** Held-out examples scored every `every` steps (default: only after the last step). */
  readonly evaluation?: { readonly examples: readonly EncodedExample[]; readonly every?: number; readonly batchSize?: number };
  readonly carbon?: { readonly ledger: CarbonLedger; readonly every?: number };
  /**
   * Receives each training step, evaluation and carbon event; return `'stop'` to end the run after this step.
   */
  readonly onEvent?: (event: FinetuneEvent) => void | 'stop' | Promise<void | 'stop'>;
}

/**
 * What `finetuneClassifier` returns: steps run, losses, evaluations, the final evaluation, why it stopped and the optimizer.
 */
export interface FinetuneResult {
  readonly steps: number;
  readonly losses: number[];
  readonly evaluations: { readonly step: number; readonly metrics: Evaluation }[];
  /** The last evaluation (after the final step), when there is an evaluation set. */
  readonly final?: Evaluation;
  readonly stopReason: StopReason;
  readonly optimizer: Optimizer;
  /** Passes over the training examples. */
  readonly epochs: number;
}

/** Cross-entropy of the classifier on one padded batch. */
export function classificationLoss(classifier: ClassifierLike, batch: ClassificationBatch): Tensor {
  return softmaxCrossEntropy(batchLogits(classifier, batch), tensor(batch.targets, [batch.batchSize], 'i32'));
}

/**
 * Fine-tunes a classifier on encoded examples with AdamW: batches, optional evaluation every N steps, early stopping and events; leaves parameters outside `trainable` untouched.
 */
export async function finetuneClassifier(options: FinetuneOptions): Promise<FinetuneResult> {
  const { classifier, trainable, steps } = options;
  if (trainable.size === 0) throw trainerError('E_ARGUMENT', 'finetune', 'at least one trainable parameter', 'none', "use mode 'full', or include the head");
  const every = options.evaluation?.every;
  if (every !== undefined && (!Number.isInteger(every) || every < 1))
    throw trainerError('E_ARGUMENT', 'finetune', 'evaluation.every to be a positive integer', String(every));
  for (const label of new Set(options.train.map((e) => e.label))) {
    if (!(label >= 0 && label < classifier.numLabels)) {
      throw trainerError('E_ARGUMENT', 'finetune', `labels in 0 … ${classifier.numLabels - 1} (the classifier's numLabels)`, String(label));
    }
  }
  const optimizer = createOptimizer(trainable, options.optimizer ?? { kind: 'adamw', learningRate: 5e-4, weightDecay: 0.01 });
  const schedule: LrSchedule = options.schedule ?? {
    kind: 'linear',
    learningRate: optimizer.options.learningRate,
    warmupSteps: Math.max(1, Math.round(0.06 * steps)),
    totalSteps: steps,
  };
  const batches = new ClassificationBatches(options.train, { batchSize: options.batchSize, seed: options.seed });
  const evaluations: { step: number; metrics: Evaluation }[] = [];
  const evaluate = async (step: number) => {
    const evaluation = options.evaluation!;
    const metrics = await evaluateClassifier(classifier, evaluation.examples, evaluation.batchSize ?? 32);
    evaluations.push({ step, metrics });
    return (await options.onEvent?.({ type: 'classification-eval', step, metrics })) === 'stop';
  };
  const result = await trainLoop({
    model: { parameters: trainable, loss: (batch) => classificationLoss(classifier, batch as ClassificationBatch) },
    optimizer,
    batches,
    steps,
    schedule,
    gradientClip: options.gradientClip ?? 1,
    ...(options.accumulationSteps ? { accumulationSteps: options.accumulationSteps } : {}),
    ...(options.carbon ? { carbon: options.carbon } : {}),
    onEvent: async (event) => {
      if ((await options.onEvent?.(event)) === 'stop') return 'stop';
      if (event.type === 'step' && options.evaluation && ((every !== undefined && event.step % every === 0) || event.step === steps)) {
        if (await evaluate(event.step)) return 'stop';
      }
      return undefined;
    },
  });
  if (options.evaluation && evaluations.at(-1)?.step !== result.steps) await evaluate(result.steps);
  const last = evaluations.at(-1);
  return {
    steps: result.steps,
    losses: result.losses,
    evaluations,
    ...(last ? { final: last.metrics } : {}),
    stopReason: result.stopReason,
    optimizer,
    epochs: batches.epochs,
  };
}
