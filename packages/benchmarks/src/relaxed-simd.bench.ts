/**
 * Relaxed-SIMD build vs simd128 build of the wasm kernels: f32 matmul 512³ (GFLOP/s) and the
 * tiny-GPT training step (4 layers × d 128, context 128, batch 16; tokens/s, one core).
 * One wasm-bindgen glue holds one instance per process, so the builds alternate in child
 * processes of one run (order flipped each round), each child forcing its build with
 * WATTFORMER_WASM_BUILD and checking that it got it. Medians, min–max, ratios across rounds.
 * Run: `npx tsx packages/benchmarks/src/relaxed-simd.bench.ts [--quick] [--out <file>]`
 * (writes bench-results/relaxed-simd.json at the repository root unless --out says otherwise).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adamw, keep, setBackend, tensor, tidy, valueAndGrad, zerosLike } from '@wattformer/core';
import { initWasm, matmul, WasmF32Buffer, wasmBuild, type WasmBuild } from '@wattformer/backend-wasm';
import { gptLoss, gptPresets, initGptParameters } from '@wattformer/model';
import { formatSummary, summarize } from './stats';

const here = fileURLToPath(import.meta.url);
const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 5;
const MATMUL_REPS = quick ? 5 : 15;
const STEPS = quick ? 2 : 4;
const N = 512;
const B = 16;
const config = gptPresets.tiny;
const T = config.contextLength;

interface ChildResult {
  build: WasmBuild;
  matmulGflops: number;
  trainTokensPerSecond: number;
  losses: number[];
}

const median = (xs: number[]) => summarize(xs).median;

/** One child: warm up, then the median of its repetitions of each workload. */
async function child(build: WasmBuild): Promise<ChildResult> {
  await initWasm({ build });
  if (wasmBuild() !== build) throw new Error(`relaxed-simd bench: expected build ${build}, got ${wasmBuild()}`);
  const a = WasmF32Buffer.from(Float32Array.from({ length: N * N }, (_, i) => Math.sin(i) * 0.5));
  const b = WasmF32Buffer.from(Float32Array.from({ length: N * N }, (_, i) => Math.cos(i) * 0.5));
  const out = WasmF32Buffer.allocate(N * N);
  const A = { buffer: a, shape: [N, N] };
  const Bm = { buffer: b, shape: [N, N] };
  for (let i = 0; i < 3; i++) matmul(A, Bm, {}, out);
  const gflops: number[] = [];
  for (let i = 0; i < MATMUL_REPS; i++) {
    const start = performance.now();
    matmul(A, Bm, {}, out);
    gflops.push((2 * N * N * N) / ((performance.now() - start) / 1000) / 1e9);
  }

  await setBackend('wasm');
  const p = initGptParameters(config, 1);
  const list = [...p.values()];
  const [m, v] = [list.map((x) => keep(zerosLike(x))), list.map((x) => keep(zerosLike(x)))];
  const tokens = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + (i >> 7)) % config.vocabSize);
  const targets = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + (i >> 7) + 7) % config.vocabSize);
  const x = keep(tensor(tokens, [B, T], 'i32'));
  const y = keep(tensor(targets, [B, T], 'i32'));
  const optimizer = { learningRate: 1e-3, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0 };
  const losses: number[] = [];
  const rates: number[] = [];
  for (let step = 1; step <= STEPS + 1; step++) {
    const start = performance.now();
    losses.push(
      tidy(() => {
        const { value, grads } = valueAndGrad(() => gptLoss(p, config, x, y), list);
        grads.forEach((g, i) => adamw(list[i]!, g, m[i]!, v[i]!, { ...optimizer, step }));
        return value.dataSync()[0]!;
      }),
    );
    if (step > 1) rates.push((B * T) / ((performance.now() - start) / 1000)); // step 1 warms up
  }
  return { build, matmulGflops: median(gflops), trainTokensPerSecond: median(rates), losses };
}

function runChild(build: WasmBuild): ChildResult {
  const stdout = execFileSync(process.execPath, [...process.execArgv, here, '--child', build, ...(quick ? ['--quick'] : [])], {
    env: { ...process.env, WATTFORMER_WASM_BUILD: build },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
}

async function parent(): Promise<void> {
  const outArg = process.argv.indexOf('--out');
  const repoRoot = resolve(dirname(here), '../../..');
  const outFile = outArg > 0 ? resolve(process.argv[outArg + 1]!) : resolve(repoRoot, 'bench-results/relaxed-simd.json');
  const results: Record<WasmBuild, ChildResult[]> = { simd128: [], relaxed: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order: WasmBuild[] = round % 2 ? ['relaxed', 'simd128'] : ['simd128', 'relaxed'];
    for (const build of order) results[build].push(runChild(build));
    console.log(`round ${round + 1}/${ROUNDS}: ${order.map((b) => `${b} ${results[b].at(-1)!.matmulGflops.toFixed(1)} GFLOP/s, ${results[b].at(-1)!.trainTokensPerSecond.toFixed(0)} tok/s`).join('; ')}`);
  }
  const stat = (build: WasmBuild, key: 'matmulGflops' | 'trainTokensPerSecond') => summarize(results[build].map((r) => r[key]));
  const stats = {
    'matmul 512³ GFLOP/s': { simd128: stat('simd128', 'matmulGflops'), relaxed: stat('relaxed', 'matmulGflops') },
    'tiny-GPT train step tokens/s (1 core)': { simd128: stat('simd128', 'trainTokensPerSecond'), relaxed: stat('relaxed', 'trainTokensPerSecond') },
  };
  const ratios = Object.fromEntries(Object.entries(stats).map(([k, s]) => [k, s.relaxed.median / s.simd128.median]));
  for (const [k, s] of Object.entries(stats)) {
    console.log(`${k}: simd128 ${formatSummary(s.simd128, 1)}, relaxed ${formatSummary(s.relaxed, 1)}, relaxed/simd128 ${ratios[k]!.toFixed(3)}×`);
  }
  const losses = { simd128: results.simd128[0]!.losses, relaxed: results.relaxed[0]!.losses };
  console.log('losses of the first child of each build (same data, same seed):', losses);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(
    outFile,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cpu: cpus()[0]?.model,
        cores: cpus().length,
        command: `npx tsx packages/benchmarks/src/relaxed-simd.bench.ts${quick ? ' --quick' : ''}`,
        method: `builds alternate in child processes (order flipped each round), ${ROUNDS} rounds; per child: median of ${MATMUL_REPS} matmuls after 3 warm-up, median of ${STEPS} train steps after 1 warm-up; stats over the per-child medians`,
        config,
        batch: B,
        stats,
        ratios,
        losses,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`wrote ${outFile}`);
}

const childAt = process.argv.indexOf('--child');
if (childAt > 0) console.log(JSON.stringify(await child(process.argv[childAt + 1] as WasmBuild)));
else await parent();
