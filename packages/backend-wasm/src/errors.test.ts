import { arange, getBackendName, listBackends, memory, rand, randn, setBackend, tensor, WattformerError, zeros } from '@wattformer/core';
import { beforeAll, describe, expect, it } from 'vitest';
import './register';

beforeAll(async () => {
  await setBackend('wasm');
});

describe('bad input on the wasm backend', () => {
  it('is registered on import and listed with the valid choices', async () => {
    expect(listBackends()).toContain('wasm');
    expect(getBackendName()).toBe('wasm');
    await expect(setBackend('wasn')).rejects.toThrow(/expected backend to be one of 'cpu', 'wasm'.*got 'wasn'/);
  });

  it('refuses a tensor beyond one wasm32 allocation (2^31 − 16 bytes) before allocating, naming the op and shape', () => {
    const before = memory();
    // #12: zeros([2**29]) is exactly 2 GiB, one Layout over isize::MAX; the limit and the request must not read the same.
    expect(() => zeros([2 ** 29])).toThrow(
      /^core: full: expected an output of at most 2\.00 GiB \(2147483632 B\) on backend 'wasm', got f32 \[536870912\] = 2\.00 GiB/,
    );
    expect(() => zeros([2 ** 15, 2 ** 15 + 1])).toThrow(/got f32 \[32768,32769\] = 4\.00 GiB \(4295098368 B\)/);
    expect(memory()).toEqual(before);
  });

  it('#12 randn([2**30]) on wasm: E_OUT_OF_MEMORY before any sample is generated', () => {
    const before = memory();
    const started = process.memoryUsage().rss;
    let error: unknown;
    try {
      randn([2 ** 30]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WattformerError);
    expect((error as WattformerError).code).toBe('E_OUT_OF_MEMORY');
    expect((error as Error).message).toMatch(/^core: randn: expected an output of at most 2\.00 GiB .*got f32 \[1073741824\] = 4\.00 GiB/);
    // Nothing of the 4 GiB was generated: the process grew by far less than one copy of it.
    expect(process.memoryUsage().rss - started).toBeLessThan(256 * 2 ** 20);
    expect(memory()).toEqual(before);
    for (const make of [() => arange(2 ** 30), () => tensor(new Float32Array(4), [2 ** 30]), () => rand([2 ** 30])]) {
      expect(make).toThrow(/expected an output of at most 2\.00 GiB/);
    }
  });

  it('refuses mismatched matmul shapes with both shapes named and leaves nothing allocated', () => {
    const a = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const before = memory();
    expect(() => a.matmul(tensor([1, 2, 3, 4], [2, 2]))).toThrow(/matmul: expected inner dimensions to agree \(3 from A\), got A \[2,3\] and B \[2,2\]/);
    expect(memory().backendBytes).toBe(before.backendBytes + 16); // only the right operand itself
  });
});
