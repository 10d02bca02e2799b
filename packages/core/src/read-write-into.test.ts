import { describe, expect, it } from 'vitest';
import { assignValues, createCpuBackend, memory, reshape, tensor, tidy, withBackend, type Backend } from './index';

// dataSyncInto / assignValues: reading into and writing from arrays the caller owns (a
// data-parallel replica's shared buffer), without allocating per call.
describe('dataSyncInto', () => {
  it('copies the values into the given array, a view of a shared buffer included', () => {
    const t = tensor([1.5, -2, 3, 4], [2, 2]);
    const shared = new Float32Array(new SharedArrayBuffer(4 * 6));
    t.dataSyncInto(shared.subarray(1, 5));
    expect(Array.from(shared)).toEqual([0, 1.5, -2, 3, 4, 0]);
    const ids = new Int32Array(3);
    tensor([7, -8, 9], [3], 'i32').dataSyncInto(ids);
    expect(Array.from(ids)).toEqual([7, -8, 9]);
  });

  it('refuses an array of another type or length, naming what it expected', () => {
    const t = tensor([1, 2, 3], [3]);
    expect(() => t.dataSyncInto(new Float32Array(2))).toThrow(
      /^core: dataSyncInto: expected a Float32Array of 3 elements \(the tensor is f32 \[3\]\), got a Float32Array of 2 elements\nhelp: /,
    );
    expect(() => t.dataSyncInto(new Int32Array(3))).toThrow(/expected a Float32Array of 3 elements .* got an Int32Array of 3 elements/);
    expect(() => t.dataSyncInto([1, 2, 3] as unknown as Float32Array)).toThrow(/got an Array of 3 elements/);
  });

  it('falls back to readSync on a backend without readInto, and refuses a backend that cannot read synchronously', () => {
    const plain: Backend = { ...createCpuBackend(), name: 'plain', readInto: undefined, write: undefined };
    const out = new Float32Array(2);
    withBackend(plain, () => tensor([5, 6], [2]).dataSyncInto(out));
    expect(Array.from(out)).toEqual([5, 6]);
    const asyncOnly: Backend = { ...createCpuBackend(), name: 'async-only', readSync: undefined, readInto: undefined };
    expect(() => withBackend(asyncOnly, () => tensor([5, 6], [2]).dataSyncInto(out))).toThrow(
      /^core: dataSyncInto: expected a backend that reads synchronously, got backend 'async-only'/,
    );
  });
});

describe('assignValues', () => {
  it('writes an array into the tensor in place (no new storage), and views of it see the values', () => {
    const t = tensor([0, 0, 0, 0], [2, 2]);
    const view = reshape(t, [4]);
    const before = memory().backendBytes;
    const storages = memory().liveStorages;
    const values = new Float32Array([1, 2, 3, 4]);
    assignValues(t, values);
    expect(memory().backendBytes).toBe(before);
    expect(memory().liveStorages).toBe(storages);
    expect(t.arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(Array.from(view.dataSync())).toEqual([1, 2, 3, 4]);
    values[0] = 9; // the caller keeps its array: the tensor does not alias it
    expect(t.dataSync()[0]).toBe(1);
    const ids = tensor([0, 0], [2], 'i32');
    assignValues(ids, new Int32Array([3, -4]));
    expect(Array.from(ids.dataSync())).toEqual([3, -4]);
  });

  it('on a backend without write, takes new storage holding the values (as assign does)', () => {
    const plain: Backend = { ...createCpuBackend(), name: 'plain', write: undefined };
    withBackend(plain, () =>
      tidy(() => {
        const t = tensor([0, 0, 0], [3]);
        assignValues(t, new Float32Array([4, 5, 6]));
        expect(Array.from(t.dataSync())).toEqual([4, 5, 6]);
        expect(t.isDisposed).toBe(false);
      }),
    );
  });

  it('refuses values of another type or length and leaves the tensor unchanged', () => {
    const t = tensor([1, 2], [2]);
    expect(() => assignValues(t, new Float32Array(3))).toThrow(
      /^core: assignValues: expected a Float32Array of 2 elements \(the target is f32 \[2\]\), got a Float32Array of 3 elements\nhelp: /,
    );
    expect(() => assignValues(t, new Int32Array(2))).toThrow(/got an Int32Array of 2 elements/);
    expect(() => assignValues(tensor([1], [1], 'i32'), new Float32Array(1))).toThrow(/expected an Int32Array of 1 elements/);
    expect(Array.from(t.dataSync())).toEqual([1, 2]);
  });
});

describe('tensor() from a typed array of its dtype', () => {
  it('copies the values once: later changes to the array do not reach the tensor', () => {
    const values = new Float32Array([1, 2, 3]);
    const t = tensor(values, [3]);
    values[1] = 7;
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3]);
    const ids = new Int32Array([4, 5]);
    const u = tensor(ids, [2], 'i32');
    ids[0] = 0;
    expect(Array.from(u.dataSync())).toEqual([4, 5]);
  });
});
