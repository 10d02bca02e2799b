import { describe, expect, it } from 'vitest';
import { learningRateAt } from './lr-schedule';

describe('learningRateAt', () => {
  const cosine = { kind: 'cosine', learningRate: 1e-3, warmupSteps: 10, totalSteps: 110, minLearningRate: 1e-4 } as const;

  it('warms up linearly to the peak', () => {
    expect(learningRateAt(cosine, 0)).toBeCloseTo(1e-4, 12);
    expect(learningRateAt(cosine, 9)).toBeCloseTo(1e-3, 12);
  });

  it('decays along a half cosine to the floor', () => {
    expect(learningRateAt(cosine, 10)).toBeCloseTo(1e-3, 12);
    expect(learningRateAt(cosine, 60)).toBeCloseTo(5.5e-4, 12);
    expect(learningRateAt(cosine, 110)).toBeCloseTo(1e-4, 12);
    expect(learningRateAt(cosine, 500)).toBeCloseTo(1e-4, 12);
  });

  it('decays linearly and holds constant when asked', () => {
    const linear = { ...cosine, kind: 'linear', minLearningRate: 0 } as const;
    expect(learningRateAt(linear, 60)).toBeCloseTo(5e-4, 12);
    expect(learningRateAt({ kind: 'constant', learningRate: 3e-4 }, 1234)).toBe(3e-4);
  });
});
