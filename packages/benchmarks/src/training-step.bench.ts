/**
 * Tiny-GPT training step (4 layers, 4 heads, d_model 128, MLP 512, context 128, batch 16,
 * vocab 256): tokens/s for wattformer on wasm with one core and with both cores (data-parallel
 * workers), the cpu oracle backend, and the same model written for TF.js (tfjs-backend-wasm, one
 * thread). Interleaved rounds after warm-up; medians, min–max, ratios. `npm run bench`.
 */
import * as tf from '@tensorflow/tfjs';
import { adamw, keep, setBackend, tensor, tidy, valueAndGrad, zerosLike } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { gptLoss, gptPresets, initGptParameters } from '@wattformer/model';
import { ParallelGptGradients } from '@wattformer/trainer';
import { cpus } from 'node:os';
import { formatSummary, summarize } from './stats';
import { createTfjsGpt, tfjsTrainStep } from './tfjs-gpt';
import { setUpTfjsWasm } from './tfjs-setup';
import { writeResults } from './write-results';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 7;
const WARMUP = 2;
const B = 16;
const config = gptPresets.tiny;
const T = config.contextLength;
const optimizer = { learningRate: 1e-3, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0 };
const tokens = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + (i >> 7)) % config.vocabSize);
const targets = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + (i >> 7) + 7) % config.vocabSize);

/** A plain single-threaded step on the active backend: valueAndGrad + fused AdamW. */
function directTrainer(seed: number) {
  const p = initGptParameters(config, seed);
  const list = [...p.values()];
  const [m, v] = [list.map((x) => keep(zerosLike(x))), list.map((x) => keep(zerosLike(x)))];
  const x = keep(tensor(tokens, [B, T], 'i32'));
  const y = keep(tensor(targets, [B, T], 'i32'));
  let step = 0;
  return () => {
    step++;
    const loss = tidy(() => {
      const { value, grads } = valueAndGrad(() => gptLoss(p, config, x, y), list);
      grads.forEach((g, i) => adamw(list[i]!, g, m[i]!, v[i]!, { ...optimizer, step }));
      return value.dataSync()[0]!;
    });
    return loss;
  };
}

/**
 * The same step on 2 cores: the trainer's data-parallel path (workers compute their rows'
 * gradients, one all-reduce), then the same fused AdamW on this thread.
 */
async function parallelTrainer(seed: number, replicas: number) {
  const p = initGptParameters(config, seed);
  const list = [...p.values()];
  const [m, v] = [list.map((x) => keep(zerosLike(x))), list.map((x) => keep(zerosLike(x)))];
  const parallel = await ParallelGptGradients.create({ config, parameters: p, replicas, workerUrl: new URL('./replica-worker.mjs', import.meta.url) });
  let step = 0;
  const run = () => {
    step++;
    return tidy(() => {
      const { value, grads } = parallel.lossAndGradients(list, { tokens, targets }, B);
      grads.forEach((g, i) => adamw(list[i]!, g, m[i]!, v[i]!, { ...optimizer, step }));
      return value;
    });
  };
  return { run, dispose: () => parallel.dispose() };
}

async function timed(fn: () => number | Promise<number>): Promise<{ seconds: number; loss: number }> {
  const start = performance.now();
  const loss = await fn();
  return { seconds: (performance.now() - start) / 1000, loss };
}

async function main(): Promise<void> {
  const anchor = await setUpTfjsWasm();
  await setBackend('wasm');
  const cores = cpus().length;
  console.log(`tiny GPT ${JSON.stringify(config)}, batch ${B}; ${cores} cores; anchor: ${anchor}`);
  const ours1 = directTrainer(1);
  const ours2 = await parallelTrainer(1, 2);
  const tfModel = createTfjsGpt(config, 1);
  const tfOptimizer = tf.train.adam(optimizer.learningRate, optimizer.beta1, optimizer.beta2, optimizer.epsilon);
  const tfTokens = tf.tensor2d(tokens, [B, T], 'int32');
  const tfTargets = tf.tensor2d(targets, [B, T], 'int32');
  const impls: Record<string, () => number | Promise<number>> = {
    'wattformer wasm, 1 core': ours1,
    'wattformer wasm, 2 cores (data-parallel)': ours2.run,
    'TF.js wasm, 1 thread': () => tfjsTrainStep(tfModel, tfOptimizer, tfTokens, tfTargets),
  };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(impls).map((k) => [k, []]));
  const losses: Record<string, number[]> = Object.fromEntries(Object.keys(impls).map((k) => [k, []]));
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    for (const [name, fn] of Object.entries(impls)) {
      const { seconds, loss } = await timed(fn);
      losses[name]!.push(loss);
      if (round >= WARMUP) samples[name]!.push((B * T) / seconds);
    }
    process.stdout.write(`round ${round + 1}/${WARMUP + ROUNDS}${round < WARMUP ? ' (warm-up)' : ''}\r`);
  }
  ours2.dispose();
  // The cpu oracle takes ~a minute per step here: one sample, on its own.
  const cpuSamples: number[] = [];
  if (!process.argv.includes('--no-cpu')) {
    await setBackend('cpu');
    const oursCpu = directTrainer(1);
    const { seconds } = await timed(oursCpu);
    cpuSamples.push((B * T) / seconds);
    samples['wattformer cpu (oracle), 1 step'] = cpuSamples;
  }
  const stats = Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, summarize(s)]));
  console.log('\ntokens/s (median, min–max):');
  for (const [name, s] of Object.entries(stats)) console.log(`  ${name.padEnd(44)} ${formatSummary(s)}`);
  const med = (k: string) => stats[k]!.median;
  const ratios = {
    wasmVsTfjs: med('wattformer wasm, 1 core') / med('TF.js wasm, 1 thread'),
    twoCoresVsOneCore: med('wattformer wasm, 2 cores (data-parallel)') / med('wattformer wasm, 1 core'),
    twoCoresVsTfjs: med('wattformer wasm, 2 cores (data-parallel)') / med('TF.js wasm, 1 thread'),
    ...(cpuSamples.length ? { wasmVsCpu: med('wattformer wasm, 1 core') / med('wattformer cpu (oracle), 1 step') } : {}),
  };
  console.log(
    'ratios:',
    Object.entries(ratios)
      .map(([k, r]) => `${k} ${r.toFixed(2)}×`)
      .join(', '),
  );
  console.log('losses after each step (same data, same seed):', Object.fromEntries(Object.entries(losses).map(([k, l]) => [k, l.map((x) => +x.toFixed(4))])));
  writeResults('training-step', { config, batch: B, anchor, rounds: ROUNDS, warmup: WARMUP, unit: 'tokens/s', stats, ratios, losses });
}

await main();
