import { describe, expect, it } from 'vitest';
import { adamw, clipGradNorm, memory, tensor, zeros } from '../index';

const values = (t: { dataSync(): ArrayLike<number> }): number[] => Array.from(t.dataSync());

describe('adamw', () => {
  it('matches the AdamW formula (decoupled weight decay) over two steps', () => {
    const param = tensor([1, -2]);
    const m = zeros([2]);
    const v = zeros([2]);
    const options = { learningRate: 0.1, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0.5 };
    const reference = [1, -2];
    const mRef = [0, 0];
    const vRef = [0, 0];
    const grads = [
      [0.5, -1],
      [0.25, 2],
    ];
    grads.forEach((g, index) => {
      const step = index + 1;
      adamw(param, tensor(g), m, v, { ...options, step });
      for (let i = 0; i < 2; i++) {
        mRef[i] = 0.9 * mRef[i]! + 0.1 * g[i]!;
        vRef[i] = 0.99 * vRef[i]! + 0.01 * g[i]! ** 2;
        const mHat = mRef[i]! / (1 - 0.9 ** step);
        const vHat = vRef[i]! / (1 - 0.99 ** step);
        reference[i] = reference[i]! * (1 - 0.1 * 0.5) - (0.1 * mHat) / (Math.sqrt(vHat) + 1e-8);
      }
    });
    values(param).forEach((p, i) => expect(p).toBeCloseTo(reference[i]!, 5));
    values(m).forEach((p, i) => expect(p).toBeCloseTo(mRef[i]!, 6));
  });

  it('refuses mismatched shapes before writing anything', () => {
    const param = tensor([1, 2]);
    const state = [zeros([2]), zeros([3])] as const;
    const grad = tensor([1, 1]);
    const before = memory();
    expect(() => adamw(param, grad, state[0], state[1], { learningRate: 0.1, step: 1 })).toThrow(
      /^core: adamw: expected param, grad, m and v of one shape, got \[2\], \[2\], \[2\], \[3\]$/,
    );
    expect(() => adamw(param, grad, state[0], state[0], { learningRate: 0.1, step: 0 })).toThrow(/step an integer >= 1, got 0/);
    expect(values(param)).toEqual([1, 2]);
    expect(memory()).toEqual(before);
  });
});

describe('clipGradNorm', () => {
  it('scales every gradient by one global factor when the norm is too large', () => {
    const { grads, norm } = clipGradNorm([tensor([3]), tensor([[4]])], 1);
    expect(norm.itemSync()).toBeCloseTo(5, 6);
    expect(grads[0]!.itemSync()).toBeCloseTo(0.6, 5);
    expect(grads[1]!.shape).toEqual([1, 1]);
    expect(grads[1]!.itemSync()).toBeCloseTo(0.8, 5);
    const small = clipGradNorm([tensor([0.3, 0.4])], 1);
    expect(values(small.grads[0]!)).toEqual([0.30000001192092896, 0.4000000059604645]);
  });
});
