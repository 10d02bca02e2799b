// Runs inside a module Web Worker (a browser's main thread may not block in Atomics.wait):
// trains 3 steps with 1 and with 2 data-parallel replicas when the page is cross-origin
// isolated, or checks the single-thread fallback when it is not. Bundled by the test with esbuild.
import '@wattformer/backend-wasm';
import { DataParallelGpt } from '@wattformer/trainer';

const options = {
  config: { vocabSize: 32, contextLength: 8, modelDim: 16, layers: 2, heads: 2, mlpDim: 32, tiedEmbeddings: true },
  seed: 3,
  optimizer: { learningRate: 1e-2, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1 },
  backend: 'wasm',
  workerUrl: new URL('./replica.js', import.meta.url),
};
const [B, T] = [4, 8];
const tokens = Int32Array.from({ length: B * T }, (_, i) => (i * 5 + 1) % 32);
const targets = Int32Array.from({ length: B * T }, (_, i) => (i * 5 + 6) % 32);

async function run(): Promise<object> {
  const base = { isolated: self.crossOriginIsolated, sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined' };
  if (!self.crossOriginIsolated) {
    const auto = await DataParallelGpt.create(options);
    let refusal = '';
    try {
      await DataParallelGpt.create({ ...options, replicas: 2 });
    } catch (error) {
      refusal = (error as Error).message;
    }
    const loss = await auto.step(tokens, targets, B, 1);
    return { ...base, autoReplicas: auto.replicas, refusal, loss };
  }
  const single = await DataParallelGpt.create({ ...options, replicas: 1 });
  const parallel = await DataParallelGpt.create({ ...options, replicas: 2 });
  const losses: [number, number][] = [];
  for (let step = 1; step <= 3; step++) losses.push([await single.step(tokens, targets, B, step), await parallel.step(tokens, targets, B, step)]);
  let worst = 0;
  for (const [name, p] of single.parameters) {
    const [x, y] = [p.dataSync(), parallel.parameters.get(name)!.dataSync()];
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
  }
  parallel.dispose();
  return { ...base, replicas: parallel.replicas, losses, worstParameterDifference: worst };
}

run().then(
  (result) => postMessage(result),
  (error: Error) => postMessage({ error: error.stack ?? String(error) }),
);
