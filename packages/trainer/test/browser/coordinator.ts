// Runs inside a module Web Worker (a browser's main thread may not block in Atomics.wait):
// trains 3 trainLoop steps with 1 and with 2 data-parallel replicas (ParallelGptGradients) when
// the page is cross-origin isolated, or checks the single-thread fallback when it is not.
// Bundled by the test with esbuild; the app, not the trainer, imports the backend.
import '@wattformer/backend-wasm';
import { setBackend } from '@wattformer/core';
import { initGptParameters } from '@wattformer/model';
import { createOptimizer, ParallelGptGradients, TokenBatches, trainLoop } from '@wattformer/trainer';

const config = { vocabSize: 32, contextLength: 8, modelDim: 16, layers: 2, heads: 2, mlpDim: 32, tiedEmbeddings: true };
const workerUrl = new URL('./replica.js', import.meta.url);
const stream = Int32Array.from({ length: 400 }, (_, i) => (i * 5 + (i >> 3)) % 32);

async function train(replicas: number | undefined) {
  const parameters = initGptParameters(config, 3);
  const parallel = await ParallelGptGradients.create({ config, parameters, workerUrl, ...(replicas === undefined ? {} : { replicas }) });
  try {
    const result = await trainLoop({
      model: parallel.model,
      optimizer: createOptimizer(parameters, { kind: 'adamw', learningRate: 1e-2, beta1: 0.9, beta2: 0.95, weightDecay: 0.1 }),
      batches: new TokenBatches(stream, { batchSize: 4, contextLength: 8, seed: 1 }),
      steps: 3,
    });
    return { replicas: parallel.replicas, losses: result.losses, parameters: [...parameters.values()].flatMap((p) => Array.from(p.dataSync())) };
  } finally {
    parallel.dispose();
  }
}

async function run(): Promise<object> {
  await setBackend('wasm');
  const base = { isolated: self.crossOriginIsolated, sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined' };
  if (!self.crossOriginIsolated) {
    const auto = await train(undefined);
    let refusal = '';
    try {
      await train(2);
    } catch (error) {
      refusal = (error as Error).message;
    }
    return { ...base, autoReplicas: auto.replicas, refusal, loss: auto.losses[0] };
  }
  const [single, parallel] = [await train(1), await train(2)];
  let worst = 0;
  single.parameters.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - parallel.parameters[i]!))));
  return { ...base, replicas: parallel.replicas, losses: single.losses.map((loss, i) => [loss, parallel.losses[i]!]), worstParameterDifference: worst };
}

run().then(
  (result) => postMessage(result),
  (error: Error) => postMessage({ error: error.stack ?? String(error) }),
);
