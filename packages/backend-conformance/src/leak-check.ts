import {
  adamw,
  attention,
  clipGradNorm,
  dropout,
  embedding,
  gelu,
  layerNorm,
  memory,
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
  type MemoryInfo,
  type Tensor,
} from '@wattformer/core';

export interface LeakCheckResult {
  readonly losses: number[];
  readonly snapshots: Pick<MemoryInfo, 'liveTensors' | 'backendBytes' | 'liveStorages'>[];
}

/**
 * The leak check: a tiny attention block (embedding, layerNorm, causal + padding attention, GELU
 * MLP, dropout, cross-entropy) trained with clipGradNorm and AdamW, each step in a `tidy` as the
 * trainer runs it, on `backend`. Returns per-step losses and memory snapshots; live tensors and
 * backend bytes must not move after step 1 (which creates the cached causal mask and row offsets).
 * Each step runs synchronously on the backend, then its loss is read with `await item()`, so
 * backends without `readSync` (WebGPU) run the same check. The random stream is reseeded first,
 * so every backend draws the same dropout masks and the loss curves can be compared too.
 */
export async function runLeakCheck(backend: Backend, steps = 1000, afterStep?: () => void): Promise<LeakCheckResult> {
  setSeed(1234);
  const { forward, list, moments } = withBackend(backend, () => {
    const [V, _B, _T, C, H, hidden] = [11, 2, 5, 8, 2, 16];
    const init = (shape: number[], std = 0.2): Tensor => randn(shape, { std, seed: shape.reduce((a, b) => a * 31 + b, 7) });
    const parameters = {
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
    const list = Object.values(parameters);
    const moments = list.map((p) => ({ m: zeros(p.shape), v: zeros(p.shape) }));
    const ids = tensor(
      [
        [1, 2, 3, 4, 5],
        [6, 7, 8, 9, 10],
      ],
      undefined,
      'i32',
    );
    const targets = tensor(
      [
        [2, 3, 4, 5, 6],
        [7, 8, 9, -100, -100],
      ],
      undefined,
      'i32',
    );
    const keyMask = tensor([
      [1, 1, 1, 1, 1],
      [1, 1, 1, 0, 0],
    ]);

    const forward = (): Tensor => {
      const p = parameters;
      const x = embedding(p.tokens, ids); // (B, T, C)
      const h = layerNorm(x, p.lnGamma, p.lnBeta);
      const attended = attention(h.matmul(p.wq), h.matmul(p.wk), h.matmul(p.wv), { numHeads: H, causal: true, keyMask });
      const x2 = x.add(attended.matmul(p.wo));
      const mlp = gelu(x2.matmul(p.w1, { transposeB: true }).add(p.b1)).matmul(p.w2, { transposeB: true });
      const x3 = x2.add(dropout(mlp, 0.1));
      return softmaxCrossEntropy(x3.matmul(p.head), targets);
    };

    return { forward, list, moments };
  });
  const losses: number[] = [];
  const snapshots: { liveTensors: number; backendBytes: number; liveStorages: number }[] = [];
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
    const { liveTensors, backendBytes, liveStorages } = withBackend(backend, () => memory());
    snapshots.push({ liveTensors, backendBytes, liveStorages });
    afterStep?.();
  }
  return { losses, snapshots };
}
