/**
 * What the 2-replica data-parallel step (trainer's ParallelGptGradients) costs beyond its two
 * halves, in CPU time (robust to a shared machine's time slicing), on the tiny GPT:
 *   - one core, batch 16 vs batch 8: does halving the rows per replica cost efficiency?
 *   - 2 replicas, batch 16: process CPU (both threads) and wall per step;
 *   - the data-parallel bookkeeping alone, on this thread: publish (every parameter read out of
 *     wasm straight into the shared buffer, `dataSyncInto`), gradients out (the same into the
 *     slot), the JS all-reduce over the replica's share, and the mean's upload back into tensors;
 *     next to it the same with `dataSync()` arrays and a two-copy upload (before s5d);
 *   - a worker's parameters per step: refreshed in place (`assignValues`) vs rebuilt as tensors.
 * Rounds alternate all of them. Prints medians.
 *
 * node packages/benchmarks/src/data-parallel-profile.mjs [--rounds 5] [--steps 3] [--root <checkout with built dist>]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { tinyBatch } from './tiny-gpt-training.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const root = resolve(arg('root', '.'));
const rounds = Number(arg('rounds', '5'));
const steps = Number(arg('steps', '3'));
const dist = (pkg) => pathToFileURL(resolve(root, 'packages', pkg, 'dist', 'index.js')).href;
const core = await import(dist('core'));
await import(dist('backend-wasm'));
const model = await import(dist('model'));
const trainer = await import(dist('trainer'));
await core.setBackend('wasm');

const config = model.gptPresets.tiny;
const T = config.contextLength;
const batch = (B) => tinyBatch(config, B);
const p = model.initGptParameters(config, 1);
const list = [...p.values()];
const single = (B) => {
  const { tokens, targets } = batch(B);
  const x = core.keep(core.tensor(tokens, [B, T], 'i32'));
  const y = core.keep(core.tensor(targets, [B, T], 'i32'));
  return () =>
    core.tidy(() => {
      const { value } = core.valueAndGrad(() => model.gptLoss(p, config, x, y), list);
      return value.dataSync()[0];
    });
};
const parallel = await trainer.ParallelGptGradients.create({
  config,
  parameters: p,
  replicas: 2,
  createWorker: () => new Worker(new URL('./train-step-worker.mjs', import.meta.url), { workerData: { root } }),
});
const b16 = batch(16);
const count = list.reduce((n, t) => n + t.size, 0);
const shared = new Float32Array(new SharedArrayBuffer(count * 4 * 4));
const views = (base) => {
  let offset = base;
  return list.map((t) => shared.subarray(offset, (offset += t.size)));
};
const [publishViews, slotViews] = [views(0), views(count)];
// The bookkeeping of one data-parallel step on this thread, without the model, as the trainer
// does it: publish and gradients out read straight into the shared buffer (dataSyncInto), this
// replica's half of the JS all-reduce, the mean uploaded into fresh tensors (one copy).
const bookkeeping = () =>
  core.tidy(() => {
    list.forEach((t, i) => t.dataSyncInto(publishViews[i])); // publish
    list.forEach((t, i) => t.dataSyncInto(slotViews[i])); // gradients out (same sizes)
    const half = count >> 1;
    for (let i = 0; i < half; i++) shared[2 * count + i] = (shared[i] + shared[count + i]) * 0.5;
    list.forEach((t, i) => core.tensor(publishViews[i], t.shape)); // mean → tensors
  });
// Before: dataSync() (a fresh array per parameter) then a copy into the shared buffer, each way.
const bookkeepingDataSync = () =>
  core.tidy(() => {
    let offset = 0;
    for (const t of list) shared.set(t.dataSync(), (offset += t.size) - t.size); // publish
    offset = count;
    for (const t of list) shared.set(t.dataSync(), (offset += t.size) - t.size); // gradients out
    const half = count >> 1;
    for (let i = 0; i < half; i++) shared[2 * count + i] = (shared[i] + shared[count + i]) * 0.5;
    offset = 0;
    for (const t of list) core.tensor(Float32Array.from(shared.subarray(offset, (offset += t.size))), t.shape); // upload: 2 copies, as tensor() made before
  });
// A worker's parameter refresh: in place from the shared buffer (assignValues), vs fresh tensors.
const copies = typeof core.assignValues === 'function' ? list.map((t, i) => core.keep(core.tensor(publishViews[i], t.shape))) : [];
const refresh = () => copies.forEach((t, i) => core.assignValues(t, publishViews[i]));
const rebuild = () => core.tidy(() => list.forEach((t, i) => core.tensor(publishViews[i], t.shape)));
// A --root checkout from before dataSyncInto/assignValues runs the model rows only.
const readInto = typeof core.assignValues === 'function';
const runs = {
  'one core, batch 16': single(16),
  'one core, batch 8': single(8),
  '2 replicas, batch 16': () => parallel.lossAndGradients(list, b16, 16).value,
  ...(readInto
    ? {
        'bookkeeping alone': bookkeeping,
        'bookkeeping, dataSync': bookkeepingDataSync,
        'worker refresh in place': refresh,
        'worker rebuild tensors': rebuild,
      }
    : { 'bookkeeping, dataSync': bookkeepingDataSync }),
};
const samples = Object.fromEntries(Object.keys(runs).map((k) => [k, { cpu: [], wall: [] }]));
for (let w = 0; w < 3; w++) for (const fn of Object.values(runs)) fn(); // warm: every thread tiered up
for (let round = 0; round < rounds; round++) {
  for (const [name, fn] of Object.entries(runs)) {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    for (let s = 0; s < steps; s++) core.tidy(() => void fn());
    const wall = (performance.now() - t0) / steps;
    const used = process.cpuUsage(cpu);
    samples[name].cpu.push((used.user + used.system) / 1000 / steps);
    samples[name].wall.push(wall);
  }
}
parallel.dispose();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const m = Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, { cpu: median(s.cpu), wall: median(s.wall) }]));
for (const [k, s] of Object.entries(m))
  console.log(`${k.padEnd(24)} CPU ${s.cpu.toFixed(1).padStart(7)} ms  wall ${s.wall.toFixed(1).padStart(7)} ms  (median of ${rounds})`);
const one16 = m['one core, batch 16'].cpu;
const one8 = m['one core, batch 8'].cpu;
const two = m['2 replicas, batch 16'].cpu;
console.log(`batch 8 costs ${((2 * one8) / one16).toFixed(3)}× half of batch 16's CPU (rows per replica)`);
console.log(
  `2 replicas cost ${(two / one16).toFixed(3)}× the CPU of one core at batch 16; ${(two - 2 * one8).toFixed(1)} ms per step beyond two batch-8 steps`,
);
if (readInto) {
  console.log(
    `bookkeeping alone ${m['bookkeeping alone'].cpu.toFixed(1)} ms CPU on one thread (publish, gradients out, half the reduce, upload); with dataSync() copies ${m['bookkeeping, dataSync'].cpu.toFixed(1)} ms`,
  );
  console.log(
    `worker parameters: refreshed in place ${m['worker refresh in place'].cpu.toFixed(2)} ms, rebuilt as tensors ${m['worker rebuild tensors'].cpu.toFixed(2)} ms CPU per step`,
  );
} else console.log(`bookkeeping with dataSync() copies ${m['bookkeeping, dataSync'].cpu.toFixed(1)} ms CPU on one thread (this checkout has no dataSyncInto)`);
console.log(`2 replicas' wall beyond one batch-8 step: ${(m['2 replicas, batch 16'].wall - m['one core, batch 8'].wall).toFixed(1)} ms (0 = perfect overlap)`);
console.log(`wall scaling here (shared machine): ${(m['one core, batch 16'].wall / m['2 replicas, batch 16'].wall).toFixed(3)}×`);
