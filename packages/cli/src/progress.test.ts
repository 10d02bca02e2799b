import { describe, expect, it } from 'vitest';
import { createProgress, trainProgressLine } from './progress';

describe('training progress without a TTY (#13 item 6: "with stdout piped nothing is printed during training")', () => {
  it('prints the first step, then a line every interval, and the last step', () => {
    const lines: string[] = [];
    const progress = createProgress({ total: 100, startStep: 40, tty: false, intervalSeconds: 5, log: (line) => lines.push(line) });
    const at = (step: number, seconds: number) => progress.update({ step, loss: 2 + 1 / step, tokens: (step - 40) * 1000, seconds });
    at(41, 0.5);
    at(42, 1);
    at(49, 5.4); // 4.9 s after the last line: not yet
    at(50, 5.6);
    progress.carbon('0.123 g');
    at(59, 10.5);
    at(60, 10.7);
    at(99, 15);
    at(100, 15.5); // the last step always
    progress.stop();
    expect(lines.map((line) => Number(/^step (\d+)\//.exec(line)![1]))).toEqual([41, 50, 60, 100]);
    expect(lines[0]).toBe('step 41/100 | loss 2.024 | 2,000 tok/s | ETA 30s | - CO2e');
    expect(lines[2]).toBe('step 60/100 | loss 2.017 | 1,869 tok/s | ETA 21s | 0.123 g CO2e');
    expect(lines[3]).toMatch(/^step 100\/100 \| .* \| ETA 0s \| 0.123 g CO2e$/);
  });

  it("formats the ETA from this run's pace, with carries (never 1m60s)", () => {
    // 10 steps done in 20 s, 290 left: 580 s = 9m40s; 239 steps left at 0.5 s each: 119.5 s = 2m00s.
    expect(trainProgressLine(300, 0, { step: 10, loss: 1, tokens: 5000, seconds: 20 }, '-')).toMatch(/ETA 9m40s/);
    expect(trainProgressLine(240, 0, { step: 1, loss: 1, tokens: 1, seconds: 0.5 }, '-')).toMatch(/ETA 2m00s/);
    expect(trainProgressLine(400_001, 1, { step: 2, loss: 1, tokens: 1, seconds: 1 }, '-')).toMatch(/ETA 4d15h/); // 399 999 s
    expect(trainProgressLine(10, 10, { step: 10, loss: 1, tokens: 0, seconds: 0 }, '-')).toMatch(/\| - tok\/s \| ETA - \|/);
  });

  it('under a time budget shows the step alone and the budget left until the schedule is fitted', () => {
    const lines: string[] = [];
    const progress = createProgress({ total: 100_000, startStep: 0, tty: false, intervalSeconds: 5, budgetSeconds: 120, log: (line) => lines.push(line) });
    progress.update({ step: 1, loss: 7.5, tokens: 768, seconds: 0.5 });
    progress.setTotal(838);
    progress.update({ step: 38, loss: 6.2, tokens: 38 * 768, seconds: 6 });
    expect(lines).toEqual(['step 1 | loss 7.500 | 1,536 tok/s | ETA 2m00s | - CO2e', 'step 38/838 | loss 6.200 | 4,864 tok/s | ETA 2m06s | - CO2e']);
  });
});
