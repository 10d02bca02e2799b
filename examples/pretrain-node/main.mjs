// The library under `wattformer train`, in one page: a BPE tokenizer trained on Shakespeare, a
// GPT, trainLoop on every core (data-parallel replicas), text generation and the carbon cost.
// `bash scripts/main.sh` runs the full command instead (run folder, checkpoints, reports).
//   node examples/pretrain-node/main.mjs [--seconds 60] [--region FR]
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { setBackend } from '@wattformer/core';
import '@wattformer/backend-wasm'; // registers 'wasm'
import { initGptParameters, TextGenerator } from '@wattformer/model';
import { trainBpe } from '@wattformer/tokenizer';
import { createOptimizer, evaluate, ParallelGptGradients, readShakespeare, splitTokens, TokenBatches, trainLoop } from '@wattformer/trainer/node';
import { NodeTracker, toEstimateJson } from '@wattformer/carbon-estimator/node';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, region: { type: 'string', default: 'WORLD' } } });
const seconds = Number(values.seconds);
const tracker = new NodeTracker({ projectName: 'wattformer pretrain-node example', region: values.region });
await tracker.start();
await setBackend('wasm');

// 1. Text and a byte-level BPE tokenizer trained on it; 90% of the tokens train, 10% validate.
const text = await readShakespeare();
const tokenizer = await trainBpe(text, { vocabSize: 1024, specialTokens: ['<|endoftext|>'] });
const { train, validation } = splitTokens(Int32Array.from(tokenizer.encode(text)), 0.1);

// 2. A GPT (nanoGPT's CPU size) and AdamW; one replica per core computes gradients of its rows.
const config = { vocabSize: tokenizer.vocabSize, contextLength: 64, modelDim: 128, layers: 4, heads: 4, mlpDim: 512, tiedEmbeddings: true };
const parameters = initGptParameters(config, 1);
const replicas = Math.min(availableParallelism(), 4);
const parallel = await ParallelGptGradients.create({ config, parameters, replicas, workerUrl: new URL('./replica-worker.mjs', import.meta.url) });
const batches = (tokens, seed) => new TokenBatches(tokens, { batchSize: 12, contextLength: config.contextLength, seed });

// 3. Train for the time budget: the AbortSignal ends the loop cleanly after the current step.
const result = await trainLoop({
  model: parallel.model,
  optimizer: createOptimizer(parameters, { kind: 'adamw', learningRate: 1e-3, beta1: 0.9, beta2: 0.99, weightDecay: 0.1 }),
  batches: batches(train, 1),
  steps: 1_000_000,
  gradientClip: 1,
  signal: AbortSignal.timeout(seconds * 1000),
  onEvent: (e) => e.type === 'step' && e.step % 10 === 0 && console.log(`step ${e.step} loss ${e.loss.toFixed(3)} ${Math.round(e.tokens / e.seconds)} tok/s`),
});
const validationLoss = await evaluate(parallel.model, batches(validation, 2), 4);
parallel.dispose();
console.log(`${result.steps} steps on ${replicas} cores; validation loss ${validationLoss.toFixed(3)}`);

// 4. Text out: sampled, streamed as it is generated (never splitting a character).
const generator = new TextGenerator(parameters, config, tokenizer);
for await (const chunk of generator.stream('ROMEO.', { maxNewTokens: 80, sample: true, temperature: 0.8, topK: 50, seed: 1 })) process.stdout.write(chunk);

// 5. What it cost (CPU time × a per-core power model, RAPL when readable; the note says which).
const { report } = await tracker.stop();
const c = toEstimateJson(report);
console.log(
  `\ncarbon: ${(c.energyKWh * 1000).toPrecision(3)} Wh, ${(c.co2eKg * 1000).toPrecision(3)} g CO2e (${(c.co2eKgLow * 1000).toPrecision(3)}–${(c.co2eKgHigh * 1000).toPrecision(3)} g) at ${c.intensityGramsPerKWh} gCO2e/kWh`,
);
console.log(report.notes.find((note) => note.startsWith('What was measured')) ?? '');
