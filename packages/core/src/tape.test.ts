import { describe, expect, it } from 'vitest';
import { memory, noGrad, tensor, tidy, valueAndGrad } from './index';

const values = (t: { dataSync(): ArrayLike<number> } | null | undefined): number[] => Array.from(t!.dataSync());

describe('autograd', () => {
  it('fills .grad of leaves and accumulates across calls', () => {
    const x = tensor([1, 2, 3]);
    x.requiresGrad = true;
    x.mul(x).sum().backward(); // d/dx Σx² = 2x
    expect(values(x.grad)).toEqual([2, 4, 6]);
    x.sum().backward();
    expect(values(x.grad)).toEqual([3, 5, 7]);
  });

  it('sums gradients of a tensor used on several paths', () => {
    const x = tensor([2]);
    x.requiresGrad = true;
    const y = x.mul(x).add(x.mul(3)).add(x); // x² + 4x → 2x + 4
    y.sum().backward();
    expect(values(x.grad)).toEqual([8]);
  });

  it('returns value and grads without touching .grad', () => {
    const w = tensor([
      [1, 2],
      [3, 4],
    ]);
    const unused = tensor([1]);
    const { value, grads } = valueAndGrad(() => w.matmul(w).sum(), [w, unused]);
    expect(value.itemSync()).toBe(54);
    // d Σ(W·W) / dW = 1·Wᵀ + Wᵀ·1
    expect(values(grads[0])).toEqual([7, 11, 9, 13]);
    expect(values(grads[1])).toEqual([0]);
    expect(w.grad).toBeNull();
  });

  it('records nothing under noGrad', () => {
    const x = tensor([1]);
    x.requiresGrad = true;
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
  });

  it('needs a scalar loss and names the shape otherwise', () => {
    const x = tensor([1, 2]);
    x.requiresGrad = true;
    expect(() => x.mul(2).backward()).toThrow(/^core: backward: expected an f32 tensor of one element \(a loss\), or a gradient for it, got f32 \[2\]/);
  });

  it('frees intermediate gradients inside a step', () => {
    const w = tensor([
      [0.5, -1],
      [2, 0.25],
    ]);
    const before = memory();
    tidy(() => {
      const { grads } = valueAndGrad(() => w.matmul(w).tanh().exp().mean(), [w]);
      return grads;
    })[0]!.dispose();
    expect(memory()).toEqual(before);
  });
});
