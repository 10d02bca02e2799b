import { broadcastTo, concat, embedding, gather, matmul, max, mean, pad, permute, reshape, slice, sum, transpose } from '@wattformer/core';
import { at, f32, i32, type OpCase } from './op-case';

export const matmulCases: readonly OpCase[] = [
  { name: 'matmul', op: 'matmul', tolerance: 'matmul', inputs: [f32('a', [3, 5]), f32('b', [5, 4])], run: (x) => matmul(at(x, 0), at(x, 1)) },
  {
    name: 'matmul/transposeA',
    op: 'matmul',
    tolerance: 'matmul',
    inputs: [f32('a', [5, 3]), f32('b', [5, 4])],
    run: (x) => matmul(at(x, 0), at(x, 1), { transposeA: true }),
  },
  {
    name: 'matmul/transposeB',
    op: 'matmul',
    tolerance: 'matmul',
    inputs: [f32('a', [3, 5]), f32('b', [4, 5])],
    run: (x) => matmul(at(x, 0), at(x, 1), { transposeB: true }),
  },
  {
    name: 'matmul/batched-both-transposed',
    op: 'matmul',
    tolerance: 'matmul',
    inputs: [f32('a', [2, 5, 3]), f32('b', [2, 4, 5])],
    run: (x) => matmul(at(x, 0), at(x, 1), { transposeA: true, transposeB: true }),
  },
  { name: 'matmul/batched', op: 'matmul', tolerance: 'matmul', inputs: [f32('a', [3, 2, 5]), f32('b', [3, 5, 4])], run: (x) => matmul(at(x, 0), at(x, 1)) },
  { name: 'matmul/linear', op: 'matmul', tolerance: 'matmul', inputs: [f32('x', [2, 3, 6]), f32('w', [6, 5])], run: (x) => matmul(at(x, 0), at(x, 1)) },
  { name: 'matmul/rank4', op: 'matmul', tolerance: 'matmul', inputs: [f32('a', [2, 2, 3, 4]), f32('b', [2, 2, 4, 3])], run: (x) => matmul(at(x, 0), at(x, 1)) },
];

export const movementCases: readonly OpCase[] = [
  { name: 'reshape', op: 'reshape', tolerance: 'exact', inputs: [f32('a', [2, 6])], run: (x) => reshape(at(x, 0), [3, -1]).mul(1) },
  { name: 'transpose', op: 'transpose', tolerance: 'exact', inputs: [f32('a', [3, 4])], run: (x) => transpose(at(x, 0)) },
  { name: 'permute', op: 'permute', tolerance: 'exact', inputs: [f32('a', [2, 3, 4])], run: (x) => permute(at(x, 0), [1, 2, 0]) },
  { name: 'slice', op: 'slice', tolerance: 'exact', inputs: [f32('a', [4, 5])], run: (x) => slice(at(x, 0), [1, 2], [2, -1]) },
  { name: 'pad', op: 'pad', tolerance: 'exact', inputs: [f32('a', [2, 3])], run: (x) => pad(at(x, 0), [1, 0], [4, 5]) },
  { name: 'concat', op: 'concat', tolerance: 'exact', inputs: [f32('a', [2, 3]), f32('b', [2, 2])], run: (x) => concat([at(x, 0), at(x, 1)], 1) },
  { name: 'broadcastTo', op: 'broadcastTo', tolerance: 'exact', inputs: [f32('a', [3, 1])], run: (x) => broadcastTo(at(x, 0), [2, 3, 4]) },
];

export const reduceCases: readonly OpCase[] = [
  { name: 'sum/all', op: 'sum', tolerance: 'reduction', inputs: [f32('a', [3, 4, 5])], run: (x) => sum(at(x, 0)) },
  { name: 'sum/scattered-axes', op: 'sum', tolerance: 'reduction', inputs: [f32('a', [3, 4, 5])], run: (x) => sum(at(x, 0), [0, 2]) },
  { name: 'mean/last-keepDims', op: 'mean', tolerance: 'reduction', inputs: [f32('a', [3, 7])], run: (x) => mean(at(x, 0), -1, { keepDims: true }) },
  { name: 'max/axis', op: 'max', tolerance: 'exact', inputs: [f32('a', [3, 4, 2], { kind: 'distinct' })], run: (x) => max(at(x, 0), 1) },
];

export const gatherCases: readonly OpCase[] = [
  {
    name: 'gather/inner-axis',
    op: 'gather',
    tolerance: 'exact',
    inputs: [f32('x', [2, 5, 3]), i32('indices', [2, 2], { kind: 'values', values: [4, 0, 4, 2] })],
    run: (x) => gather(at(x, 0), at(x, 1), 1),
  },
  {
    name: 'embedding',
    op: 'embedding',
    tolerance: 'reduction',
    inputs: [f32('weight', [7, 4]), i32('ids', [2, 6], { kind: 'indices', max: 7 })],
    run: (x) => embedding(at(x, 0), at(x, 1)),
  },
];
