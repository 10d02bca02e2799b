import { describe, expect, it } from 'vitest';
import { keep, memory, tensor, tidy } from './index';

describe('tidy', () => {
  it('frees intermediates and keeps what is returned', () => {
    const before = memory();
    const result = tidy(() => {
      const a = tensor([1, 2, 3]);
      const b = a.mul(2).add(1);
      return { b, list: [b.exp()] };
    });
    expect(Array.from(result.b.dataSync())).toEqual([3, 5, 7]);
    expect(memory().liveTensors).toBe(before.liveTensors + 2);
    result.b.dispose();
    result.list[0]!.dispose();
    expect(memory()).toEqual(before);
  });

  it('moves returned tensors into the enclosing scope', () => {
    const before = memory();
    tidy(() => {
      const inner = tidy(() => tensor([1]).add(1));
      expect(inner.itemSync()).toBe(2);
      return undefined;
    });
    expect(memory()).toEqual(before);
  });

  it('leaves kept tensors and tensors made outside alone', () => {
    const outside = tensor([5]);
    const before = memory();
    const kept = tidy(() => {
      keep(outside.add(1));
      const k = outside.mul(3).keep();
      outside.sub(1);
      return k;
    });
    expect(kept.itemSync()).toBe(15);
    expect(outside.itemSync()).toBe(5);
    expect(memory().liveTensors).toBe(before.liveTensors + 2);
  });

  it('frees everything when the function throws', () => {
    const before = memory();
    expect(() =>
      tidy(() => {
        tensor([1, 2]).add(1);
        throw new Error('step failed');
      }),
    ).toThrow('step failed');
    expect(memory()).toEqual(before);
  });

  it('refuses an async function', () => {
    expect(() => tidy(async () => tensor([1]))).toThrow(/^core: tidy: expected a synchronous function, got a function returning a Promise/);
  });
});
