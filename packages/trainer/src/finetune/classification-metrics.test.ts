import { describe, expect, it } from 'vitest';
import { classificationMetrics } from './classification-metrics';

describe('classificationMetrics', () => {
  it('binary: confusion, accuracy, precision, recall and F1 of the positive class, worked by hand', () => {
    // true:      0 0 0 0 0 1 1 1 1 1 1 1
    // predicted: 0 0 0 1 1 1 1 1 1 1 0 0   → TN 3, FP 2, TP 5, FN 2
    const actual = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1];
    const predicted = [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0];
    const m = classificationMetrics(predicted, actual, 2);
    expect(m.confusion).toEqual([
      [3, 2],
      [2, 5],
    ]);
    expect(m.examples).toBe(12);
    expect(m.accuracy).toBeCloseTo(8 / 12, 12);
    expect(m.precision[1]).toBeCloseTo(5 / 7, 12); // TP / (TP + FP)
    expect(m.recall[1]).toBeCloseTo(5 / 7, 12); // TP / (TP + FN)
    expect(m.precision[0]).toBeCloseTo(3 / 5, 12);
    expect(m.recall[0]).toBeCloseTo(3 / 5, 12);
    expect(m.f1).toBeCloseTo(5 / 7, 12); // 2PR/(P+R) with P = R
    expect(m.f1PerClass[0]).toBeCloseTo(3 / 5, 12);
    expect(m.macroF1).toBeCloseTo((5 / 7 + 3 / 5) / 2, 12);
  });

  it('three classes: macro F1 over per-class F1, a never-predicted class scores 0 (no NaN)', () => {
    // true 0: predicted 0,0,1 ; true 1: predicted 1,1,0,1 ; true 2: predicted 1,0
    const actual = [0, 0, 0, 1, 1, 1, 1, 2, 2];
    const predicted = [0, 0, 1, 1, 1, 0, 1, 1, 0];
    const m = classificationMetrics(predicted, actual, 3);
    expect(m.confusion).toEqual([
      [2, 1, 0],
      [1, 3, 0],
      [1, 1, 0],
    ]);
    expect(m.accuracy).toBeCloseTo(5 / 9, 12);
    expect(m.precision).toEqual([2 / 4, 3 / 5, 0]);
    expect(m.recall).toEqual([2 / 3, 3 / 4, 0]);
    const f1 = (p: number, r: number) => (2 * p * r) / (p + r);
    expect(m.f1PerClass[0]).toBeCloseTo(f1(1 / 2, 2 / 3), 12);
    expect(m.f1PerClass[1]).toBeCloseTo(f1(3 / 5, 3 / 4), 12);
    expect(m.f1PerClass[2]).toBe(0);
    expect(m.f1).toBeCloseTo((f1(1 / 2, 2 / 3) + f1(3 / 5, 3 / 4)) / 3, 12);
  });

  it('refuses mismatched lengths, empty input, out-of-range labels and numLabels < 2', () => {
    expect(() => classificationMetrics([0, 1], [0], 2)).toThrow(
      /trainer: classificationMetrics: expected as many predictions as labels \(at least one\), got 2 predictions, 1 labels/,
    );
    expect(() => classificationMetrics([], [], 2)).toThrow(/at least one/);
    expect(() => classificationMetrics([0, 2], [0, 1], 2)).toThrow(/expected labels in 0 … 1, got true 1, predicted 2 at 1/);
    expect(() => classificationMetrics([0], [0], 1)).toThrow(/numLabels ≥ 2/);
  });
});
