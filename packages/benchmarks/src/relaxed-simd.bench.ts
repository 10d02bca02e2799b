/**
 * Relaxed-SIMD build vs simd128 build of the wasm kernels: f32 matmul 512³ (GFLOP/s) and the
 * tiny-GPT training step (4 layers × d 128, context 128, batch 16; tokens/s, one core). Both
 * builds live in this one process and are called alternately (order flipped each pair), so the
 * load swings of a shared machine hit both alike. Matmul calls the raw exports of the two
 * instances (the kernel needs none of the glue); the train step runs through core on two backends,
 * `wasm-simd128` and `wasm-relaxed`, each made by `createWasmBackend` over its own copy of the
 * wasm-bindgen glue (imported twice under distinct URLs, so each holds its own instance).
 * Medians, min–max, ratios.
 * Run: `npx tsx packages/benchmarks/src/relaxed-simd.bench.ts [--quick] [--steps N] [--out <file>]`
 * (writes bench-results/relaxed-simd.json at the repository root unless --out says otherwise).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { adamw, keep, registerBackend, setBackend, tensor, tidy, valueAndGrad, zerosLike } from '@wattformer/core';
import type { WasmBuild } from '@wattformer/backend-wasm';
import { createWasmBackend } from '@wattformer/backend-wasm/internal';
import { gptLoss, gptPresets, initGptParameters } from '@wattformer/model';
import { formatSummary, summarize } from './stats';

const here = fileURLToPath(import.meta.url);
const quick = process.argv.includes('--quick');
const MATMUL_CALLS = quick ? 10 : 60;
const stepsArg = process.argv.indexOf('--steps');
const TRAIN_STEPS = stepsArg > 0 ? Math.max(1, Math.floor(Number(process.argv[stepsArg + 1]) || 12)) : quick ? 2 : 12;
const N = 512;
const B = 16;
const config = gptPresets.tiny;
const T = config.contextLength;
const BUILDS = ['simd128', 'relaxed'] as const;
const FILES: Record<WasmBuild, string> = { simd128: 'kernels_bg.wasm', relaxed: 'kernels_relaxed_bg.wasm' };
const wasmDir = resolve(dirname(fileURLToPath(import.meta.resolve('@wattformer/backend-wasm'))), '../wasm');
const wasmBytes = (build: WasmBuild) => readFileSync(resolve(wasmDir, FILES[build]));
const alternating = (i: number): readonly WasmBuild[] => (i % 2 ? ['relaxed', 'simd128'] : ['simd128', 'relaxed']);

interface RawKernels {
  memory: WebAssembly.Memory;
  allocF32(length: number): number;
  matmul(a: number, b: number, c: number, batch: number, m: number, n: number, k: number, ta: number, tb: number): void;
  relaxedSimdEnabled(): number;
}

function checkBuild(build: WasmBuild, relaxed: boolean): void {
  if (relaxed !== (build === 'relaxed')) throw new Error(`relaxed-simd bench: expected ${FILES[build]} to be the ${build} build, got the other`);
}

/** Matmul 512³ on raw instances of both builds, calls alternating. */
async function interleavedMatmul(): Promise<Record<WasmBuild, number[]>> {
  const instances = {} as Record<WasmBuild, { k: RawKernels; a: number; b: number; c: number }>;
  for (const build of BUILDS) {
    // The one import is wasm-bindgen's externref-table initialiser, which matmul never needs.
    const imports = { './kernels_bg.js': { __wbindgen_init_externref_table: () => {} } };
    const { instance } = await WebAssembly.instantiate(wasmBytes(build), imports);
    const k = instance.exports as unknown as RawKernels;
    checkBuild(build, Boolean(k.relaxedSimdEnabled()));
    const [a, b, c] = [k.allocF32(N * N), k.allocF32(N * N), k.allocF32(N * N)];
    new Float32Array(k.memory.buffer, a, N * N).set(Float32Array.from({ length: N * N }, (_, i) => Math.sin(i) * 0.5));
    new Float32Array(k.memory.buffer, b, N * N).set(Float32Array.from({ length: N * N }, (_, i) => Math.cos(i) * 0.5));
    instances[build] = { k, a, b, c };
  }
  const gflops: Record<WasmBuild, number[]> = { simd128: [], relaxed: [] };
  for (let call = -3; call < MATMUL_CALLS; call++) {
    for (const build of alternating(call)) {
      const { k, a, b, c } = instances[build];
      const start = performance.now();
      k.matmul(a, b, c, 1, N, N, N, 0, 0);
      if (call >= 0) gflops[build].push((2 * N * N * N) / ((performance.now() - start) / 1000) / 1e9);
    }
  }
  return gflops;
}

/** Registers `wasm-<build>`: createWasmBackend over a fresh copy of the glue and that build. */
async function registerBuild(build: WasmBuild): Promise<void> {
  type Glue = Parameters<typeof createWasmBackend>[0] & { initSync(options: { module: WebAssembly.Module }): { memory: WebAssembly.Memory } };
  const glue = (await import(`${pathToFileURL(resolve(wasmDir, 'kernels.js')).href}?build=${build}`)) as Glue;
  const { memory } = glue.initSync({ module: new WebAssembly.Module(wasmBytes(build)) });
  checkBuild(build, glue.relaxedSimdEnabled());
  registerBackend(`wasm-${build}`, () => createWasmBackend(glue, memory));
}

/** A single-threaded step (valueAndGrad + fused AdamW) whose tensors live on `backend`. */
async function trainer(backend: string): Promise<() => Promise<number>> {
  await setBackend(backend);
  const p = initGptParameters(config, 1);
  const list = [...p.values()];
  const [m, v] = [list.map((x) => keep(zerosLike(x))), list.map((x) => keep(zerosLike(x)))];
  const tokens = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + (i >> 7)) % config.vocabSize);
  const targets = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + (i >> 7) + 7) % config.vocabSize);
  const x = keep(tensor(tokens, [B, T], 'i32'));
  const y = keep(tensor(targets, [B, T], 'i32'));
  const optimizer = { learningRate: 1e-3, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0 };
  let step = 0;
  return async () => {
    await setBackend(backend);
    step++;
    return tidy(() => {
      const { value, grads } = valueAndGrad(() => gptLoss(p, config, x, y), list);
      grads.forEach((g, i) => adamw(list[i]!, g, m[i]!, v[i]!, { ...optimizer, step }));
      return value.dataSync()[0]!;
    });
  };
}

async function main(): Promise<void> {
  const outArg = process.argv.indexOf('--out');
  const repoRoot = resolve(dirname(here), '../../..');
  const outFile = outArg > 0 ? resolve(process.argv[outArg + 1]!) : resolve(repoRoot, 'bench-results/relaxed-simd.json');

  const matmulSamples = await interleavedMatmul();
  console.log(`matmul 512³ done (${MATMUL_CALLS} calls per build)`);

  for (const build of BUILDS) await registerBuild(build);
  const steps = { simd128: await trainer('wasm-simd128'), relaxed: await trainer('wasm-relaxed') };
  const rates: Record<WasmBuild, number[]> = { simd128: [], relaxed: [] };
  const losses: Record<WasmBuild, number[]> = { simd128: [], relaxed: [] };
  for (let round = -1; round < TRAIN_STEPS; round++) {
    for (const build of alternating(round)) {
      const start = performance.now();
      losses[build].push(await steps[build]());
      if (round >= 0) rates[build].push((B * T) / ((performance.now() - start) / 1000)); // round -1 warms up
    }
    process.stdout.write(`train step ${round + 2}/${TRAIN_STEPS + 1} per build\r`);
  }

  const stats = {
    'matmul 512³ GFLOP/s': { simd128: summarize(matmulSamples.simd128), relaxed: summarize(matmulSamples.relaxed) },
    'tiny-GPT train step tokens/s (1 core)': { simd128: summarize(rates.simd128), relaxed: summarize(rates.relaxed) },
  };
  const ratios = Object.fromEntries(Object.entries(stats).map(([k, s]) => [k, s.relaxed.median / s.simd128.median]));
  // Each relaxed sample next to the simd128 sample taken beside it: less exposed to load swings.
  const paired = (a: Record<WasmBuild, number[]>) => summarize(a.relaxed.map((r, i) => r / a.simd128[i]!));
  const pairedRatios = { 'matmul 512³ GFLOP/s': paired(matmulSamples), 'tiny-GPT train step tokens/s (1 core)': paired(rates) };
  console.log();
  for (const [k, s] of Object.entries(stats)) {
    console.log(`${k}: simd128 ${formatSummary(s.simd128, 1)}, relaxed ${formatSummary(s.relaxed, 1)}, relaxed/simd128 ${ratios[k]!.toFixed(3)}×`);
  }
  for (const [k, r] of Object.entries(pairedRatios)) console.log(`${k}: relaxed/simd128 per adjacent pair ${formatSummary(r, 3)}`);
  console.log('losses per step (same data, same seed):', losses);
  mkdirSync(dirname(outFile), { recursive: true });
  const record = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    command: `npx tsx packages/benchmarks/src/relaxed-simd.bench.ts${quick ? ' --quick' : ''}${stepsArg > 0 ? ` --steps ${TRAIN_STEPS}` : ''}`,
    method: `one process, both builds loaded; matmul: ${MATMUL_CALLS} calls per build alternating (order flipped each pair) after 3 warm-up pairs; train step: ${TRAIN_STEPS} steps per build alternating (order flipped each round) after 1 warm-up step each; ratios = ratio of medians; pairedRatios = median (min–max) of relaxed/simd128 over adjacent samples`,
    config,
    batch: B,
    stats,
    ratios,
    pairedRatios,
    losses,
  };
  writeFileSync(outFile, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`wrote ${outFile}`);
}

await main();
