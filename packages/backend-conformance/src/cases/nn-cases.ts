import { adamw, addLayerNorm, attention, clipGradNorm, concat, dropout, layerNorm, logSoftmax, reshape, softmax, softmaxCrossEntropy } from '@wattformer/core';
import { at, f32, i32, type OpCase } from './op-case';

const mask = (values: readonly number[], shape: readonly number[]) =>
  ({ name: 'keyMask', shape, fill: { kind: 'values', values }, differentiable: false }) as const;

export const nnCases: readonly OpCase[] = [
  { name: 'softmax', op: 'softmax', tolerance: 'fused', inputs: [f32('x', [3, 6], { kind: 'normal', scale: 3 })], run: (x) => softmax(at(x, 0)) },
  { name: 'softmax/axis0', op: 'softmax', tolerance: 'fused', inputs: [f32('x', [4, 3])], run: (x) => softmax(at(x, 0), 0) },
  { name: 'logSoftmax', op: 'logSoftmax', tolerance: 'fused', inputs: [f32('x', [3, 6], { kind: 'normal', scale: 3 })], run: (x) => logSoftmax(at(x, 0)) },
  {
    name: 'layerNorm',
    op: 'layerNorm',
    tolerance: 'fused',
    inputs: [f32('x', [2, 3, 8], { kind: 'normal', scale: 2 }), f32('gamma', [8]), f32('beta', [8])],
    run: (x) => layerNorm(at(x, 0), at(x, 1), at(x, 2)),
  },
  {
    // Both outputs (the new residual stream and its norm) in one tensor, so gradients flow through each.
    name: 'addLayerNorm',
    op: 'addLayerNorm',
    tolerance: 'fused',
    inputs: [f32('x', [2, 3, 8], { kind: 'normal', scale: 2 }), f32('residual', [2, 3, 8]), f32('gamma', [8]), f32('beta', [8])],
    run: (x) => {
      const { sum, y } = addLayerNorm(at(x, 0), at(x, 1), at(x, 2), at(x, 3));
      return concat([sum, y]);
    },
  },
  {
    // cols 13 (a 4-lane body and a tail), one row, an offset residual, epsilon 1e-3.
    name: 'addLayerNorm/one-row-odd',
    op: 'addLayerNorm',
    tolerance: 'fused',
    inputs: [f32('x', [1, 13], { kind: 'normal', scale: 3 }), f32('residual', [1, 13], { kind: 'positive' }), f32('gamma', [13]), f32('beta', [13])],
    run: (x) => {
      const { sum, y } = addLayerNorm(at(x, 0), at(x, 1), at(x, 2), at(x, 3), 1e-3);
      return concat([sum, y], 1);
    },
  },
  {
    // Only the norm is used downstream: the sum's gradient comes through y alone.
    name: 'addLayerNorm/y-only',
    op: 'addLayerNorm',
    tolerance: 'fused',
    inputs: [f32('x', [5, 6]), f32('residual', [5, 6], { kind: 'normal', scale: 2 }), f32('gamma', [6]), f32('beta', [6])],
    run: (x) => addLayerNorm(at(x, 0), at(x, 1), at(x, 2), at(x, 3)).y,
  },
  { name: 'dropout', op: 'dropout', tolerance: 'elementwise', inputs: [f32('x', [4, 16])], run: (x) => dropout(at(x, 0), 0.3, { seed: 77 }) },
  {
    name: 'attention',
    op: 'attention',
    tolerance: 'fused',
    inputs: [f32('q', [2, 4, 6]), f32('k', [2, 4, 6]), f32('v', [2, 4, 6])],
    run: (x) => attention(at(x, 0), at(x, 1), at(x, 2), { numHeads: 2 }),
  },
  {
    name: 'attention/causal',
    op: 'attention',
    tolerance: 'fused',
    inputs: [f32('q', [2, 5, 8]), f32('k', [2, 5, 8]), f32('v', [2, 5, 8])],
    run: (x) => attention(at(x, 0), at(x, 1), at(x, 2), { numHeads: 2, causal: true }),
  },
  {
    name: 'attention/causal-padding',
    op: 'attention',
    tolerance: 'fused',
    inputs: [f32('q', [2, 4, 4]), f32('k', [2, 4, 4]), f32('v', [2, 4, 4]), mask([1, 1, 1, 0, 1, 1, 0, 0], [2, 4])],
    run: (x) => attention(at(x, 0), at(x, 1), at(x, 2), { numHeads: 1, causal: true, keyMask: at(x, 3) }),
  },
  {
    name: 'attention/cross-padding',
    op: 'attention',
    tolerance: 'fused',
    inputs: [f32('q', [2, 3, 6]), f32('k', [2, 5, 6]), f32('v', [2, 5, 6]), mask([1, 1, 1, 1, 0, 1, 1, 0, 0, 0], [2, 5])],
    run: (x) => attention(at(x, 0), at(x, 1), at(x, 2), { numHeads: 3, keyMask: at(x, 3), scale: 0.3 }),
  },
  {
    name: 'attention/one-token',
    op: 'attention',
    tolerance: 'fused',
    inputs: [f32('q', [2, 1, 8]), f32('k', [2, 1, 8]), f32('v', [2, 1, 8])],
    run: (x) => attention(at(x, 0), at(x, 1), at(x, 2), { numHeads: 1, causal: true }),
  },
  {
    // 67 rows: not a multiple of any tile a tiled kernel uses (query tiles of 64, key tiles of 32 at D 64).
    name: 'attention/causal-d64-tile-edge',
    op: 'attention',
    tolerance: 'fused',
    inputs: [f32('q', [1, 67, 128]), f32('k', [1, 67, 128]), f32('v', [1, 67, 128])],
    run: (x) => attention(at(x, 0), at(x, 1), at(x, 2), { numHeads: 2, causal: true }),
  },
  {
    name: 'attention/d128-padding',
    op: 'attention',
    tolerance: 'fused',
    inputs: [
      f32('q', [2, 19, 128]),
      f32('k', [2, 19, 128]),
      f32('v', [2, 19, 128]),
      mask(
        Array.from({ length: 38 }, (_, i) => (i % 19 < 15 || i < 19 ? 1 : 0)),
        [2, 19],
      ),
    ],
    run: (x) => attention(at(x, 0), at(x, 1), at(x, 2), { numHeads: 1, keyMask: at(x, 3) }),
  },
  {
    name: 'softmaxCrossEntropy/ignore-index',
    op: 'softmaxCrossEntropy',
    tolerance: 'fused',
    inputs: [f32('logits', [2, 3, 5], { kind: 'normal', scale: 2 }), i32('targets', [2, 3], { kind: 'values', values: [0, 4, -100, 2, -100, 1] })],
    run: (x) => softmaxCrossEntropy(at(x, 0), at(x, 1)),
  },
  {
    name: 'adamw',
    op: 'adamw',
    tolerance: 'update',
    gradient: false,
    inputs: [f32('param', [10]), f32('grad', [10]), f32('m', [10], { kind: 'normal', scale: 0.1 }), f32('v', [10], { kind: 'positive' })],
    run: (x) => {
      const [param, grad, m, v] = [at(x, 0), at(x, 1), at(x, 2), at(x, 3)];
      adamw(param, grad, m, v, { learningRate: 0.01, weightDecay: 0.1, step: 3 });
      return concat([param, m, v]);
    },
  },
  {
    name: 'clipGradNorm',
    op: 'clipGradNorm',
    tolerance: 'reduction',
    gradient: false,
    inputs: [f32('g1', [3, 4]), f32('g2', [5])],
    run: (x) => {
      const { grads, norm } = clipGradNorm([at(x, 0), at(x, 1)], 0.5);
      return concat([reshape(grads[0]!, [-1]), grads[1]!, reshape(norm, [1])]);
    },
  },
];
