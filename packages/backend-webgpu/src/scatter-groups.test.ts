import { describe, expect, it } from 'vitest';
import { groupByIndex } from './scatter-groups';

describe('groupByIndex', () => {
  it('lists each row’s positions in ascending order, rows without updates empty', () => {
    const { starts, positions } = groupByIndex(Int32Array.from([2, 0, 2, 3, 0]), 5, 4);
    expect(Array.from(starts)).toEqual([0, 2, 2, 4, 5]);
    expect(Array.from(positions)).toEqual([1, 4, 0, 2, 3]);
  });

  it('handles no updates', () => {
    const { starts, positions } = groupByIndex(new Int32Array(0), 0, 3);
    expect(Array.from(starts)).toEqual([0, 0, 0, 0]);
    expect(positions.length).toBe(1);
  });
});
