import {
  adamw,
  attention,
  clipGradNorm,
  dropout,
  embedding,
  gelu,
  layerNorm,
  ones,
  randn,
  setSeed,
  softmaxCrossEntropy,
  tensor,
  tidy,
  valueAndGrad,
  withBackend,
  zeros,
  type Backend,
  type Tensor,
} from '@wattformer/core';

/**
 * The conformance package's leak check (`describeLeakCheck`) ends each step with `itemSync()`,
 * which no WebGPU backend can serve. This is the same tiny attention block and step (embedding,
 * layerNorm, causal + padding attention, GELU MLP, dropout, cross-entropy, clipGradNorm, AdamW,
 * each step in a `tidy`), reading the loss with `await loss.item()` outside the scope instead.
 * The random stream is reseeded first, so every backend sees the same dropout masks.
 */
export async function trainTinyBlock(backend: Backend, steps: number, afterStep: () => void = () => {}): Promise<number[]> {
  setSeed(1234);
  const [V, C, H, hidden] = [11, 8, 2, 16];
  const init = (shape: number[], std = 0.2): Tensor => randn(shape, { std, seed: shape.reduce((a, b) => a * 31 + b, 7) });
  const { parameters, moments, ids, targets, keyMask } = withBackend(backend, () => {
    const p = {
      tokens: init([V, C]),
      lnGamma: ones([C]),
      lnBeta: zeros([C]),
      wq: init([C, C]),
      wk: init([C, C]),
      wv: init([C, C]),
      wo: init([C, C]),
      w1: init([hidden, C]),
      b1: zeros([hidden]),
      w2: init([C, hidden]),
      head: init([C, V]),
    };
    return {
      parameters: p,
      moments: Object.values(p).map((t) => ({ m: zeros(t.shape), v: zeros(t.shape) })),
      ids: tensor([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]], undefined, 'i32'),
      targets: tensor([[2, 3, 4, 5, 6], [7, 8, 9, -100, -100]], undefined, 'i32'),
      keyMask: tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]),
    };
  });
  const list = Object.values(parameters);
  const forward = (): Tensor => {
    const p = parameters;
    const x = embedding(p.tokens, ids); // (B, T, C)
    const h = layerNorm(x, p.lnGamma, p.lnBeta);
    const attended = attention(h.matmul(p.wq), h.matmul(p.wk), h.matmul(p.wv), { numHeads: H, causal: true, keyMask });
    const x2 = x.add(attended.matmul(p.wo));
    const mlp = gelu(x2.matmul(p.w1, { transposeB: true }).add(p.b1)).matmul(p.w2, { transposeB: true });
    return softmaxCrossEntropy(x2.add(dropout(mlp, 0.1)).matmul(p.head), targets);
  };
  const losses: number[] = [];
  for (let step = 1; step <= steps; step++) {
    const loss = withBackend(backend, () =>
      tidy(() => {
        const { value, grads } = valueAndGrad(forward, list);
        const clipped = clipGradNorm(grads, 1);
        list.forEach((p, i) => adamw(p, clipped.grads[i]!, moments[i]!.m, moments[i]!.v, { learningRate: 0.01, step }));
        return value;
      }),
    );
    losses.push(await loss.item());
    loss.dispose();
    afterStep();
  }
  return losses;
}

