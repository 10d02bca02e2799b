import { tensor, type Tensor } from '@wattformer/core';
import { describe, expect, it } from 'vitest';
import { createOptimizer } from './optimizer';

const values = (t: Tensor) => Array.from(t.dataSync());

describe('optimizers', () => {
  it('SGD with momentum follows PyTorch: b ← μb + (g + λp), p ← p − lr·b, decay on matrices only', () => {
    const parameters = new Map([
      ['w', tensor([[1, 2]])],
      ['b', tensor([3])],
    ]);
    const sgd = createOptimizer(parameters, { kind: 'sgd', learningRate: 0.1, momentum: 0.9, weightDecay: 0.5 });
    sgd.update([tensor([[1, 1]]), tensor([1])]);
    // w: g = 1 + 0.5·w = [1.5, 2]; b_buf = g; w = w − 0.1·g = [0.85, 1.8]. bias: no decay: 3 − 0.1 = 2.9.
    expect(values(parameters.get('w')!).map((x) => +x.toFixed(6))).toEqual([0.85, 1.8]);
    expect(values(parameters.get('b')!).map((x) => +x.toFixed(6))).toEqual([2.9]);
    sgd.update([tensor([[1, 1]]), tensor([1])]);
    // w: g = 1 + 0.5·[0.85, 1.8] = [1.425, 1.9]; buf = 0.9·[1.5, 2] + g = [2.775, 3.7]; w −= 0.1·buf.
    expect(values(parameters.get('w')!).map((x) => +x.toFixed(5))).toEqual([0.5725, 1.43]);
    // bias: buf = 0.9·1 + 1 = 1.9; b = 2.9 − 0.19 = 2.71.
    expect(values(parameters.get('b')!).map((x) => +x.toFixed(5))).toEqual([2.71]);
    expect(sgd.step).toBe(2);
  });

  it('AdamW decays matrices but not biases or norm gains', () => {
    const parameters = new Map([
      ['w', tensor([[1, 1]])],
      ['b', tensor([1, 1])],
    ]);
    const adam = createOptimizer(parameters, { kind: 'adamw', learningRate: 0.1, weightDecay: 0.5 });
    adam.update([tensor([[0, 0]]), tensor([0, 0])]); // zero gradients: only decay moves weights
    expect(values(parameters.get('w')!).map((x) => +x.toFixed(6))).toEqual([0.95, 0.95]);
    expect(values(parameters.get('b')!)).toEqual([1, 1]);
    expect([...adam.stateTensors().keys()]).toEqual(['w.exp_avg', 'b.exp_avg', 'w.exp_avg_sq', 'b.exp_avg_sq']);
  });

  it('refuses bad settings and a wrong number of gradients', () => {
    const parameters = new Map([['w', tensor([1])]]);
    expect(() => createOptimizer(parameters, { kind: 'adamw', learningRate: -1 })).toThrow(
      /^trainer: optimizer: expected a positive finite learningRate, got -1/,
    );
    expect(() => createOptimizer(parameters, { kind: 'sgd', learningRate: 1, weightDecay: -1 })).toThrow(/weightDecay ≥ 0/);
    expect(() => createOptimizer(parameters, { kind: 'sgd', learningRate: 1 }).update([])).toThrow(/expected 1 gradients \(one per parameter\), got 0/);
  });
});
