import { describe, expect, it } from 'vitest';
import {
  add,
  addLayerNorm,
  attention,
  biasGelu,
  dropout,
  gelu,
  layerNorm,
  memory,
  logSoftmax,
  ones,
  randn,
  relu,
  softmax,
  softmaxCrossEntropy,
  tensor,
  zeros,
} from '../index';

const values = (t: { dataSync(): ArrayLike<number> }): number[] => Array.from(t.dataSync());
const close = (actual: number[], expected: number[], tolerance = 1e-6): void => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!)).toBeLessThanOrEqual(tolerance));
};

describe('activations and softmax', () => {
  it('relu and GELU (tanh approximation, GPT-2)', () => {
    const x = tensor([-2, -0.5, 0, 0.5, 2]);
    expect(values(relu(x))).toEqual([0, 0, 0, 0.5, 2]);
    const expected = [-2, -0.5, 0, 0.5, 2].map((v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))));
    close(values(gelu(x)), expected);
  });

  it('softmax and logSoftmax are stable for large logits', () => {
    const x = tensor([
      [1000, 1001, 1002],
      [0, 0, 0],
    ]);
    const e = [Math.exp(-2), Math.exp(-1), 1];
    const s = e[0]! + e[1]! + e[2]!;
    close(values(softmax(x)), [...e.map((v) => v / s), 1 / 3, 1 / 3, 1 / 3]);
    close(values(logSoftmax(x)), [...e.map((v) => Math.log(v / s)), ...Array(3).fill(-Math.log(3))], 1e-5);
    close(values(softmax(x, 0)).slice(0, 1), [1]);
  });
});

describe('biasGelu and addLayerNorm (fused kernels; here the composite bodies on cpu)', () => {
  it('biasGelu is gelu(x + bias), bias broadcast over the last axis, and refuses a mismatched bias', () => {
    const x = tensor([
      [-2, -0.5, 0],
      [0.5, 2, 3],
    ]);
    const b = tensor([0.25, -1, 0.5]);
    close(values(biasGelu(x, b)), values(gelu(add(x, b))), 0);
    expect(() => biasGelu(x, ones([2]))).toThrow(/^core: biasGelu: expected x \[\.\.\., C\] with bias \[C\], got x \[2,3\], bias \[2\]\nhelp: /);
  });

  it('addLayerNorm returns the sum and its layer norm, and refuses residuals that would broadcast', () => {
    const x = tensor([
      [1, 2, 3, 4],
      [0, 0, 1, -1],
    ]);
    const r = tensor([
      [0.5, 0, -1, 2],
      [1, 1, 1, 1],
    ]);
    const [g, b] = [tensor([1, 2, 1, 0.5]), tensor([0, 0, 1, 0])];
    const { sum, y } = addLayerNorm(x, r, g, b);
    close(values(sum), values(add(x, r)), 0);
    close(values(y), values(layerNorm(add(x, r), g, b)), 0);
    expect(() => addLayerNorm(x, ones([4]), g, b)).toThrow(
      /^core: addLayerNorm: expected x and residual of the same shape, got x \[2,4\], residual \[4\]\nhelp: /,
    );
    expect(() => addLayerNorm(x, r, ones([3]), b)).toThrow(/^core: addLayerNorm: expected x \[\.\.\., C\] with gamma \[C\] and beta \[C\]/);
  });
});

describe('layerNorm', () => {
  it('normalises the last axis and applies gamma and beta', () => {
    const x = tensor([[1, 2, 3, 4]]);
    const y = values(layerNorm(x, tensor([1, 1, 2, 2]), tensor([0, 0, 0, 1])));
    const rstd = 1 / Math.sqrt(1.25 + 1e-5);
    close(y, [-1.5 * rstd, -0.5 * rstd, 2 * 0.5 * rstd, 2 * 1.5 * rstd + 1], 1e-5);
    expect(() => layerNorm(x, ones([3]), zeros([4]))).toThrow(
      /^core: layerNorm: expected x \[\.\.\., C\] with gamma \[C\] and beta \[C\], got x \[1,4\], gamma \[3\], beta \[4\]$/,
    );
  });
});

describe('attention', () => {
  it('causal: the first query sees only the first key', () => {
    const q = randn([1, 3, 4], { seed: 1 });
    const k = randn([1, 3, 4], { seed: 2 });
    const v = randn([1, 3, 4], { seed: 3 });
    const out = attention(q, k, v, { numHeads: 2, causal: true });
    expect(out.shape).toEqual([1, 3, 4]);
    close(values(out).slice(0, 4), values(v).slice(0, 4), 1e-6);
  });

  it('padding: masked keys get no weight', () => {
    const q = randn([2, 2, 4], { seed: 4 });
    const k = randn([2, 3, 4], { seed: 5 });
    const v = randn([2, 3, 4], { seed: 6 });
    const keyMask = tensor([
      [1, 1, 0],
      [1, 1, 1],
    ]);
    const masked = attention(q, k, v, { numHeads: 1, keyMask });
    const truncated = attention(q.slice([0], [1]), k.slice([0, 0], [1, 2]), v.slice([0, 0], [1, 2]), { numHeads: 1 });
    close(values(masked).slice(0, 8), values(truncated), 1e-6);
  });

  it('names all three shapes when they disagree', () => {
    expect(() => attention(zeros([1, 2, 4]), zeros([1, 2, 6]), zeros([1, 2, 4]), { numHeads: 2 })).toThrow(
      /^core: attention: expected q \[B, Tq, C\], k and v \[B, Tk, C\], got q \[1,2,4\], k \[1,2,6\], v \[1,2,4\]$/,
    );
    expect(() => attention(zeros([1, 2, 4]), zeros([1, 2, 4]), zeros([1, 2, 4]), { numHeads: 3 })).toThrow(/numHeads dividing C = 4, got 3/);
  });
});

describe('softmaxCrossEntropy', () => {
  it('averages over targets that are not ignored', () => {
    const logits = tensor([
      [
        [2, 0, 0],
        [0, 3, 0],
        [1, 1, 1],
      ],
    ]);
    const targets = tensor([[0, 1, -100]], undefined, 'i32');
    const loss = softmaxCrossEntropy(logits, targets).itemSync();
    const row0 = -Math.log(Math.exp(2) / (Math.exp(2) + 2));
    const row1 = -Math.log(Math.exp(3) / (Math.exp(3) + 2));
    expect(loss).toBeCloseTo((row0 + row1) / 2, 5);
    expect(softmaxCrossEntropy(logits, tensor([[-1, -1, -1]], undefined, 'i32'), { ignoreIndex: -1 }).itemSync()).toBe(0);
    expect(() => softmaxCrossEntropy(logits, tensor([[0, 1]], undefined, 'i32'))).toThrow(/logits \[1,3,3\] and targets \[1,2\]/);
    expect(() => softmaxCrossEntropy(logits, tensor([[0, 1, 2]]))).toThrow(/expected targets of dtype i32, got f32/);
    const outOfRange = tensor([[0, 3, 1]], undefined, 'i32');
    const before = memory();
    expect(() => softmaxCrossEntropy(logits, outOfRange)).toThrow(
      /^core: softmaxCrossEntropy: expected targets in \[0, 3\) or the ignore index -100, got 3 at position 1$/,
    );
    expect(memory()).toEqual(before);
  });
});

describe('dropout', () => {
  it('is reproducible for a seed, scales kept values and is the identity in evaluation', () => {
    const x = ones([4000]);
    const a = values(dropout(x, 0.25, { seed: 9 }));
    expect(a).toEqual(values(dropout(x, 0.25, { seed: 9 })));
    expect(new Set(a)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    const dropped = a.filter((v) => v === 0).length / a.length;
    expect(Math.abs(dropped - 0.25)).toBeLessThan(0.03);
    expect(dropout(x, 0.25, { training: false })).toBe(x);
    expect(() => dropout(x, 1)).toThrow(/^core: dropout: expected a rate in \[0, 1\), got 1$/);
  });
});
