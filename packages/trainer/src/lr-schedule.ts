/**
 * Learning-rate schedules as pure functions of the step (0-based), as in PyTorch/HF:
 * `constant`, and linear warmup followed by cosine or linear decay to `minLearningRate`.
 */
export type LrSchedule =
  | { readonly kind: 'constant'; readonly learningRate: number }
  | {
      readonly kind: 'cosine' | 'linear';
      readonly learningRate: number;
      readonly warmupSteps: number;
      readonly totalSteps: number;
      readonly minLearningRate?: number;
    };

/**
 * The learning rate of `schedule` at `step` (0-based): constant, or linear warm-up then cosine or linear decay to the minimum.
 */
export function learningRateAt(schedule: LrSchedule, step: number): number {
  if (schedule.kind === 'constant') return schedule.learningRate;
  const { learningRate, warmupSteps, totalSteps } = schedule;
  const minLearningRate = schedule.minLearningRate ?? 0;
  if (step < warmupSteps) return (learningRate * (step + 1)) / warmupSteps;
  if (step >= totalSteps) return minLearningRate;
  const progress = (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
  const shape = schedule.kind === 'cosine' ? 0.5 * (1 + Math.cos(Math.PI * progress)) : 1 - progress;
  return minLearningRate + (learningRate - minLearningRate) * shape;
}
