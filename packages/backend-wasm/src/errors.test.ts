import { getBackendName, listBackends, memory, setBackend, tensor, zeros } from '@wattformer/core';
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

  it('refuses a tensor beyond WebAssembly’s 4 GiB before allocating, naming the op and shape', () => {
    const before = memory();
    expect(() => zeros([2 ** 15, 2 ** 15 + 1])).toThrow(/^core: full: expected an output of at most 4.00 GiB on backend 'wasm', got f32 \[32768,32769\] = 4.00 GiB/);
    expect(memory()).toEqual(before);
  });

  it('refuses mismatched matmul shapes with both shapes named and leaves nothing allocated', () => {
    const a = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const before = memory();
    expect(() => a.matmul(tensor([1, 2, 3, 4], [2, 2]))).toThrow(/matmul: expected inner dimensions to agree \(3 from A\), got A \[2,3\] and B \[2,2\]/);
    expect(memory().backendBytes).toBe(before.backendBytes + 16); // only the right operand itself
  });
});
