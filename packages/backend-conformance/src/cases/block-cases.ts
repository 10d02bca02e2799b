import { attention, dropout, embedding, gelu, layerNorm, softmaxCrossEntropy } from '@wattformer/core';
import { at, f32, i32, type OpCase } from './op-case';

const [V, B, T, C, H, hidden] = [13, 2, 5, 8, 2, 12];

/**
 * A whole pre-norm Transformer block with a loss, as the model package will build it: every op
 * interacting in one graph (embedding, layer norm, causal + padding attention, GELU MLP, dropout,
 * residuals, cross-entropy with ignored targets). Catches errors that only appear in composition.
 */
export const blockCases: readonly OpCase[] = [
  {
    name: 'block/transformer',
    op: 'block',
    tolerance: 'fused',
    inputs: [
      f32('tokens', [V, C], { kind: 'normal', scale: 0.5 }),
      f32('lnGamma', [C], { kind: 'positive' }),
      f32('lnBeta', [C], { kind: 'normal', scale: 0.1 }),
      f32('wq', [C, C], { kind: 'normal', scale: 0.4 }),
      f32('wk', [C, C], { kind: 'normal', scale: 0.4 }),
      f32('wv', [C, C], { kind: 'normal', scale: 0.4 }),
      f32('w1', [hidden, C], { kind: 'normal', scale: 0.4 }),
      f32('w2', [C, hidden], { kind: 'normal', scale: 0.4 }),
      f32('head', [C, V], { kind: 'normal', scale: 0.4 }),
      i32('ids', [B, T], { kind: 'indices', max: V }),
      i32('targets', [B, T], { kind: 'values', values: [1, 2, 3, 4, -100, 5, 6, 7, -100, -100] }),
      { name: 'keyMask', shape: [B, T], fill: { kind: 'values', values: [1, 1, 1, 1, 1, 1, 1, 1, 0, 0] }, differentiable: false },
    ],
    run: (x) => {
      const [tokens, gamma, beta, wq, wk, wv, w1, w2, head] = Array.from({ length: 9 }, (_, i) => at(x, i));
      const ids = at(x, 9);
      const targets = at(x, 10);
      const keyMask = at(x, 11);
      const h0 = embedding(tokens!, ids); // (B, T, C)
      const n = layerNorm(h0, gamma!, beta!);
      const a = attention(n.matmul(wq!), n.matmul(wk!), n.matmul(wv!), { numHeads: H, causal: true, keyMask });
      const h1 = h0.add(a);
      const mlp = gelu(h1.matmul(w1!, { transposeB: true })).matmul(w2!, { transposeB: true });
      const h2 = h1.add(dropout(mlp, 0.2, { seed: 5 }));
      return softmaxCrossEntropy(h2.matmul(head!), targets);
    },
  },
];
