/**
 * Where a tiny-GPT train step's time goes, per backend call: wraps every method of the active
 * wasm backend (and each fused kernel's forward/backward) with a timer, runs warm-up steps and
 * then timed steps (valueAndGrad + AdamW, as train-step-child.mjs), and prints a table of time
 * per kernel (matmuls by shape and transpose, with their GFLOP/s), the step's wall time, and
 * the remainder outside any kernel call (JS: tape, shape checks, tensor bookkeeping, GC).
 * Then it times the matmul kernel alone at the block's shapes against 512³.
 *
 * node packages/benchmarks/src/train-step-profile.mjs [--root .] [--steps 4] [--warmup 2] [--json out.json]
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPeakProbe, measurePeak } from './simd-peak.mjs';
import { tinyGptTraining } from './tiny-gpt-training.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const root = resolve(arg('root', '.'));
const steps = Number(arg('steps', '4'));
const warmup = Number(arg('warmup', '2'));
const jsonOut = arg('json', '');
const matmulOnly = process.argv.includes('--matmul-only');
const B = 16;

const dist = (pkg) => pathToFileURL(resolve(root, 'packages', pkg, 'dist', 'index.js')).href;
const core = await import(dist('core'));
const backendPkg = await import(dist('backend-wasm'));
const model = await import(dist('model'));
await core.setBackend('wasm');

const backend = core.getBackend();
const times = new Map(); // key -> { ms, calls, flops }
let timing = false;
const record = (key, ms, cpuMs, flops = 0) => {
  if (!timing) return;
  const entry = times.get(key) ?? { ms: 0, cpuMs: 0, calls: 0, flops: 0 };
  entry.ms += ms;
  entry.cpuMs += cpuMs;
  entry.calls += 1;
  entry.flops += flops;
  times.set(key, entry);
};
const wrap = (object, name, keyOf, flopsOf) => {
  const original = object[name];
  object[name] = function (...args) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = original.apply(this, args);
    const end = performance.now();
    const used = process.cpuUsage(cpu);
    record(keyOf(args), end - start, (used.user + used.system) / 1000, flopsOf ? flopsOf(args) : 0);
    return result;
  };
};
for (const name of Object.keys(backend)) {
  if (typeof backend[name] !== 'function' || name === 'bytesInUse') continue;
  if (name === 'matmul') {
    wrap(
      backend,
      name,
      ([, , d]) => `matmul ${d.batch > 1 ? `${d.batch}×` : ''}${d.m}×${d.k}·${d.k}×${d.n}${d.transposeA ? ' Aᵀ' : ''}${d.transposeB ? ' Bᵀ' : ''}`,
      ([, , d]) => 2 * d.batch * d.m * d.n * d.k,
    );
  } else if (name === 'binary') {
    wrap(backend, name, ([op, , , plan]) => `binary ${op} [${plan.outShape.join('×')}]`);
  } else if (name === 'unary' || name === 'reduce') {
    wrap(backend, name, ([op]) => `${name} ${op}`);
  } else {
    wrap(backend, name, () => name);
  }
}
for (const [kernel, entry] of Object.entries(backend.fused ?? {})) {
  if (typeof entry === 'function') wrap(backend.fused, kernel, () => `fused ${kernel}`);
  else for (const phase of Object.keys(entry)) if (typeof entry[phase] === 'function') wrap(entry, phase, () => `fused ${kernel}.${phase}`);
}

const { config, T, tokens, targets, optimizer, p, list, m, v } = tinyGptTraining(core, model, B);
const x = core.keep(core.tensor(tokens, [B, T], 'i32'));
const y = core.keep(core.tensor(targets, [B, T], 'i32'));
let step = 0;
const phaseMs = { forwardBackward: 0, adamw: 0 };
const trainStep = () => {
  step++;
  return core.tidy(() => {
    const t0 = performance.now();
    const { value, grads } = core.valueAndGrad(() => model.gptLoss(p, config, x, y), list);
    const loss = value.dataSync()[0];
    const t1 = performance.now();
    grads.forEach((g, i) => core.adamw(list[i], g, m[i], v[i], { ...optimizer, step }));
    const t2 = performance.now();
    if (timing) {
      phaseMs.forwardBackward += t1 - t0;
      phaseMs.adamw += t2 - t1;
    }
    return loss;
  });
};
for (let i = 0; i < (matmulOnly ? 0 : warmup); i++) trainStep();
timing = true;
const cpuStart = process.cpuUsage();
const start = performance.now();
const losses = [];
const timedSteps = matmulOnly ? 1 : steps;
for (let i = 0; i < timedSteps; i++) losses.push(trainStep());
const wallMs = (performance.now() - start) / timedSteps;
const cpuUsed = process.cpuUsage(cpuStart);
const cpuMs = (cpuUsed.user + cpuUsed.system) / 1000 / timedSteps;
timing = false;

const probe = createPeakProbe(backendPkg.wasmBuild());
const peak = measurePeak(probe).wall;
const flopsPerToken = model.gptFlopsPerToken(config).training;
// Per CPU-second: a loaded machine's time slicing stretches wall times, much less CPU times.
const rows = [...times].map(([key, e]) => ({
  key,
  msPerStep: e.ms / timedSteps,
  cpuMsPerStep: e.cpuMs / timedSteps,
  callsPerStep: e.calls / timedSteps,
  gflops: e.flops ? e.flops / (e.ms / 1000) / 1e9 : null,
  cpuGflops: e.flops ? e.flops / (e.cpuMs / 1000) / 1e9 : null,
}));
rows.sort((a, b) => b.cpuMsPerStep - a.cpuMsPerStep);
const kernelMs = rows.reduce((s, r) => s + r.msPerStep, 0);
const kernelCpuMs = rows.reduce((s, r) => s + r.cpuMsPerStep, 0);
const pct = (ms, of = wallMs) => `${((100 * ms) / of).toFixed(1).padStart(5)}%`;
console.log(
  `build ${backendPkg.wasmBuild()}, peak ${peak.toFixed(1)} GFLOP/s; step ${wallMs.toFixed(1)} ms = ${((B * T) / (wallMs / 1000)).toFixed(0)} tokens/s = ${((B * T * flopsPerToken) / (wallMs / 1e3) / 1e9).toFixed(1)} GFLOP/s (${((100 * (B * T * flopsPerToken)) / (wallMs / 1e3) / 1e9 / peak).toFixed(0)}% of peak); ideal at peak ${(((B * T * flopsPerToken) / peak / 1e9) * 1e3).toFixed(1)} ms`,
);
console.log(
  `step CPU time ${cpuMs.toFixed(1)} ms = ${((B * T) / (cpuMs / 1000)).toFixed(0)} tokens per CPU-second = ${((B * T * flopsPerToken) / (cpuMs / 1e3) / 1e9).toFixed(1)} GFLOP per CPU-second`,
);
console.log(`losses ${losses.map((l) => l.toFixed(5)).join(' ')}`);
console.log(`${'backend call'.padEnd(44)} ${'CPU ms'.padStart(8)} ${'of CPU'.padStart(6)}  calls  GFLOP/CPU-s   (wall ms)`);
for (const r of rows) {
  console.log(
    `${r.key.padEnd(44)} ${r.cpuMsPerStep.toFixed(2).padStart(8)} ${pct(r.cpuMsPerStep, cpuMs)}  ${String(r.callsPerStep).padStart(5)}${r.cpuGflops ? r.cpuGflops.toFixed(1).padStart(12) : ''.padStart(12)}   (${r.msPerStep.toFixed(2)})`,
  );
}
console.log(
  `${'all kernel calls'.padEnd(44)} ${kernelCpuMs.toFixed(2).padStart(8)} ${pct(kernelCpuMs, cpuMs)}   (wall ${kernelMs.toFixed(2)} of ${wallMs.toFixed(2)})`,
);
console.log(
  `${'outside kernels (JS, tape, GC)'.padEnd(44)} ${(cpuMs - kernelCpuMs).toFixed(2).padStart(8)} ${pct(cpuMs - kernelCpuMs, cpuMs)}   (wall ${(wallMs - kernelMs).toFixed(2)})`,
);
console.log(`phases: forward+backward ${(phaseMs.forwardBackward / timedSteps).toFixed(1)} ms, adamw loop ${(phaseMs.adamw / timedSteps).toFixed(1)} ms`);

// The matmul kernel alone at the block's shapes (M = B·T rows), interleaved, against 512³.
const M = B * T;
const C = config.modelDim;
const F = config.mlpDim;
const V = config.vocabSize;
const shapes = [
  ['512³', 512, 512, 512, false, false],
  ['qkv fwd', M, C, 3 * C, false, false],
  ['qkv dX (dY·Wᵀ)', M, 3 * C, C, false, true],
  ['qkv dW (Xᵀ·dY)', C, M, 3 * C, true, false],
  ['fc fwd', M, C, F, false, false],
  ['fc dX', M, F, C, false, true],
  ['fc dW', C, M, F, true, false],
  ['proj fwd', M, F, C, false, false],
  ['proj dX', M, C, F, false, true],
  ['proj dW', F, M, C, true, false],
  ['head fwd (X·Eᵀ)', M, C, V, false, true],
];
const rand = (n) => core.keep(core.randn([n], { seed: n }));
const mm = shapes.map(([name, m_, k, n, ta, tb]) => {
  const a = rand(m_ * k);
  const b = rand(k * n);
  return { name, m: m_, k, n, ta, tb, a: core.reshape(a, ta ? [k, m_] : [m_, k]), b: core.reshape(b, tb ? [n, k] : [k, n]), samples: [], cpuSamples: [] };
});
for (let round = 0; round < 5; round++) {
  for (const s of mm) {
    const reps = Math.max(1, Math.round(2e8 / (2 * s.m * s.n * s.k)));
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) core.tidy(() => core.matmul(s.a, s.b, { transposeA: s.ta, transposeB: s.tb }));
    const secs = (performance.now() - t0) / 1000 / reps;
    const used = process.cpuUsage(cpu);
    s.samples.push((2 * s.m * s.n * s.k) / secs / 1e9);
    s.cpuSamples.push((2 * s.m * s.n * s.k * reps) / ((used.user + used.system) / 1e6) / 1e9);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const matmulAlone = mm.map((s) => ({
  name: s.name,
  shape: `${s.m}×${s.k}·${s.k}×${s.n}${s.ta ? ' Aᵀ' : ''}${s.tb ? ' Bᵀ' : ''}`,
  gflops: median(s.samples),
  min: Math.min(...s.samples),
  max: Math.max(...s.samples),
  perCpuSecond: median(s.cpuSamples),
}));
console.log('\nmatmul alone (median of 5, min–max GFLOP/s; per CPU-second):');
for (const r of matmulAlone)
  console.log(
    `${r.name.padEnd(18)} ${r.shape.padEnd(26)} ${r.gflops.toFixed(1)} (${r.min.toFixed(1)}–${r.max.toFixed(1)}) = ${((100 * r.gflops) / peak).toFixed(0)}% of peak; per CPU-s ${r.perCpuSecond.toFixed(1)}`,
  );
if (jsonOut)
  writeFileSync(
    jsonOut,
    `${JSON.stringify({ date: new Date().toISOString(), command: `node packages/benchmarks/src/train-step-profile.mjs --steps ${steps} --warmup ${warmup} --json ${jsonOut}`, node: process.version, build: backendPkg.wasmBuild(), peak, wallMs, cpuMs, losses, rows, kernelMs, kernelCpuMs, phaseMs, matmulAlone }, null, 2)}\n`,
  );
