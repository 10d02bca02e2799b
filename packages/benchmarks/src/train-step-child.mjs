/**
 * One side of the train-step A/B (train-step-ab.bench.ts starts this in a fresh process per
 * sample, so each build has its own heap, its own wasm memory and its own peak RSS): the tiny-GPT
 * train step (valueAndGrad + fused AdamW, as training-step.bench.ts) on the packages built under
 * `--root` (a checkout with built dist/ and wasm/: this repository, or .tmp/ab-base), on one
 * core or with `--replicas 2` through the trainer's ParallelGptGradients. It measures the SIMD
 * peak (simd-peak.mjs) of the kernel build in use right before and after the steps, under the
 * same load, and prints one line: `RESULT {json}`.
 *
 * node packages/benchmarks/src/train-step-child.mjs --root <dir> [--replicas 1|2] [--steps 5] [--warmup 2]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createPeakProbe, measurePeak } from './simd-peak.mjs';
import { tinyGptTraining } from './tiny-gpt-training.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const root = resolve(arg('root', '.'));
const replicas = Number(arg('replicas', '1'));
const steps = Number(arg('steps', '5'));
const warmup = Number(arg('warmup', '2'));
const B = 16;

const dist = (pkg, entry = 'index.js') => pathToFileURL(resolve(root, 'packages', pkg, 'dist', entry)).href;
const core = await import(dist('core'));
const backend = await import(dist('backend-wasm'));
const model = await import(dist('model'));
const trainer = await import(dist('trainer'));
await core.setBackend('wasm');

const { config, T, tokens, targets, optimizer, p, list, m, v } = tinyGptTraining(core, model, B);

let lossAndGrads;
let dispose = () => {};
if (replicas === 1) {
  const x = core.keep(core.tensor(tokens, [B, T], 'i32'));
  const y = core.keep(core.tensor(targets, [B, T], 'i32'));
  lossAndGrads = () => {
    const { value, grads } = core.valueAndGrad(() => model.gptLoss(p, config, x, y), list);
    return { value: value.dataSync()[0], grads };
  };
} else {
  const workerUrl = new URL('./train-step-worker.mjs', import.meta.url);
  const parallel = await trainer.ParallelGptGradients.create({
    config,
    parameters: p,
    replicas,
    createWorker: () => new Worker(workerUrl, { workerData: { root } }),
  });
  lossAndGrads = () => parallel.lossAndGradients(list, { tokens, targets }, B);
  dispose = () => parallel.dispose();
}

let step = 0;
const trainStep = () => {
  step++;
  return core.tidy(() => {
    const { value, grads } = lossAndGrads();
    grads.forEach((g, i) => core.adamw(list[i], g, m[i], v[i], { ...optimizer, step }));
    return value;
  });
};

const build = backend.wasmBuild();
const probe = createPeakProbe(build);
const peaks = [measurePeak(probe)];
const losses = [];
const rates = [];
// Tokens per CPU-second of the whole process (this thread and any workers): on a loaded machine
// the scheduler stretches wall time, CPU time much less; with workers it shows the extra work.
const cpuRates = [];
for (let i = 0; i < warmup + steps; i++) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  losses.push(trainStep());
  const seconds = (performance.now() - start) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  if (i >= warmup) {
    rates.push((B * T) / seconds);
    cpuRates.push((B * T) / ((user + system) / 1e6));
  }
}
peaks.push(measurePeak(probe));
dispose();
const flopsPerToken = model.gptFlopsPerToken(config).training;
console.log(
  `RESULT ${JSON.stringify({
    root,
    replicas,
    build,
    rates,
    cpuRates,
    losses,
    peaks: peaks.map((p) => p.wall),
    cpuPeaks: peaks.map((p) => p.cpu),
    flopsPerToken,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    wasmMemoryMiB: backend.memoryBytes() / 2 ** 20,
  })}`,
);
