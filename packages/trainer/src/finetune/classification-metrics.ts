/**
 * Classification metrics from predicted and true labels, with scikit-learn's definitions:
 * confusion[true][predicted]; per-class precision TP/(TP+FP), recall TP/(TP+FN) and
 * F1 = 2PR/(P+R), each 0 when its denominator is 0; macro F1 is their unweighted mean. For two
 * classes, `f1` is the positive class's (label 1), as sklearn's default `average='binary'`.
 */
import { trainerError } from '../errors';

/**
 * Classification metrics over a set of examples: accuracy, per-class precision/recall/F1, macro averages and the confusion matrix.
 */
export interface ClassificationMetrics {
  readonly examples: number;
  readonly accuracy: number;
  /** confusion[trueLabel][predictedLabel] = count. */
  readonly confusion: number[][];
  readonly precision: number[];
  readonly recall: number[];
  readonly f1PerClass: number[];
  readonly macroF1: number;
  /** Binary F1 of label 1 for two classes; macro F1 otherwise. */
  readonly f1: number;
}

/**
 * Accuracy, per-class precision/recall/F1, macro F1 and the confusion matrix of predicted against actual labels.
 */
export function classificationMetrics(predicted: ArrayLike<number>, actual: ArrayLike<number>, numLabels: number): ClassificationMetrics {
  if (predicted.length !== actual.length || actual.length === 0) {
    throw trainerError(
      'E_ARGUMENT',
      'classificationMetrics',
      'as many predictions as labels (at least one)',
      `${predicted.length} predictions, ${actual.length} labels`,
    );
  }
  if (!Number.isInteger(numLabels) || numLabels < 2) throw trainerError('E_ARGUMENT', 'classificationMetrics', 'numLabels ≥ 2', String(numLabels));
  const confusion = Array.from({ length: numLabels }, () => new Array<number>(numLabels).fill(0));
  let correct = 0;
  for (let i = 0; i < actual.length; i++) {
    const [t, p] = [actual[i]!, predicted[i]!];
    if (!(t >= 0 && t < numLabels && p >= 0 && p < numLabels && Number.isInteger(t) && Number.isInteger(p))) {
      throw trainerError('E_ARGUMENT', 'classificationMetrics', `labels in 0 … ${numLabels - 1}`, `true ${t}, predicted ${p} at ${i}`);
    }
    confusion[t]![p]!++;
    if (t === p) correct++;
  }
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const precision: number[] = [];
  const recall: number[] = [];
  const f1PerClass: number[] = [];
  for (let c = 0; c < numLabels; c++) {
    const tp = confusion[c]![c]!;
    const predictedC = confusion.reduce((s, row) => s + row[c]!, 0);
    const actualC = confusion[c]!.reduce((s, v) => s + v, 0);
    precision.push(ratio(tp, predictedC));
    recall.push(ratio(tp, actualC));
    f1PerClass.push(ratio(2 * precision[c]! * recall[c]!, precision[c]! + recall[c]!));
  }
  const macroF1 = f1PerClass.reduce((s, v) => s + v, 0) / numLabels;
  return {
    examples: actual.length,
    accuracy: correct / actual.length,
    confusion,
    precision,
    recall,
    f1PerClass,
    macroF1,
    f1: numLabels === 2 ? f1PerClass[1]! : macroF1,
  };
}
