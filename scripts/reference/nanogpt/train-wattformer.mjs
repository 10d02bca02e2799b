// Our side of the nanoGPT CPU reference: the GPT of @wattformer/model trained by
// @wattformer/trainer's trainLoop (AdamW, warmup + cosine schedule, gradient clipping,
// random-window TokenBatches) on backend-wasm, one thread. Reads the token file exported by
// export-data.mjs and the shared nanogpt-config.json; writes one JSON result.
//
//   node train-wattformer.mjs --data DIR --seed 1 [--iters 2000] --out result.json
import { writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { noGrad, setBackend, tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { gptLoss, initGptParameters } from '@wattformer/model';
import { createOptimizer, trainLoop, TokenBatches } from '@wattformer/trainer';
import { readExportedChars } from './export-data.mjs';
import { fullSplitLoss, sampledLoss } from './evaluate-wattformer.mjs';

const { values: options } = parseArgs({
  options: {
    data: { type: 'string' },
    seed: { type: 'string', default: '1' },
    iters: { type: 'string' },
    out: { type: 'string' },
    'log-every': { type: 'string', default: '100' },
  },
});
if (!options.data || !options.out)
  throw new Error('reference: train-wattformer: expected --data DIR and --out FILE, got neither\nhelp: run it through run.mjs');
const settings = JSON.parse(readFileSync(new URL('./nanogpt-config.json', import.meta.url), 'utf8'));
const iters = Number(options.iters ?? settings.maxIters);
const seed = Number(options.seed);
const logEvery = Number(options['log-every']);

await setBackend('wasm');
const { meta, train, validation } = await readExportedChars(options.data);
const config = {
  vocabSize: meta.vocabSize,
  contextLength: settings.contextLength,
  modelDim: settings.modelDim,
  layers: settings.layers,
  heads: settings.heads,
  mlpDim: settings.mlpDim,
  tiedEmbeddings: true,
};
const [B, T] = [settings.batchSize, settings.contextLength];
const parameters = initGptParameters(config, seed);
const model = {
  parameters,
  loss: ({ tokens, targets }) => gptLoss(parameters, config, tensor(tokens, [tokens.length / T, T], 'i32'), tensor(targets, [targets.length / T, T], 'i32')),
};
const optimizer = createOptimizer(parameters, {
  kind: 'adamw',
  learningRate: settings.learningRate,
  beta1: settings.beta1,
  beta2: settings.beta2,
  epsilon: settings.epsilon,
  weightDecay: settings.weightDecay,
});
const schedule = {
  kind: 'cosine',
  learningRate: settings.learningRate,
  minLearningRate: settings.minLearningRate,
  warmupSteps: Math.min(settings.warmupIters, iters),
  totalSteps: options.iters ? iters : settings.lrDecayIters,
};

const curve = [];
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const started = performance.now();
const cpuStarted = cpuSeconds();
const result = await trainLoop({
  model,
  optimizer,
  batches: new TokenBatches(train, { batchSize: B, contextLength: T, seed }),
  steps: iters,
  schedule,
  gradientClip: settings.gradClip,
  onEvent: (event) => {
    if (event.type !== 'step') return;
    if (event.step % 10 === 0 || event.step === 1) curve.push([event.step, event.loss]);
    if (event.step % logEvery === 0)
      console.log(
        `wattformer seed ${seed}: step ${event.step}/${iters} loss ${event.loss.toFixed(4)} lr ${event.learningRate.toExponential(2)} ${Math.round(event.tokens / event.seconds)} tok/s`,
      );
  },
});
const trainSeconds = (performance.now() - started) / 1000;
const trainCpuSeconds = cpuSeconds() - cpuStarted;

const evalStarted = performance.now();
const evaluation = noGrad(() => ({
  validationLoss: fullSplitLoss(model, validation, B, T),
  validationLoss20: sampledLoss(model, validation, B, T, settings.evalIters, seed + 1),
  trainLoss20: sampledLoss(model, train, B, T, settings.evalIters, seed + 2),
}));
const evalSeconds = (performance.now() - evalStarted) / 1000;
const output = {
  side: 'wattformer',
  implementation: 'wattformer trainLoop, @wattformer/backend-wasm (SIMD), 1 thread',
  seed,
  iters: result.steps,
  ...evaluation,
  finalTrainLoss: result.losses.at(-1),
  trainSeconds,
  evalSeconds,
  tokensPerSecond: (result.steps * B * T) / trainSeconds,
  // Per CPU-second of this process: what the framework costs, less sensitive to other load.
  trainCpuSeconds,
  tokensPerCpuSecond: (result.steps * B * T) / trainCpuSeconds,
  selfCpuSeconds: cpuSeconds(),
  curve,
  runtime: `node ${process.versions.node}`,
};
await writeFile(options.out, `${JSON.stringify(output, null, 2)}\n`);
console.log(
  `wattformer seed ${seed}: validation loss ${evaluation.validationLoss.toFixed(4)} (whole split), ${evaluation.validationLoss20.toFixed(4)} (20 batches); ${trainSeconds.toFixed(0)} s training`,
);
