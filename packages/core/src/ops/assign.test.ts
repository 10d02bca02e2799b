import { describe, expect, it } from 'vitest';
import { memory } from '../scope';
import { tensor } from './creation';
import { assign } from './assign';

describe('assign', () => {
  it('gives the target the value and frees the old storage', () => {
    const target = tensor([1, 2, 3]);
    const value = target.mul(10);
    const before = memory();
    assign(target, value);
    expect(Array.from(target.dataSync())).toEqual([10, 20, 30]);
    expect(value.isDisposed).toBe(true);
    expect(memory().liveTensors).toBe(before.liveTensors - 1);
    expect(memory().backendBytes).toBe(before.backendBytes - 12);
  });

  it('refuses another shape or dtype and changes nothing', () => {
    const target = tensor([1, 2, 3]);
    expect(() => assign(target, tensor([1, 2]))).toThrow(/^core: assign: expected a value of the target's shape and dtype \(f32 \[3\]\), got f32 \[2\]/);
    expect(() => assign(target, tensor([1, 2, 3], [3], 'i32'))).toThrow(/got i32 \[3\]/);
    expect(Array.from(target.dataSync())).toEqual([1, 2, 3]);
  });
});
