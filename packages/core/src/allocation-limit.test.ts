import { describe, expect, it } from 'vitest';
import { createCpuBackend } from './cpu/cpu-backend';
import { add, arange, embedding, full, matmul, memory, rand, randn, tensor, withBackend, zeros } from './index';

/** A backend with a small `maxBufferBytes` stands in for wasm32's 4 GiB ceiling. */
describe('maxBufferBytes', () => {
  const small = { ...createCpuBackend(), name: 'small', maxBufferBytes: 1024 };

  it('refuses an oversize output before any kernel runs, naming the op and the shapes', () => {
    withBackend(small, () => {
      const a = zeros([16, 8]);
      const b = zeros([8, 32]);
      const before = memory();
      expect(() => matmul(a, b)).toThrow(
        /^core: matmul: expected an output of at most 1024 B on backend 'small', got f32 \[16,32\] = 2048 B from \[16,8\] and \[8,32\]\nhelp: use a smaller batch/,
      );
      expect(() => add(zeros([200, 1]), zeros([1, 2]))).toThrow(/^core: add: expected an output .* got f32 \[200,2\] = 1600 B from \[200,1\] and \[1,2\]/);
      expect(() => embedding(zeros([4, 64]), tensor(new Int32Array(8)))).toThrow(/^core: gather: .*\[8,64\]/);
      expect(() => zeros([257])).toThrow(/^core: full: .*\[257\]/);
      // Only the operands made inside the expect calls remain; no output was allocated.
      expect(memory().liveTensors).toBe(before.liveTensors + 4);
    });
  });

  it('carries the error code E_OUT_OF_MEMORY and lets sizes under the limit through', () => {
    withBackend(small, () => {
      expect(zeros([256]).size).toBe(256);
      try {
        zeros([1 << 30]);
        expect.unreachable();
      } catch (error) {
        expect((error as { code: string }).code).toBe('E_OUT_OF_MEMORY');
      }
    });
  });

  it('#12 every creation op checks the limit before generating data (randn, rand, arange, tensor, full)', () => {
    withBackend(small, () => {
      const before = memory();
      for (const [op, make] of [
        ['randn', () => randn([2 ** 30])],
        ['rand', () => rand([2 ** 30])],
        ['arange', () => arange(2 ** 30)],
        ['tensor', () => tensor(new Float32Array(4), [2 ** 30])],
        ['full', () => full([2 ** 30], 1)],
      ] as const) {
        expect(make).toThrow(new RegExp(`^core: ${op}: expected an output of at most 1024 B on backend 'small', got (f32|i32) \\[1073741824\\] = 4\\.00 GiB`));
      }
      expect(memory()).toEqual(before);
    });
  });

  it('refuses more elements than a typed array holds even on a backend without a byte limit', () => {
    expect(() => zeros([2 ** 20, 2 ** 20])).toThrow(
      /^core: full: expected at most 4294967296 elements \(2\^32, the longest JavaScript typed array\), got f32 \[1048576,1048576\] = 1099511627776 elements/,
    );
    expect(() => randn([2 ** 40, 2 ** 40])).toThrow(/^core: randn: expected at most 4294967296 elements/);
  });
});
