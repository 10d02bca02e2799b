/**
 * Causal multi-head attention at B 8, H 4, T 256, D 32, in one process, interleaved, repeated:
 *
 * 1. Forward: wattformer's fused wasm kernel, both builds (simd128 and relaxed-simd, each on its
 *    own backend instance in this process) vs onnxruntime-web (WASM EP, 1 thread, SIMD) on an
 *    ONNX graph written here (the opset-23 `Attention` op and the MatMul→Softmax→MatMul subgraph;
 *    each must match ours to 1e-4 before it is timed; the faster is the anchor) and TF.js
 *    (tfjs-backend-wasm, 1 thread).
 * 2. Forward + backward: the fused kernel (both builds) vs core's composite body on the relaxed
 *    backend vs TF.js with tf.grads.
 *
 * Wall and CPU time per call (the machine is shared: CPU time is the steadier); medians, min–max
 * and ratios of medians go to bench-results/attention.json, with the load average at the start.
 * Each round runs every implementation once, the order rotated by one each round, and the heap is
 * collected before every timed call, so one implementation's garbage (TF.js makes the most) is
 * never collected on another's clock (then a 15 ms pause, so its concurrent sweeping is not either);
 * an empty call timed the same way gives the measurement's floor.
 * `npm run bench:attention -w @wattformer/benchmarks` (`-- --quick` for fewer rounds).
 */
import * as tf from '@tensorflow/tfjs';
import {
  attention,
  getBackend,
  keep,
  randn,
  registerBackend,
  setBackend,
  sum,
  tidy,
  valueAndGrad,
  withBackend,
  type Backend,
  type Tensor,
} from '@wattformer/core';
import type { WasmBuild } from '@wattformer/backend-wasm';
import { createWasmBackend } from '@wattformer/backend-wasm/internal';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { attentionOpModel, ortAttention, setUpOrtWasm, subgraphModel } from './attention-onnx';
import { formatSummary, summarize, type Summary } from './stats';
import { setUpTfjsWasm } from './tfjs-setup';
import { writeResults } from './write-results';

const [B, H, T, D] = [8, 4, 256, 32];
const C = H * D;
const QUICK = process.argv.includes('--quick');
const FORWARD_ROUNDS = QUICK ? 5 : 31;
const BACKWARD_ROUNDS = QUICK ? 3 : 15;
const BUILDS = ['simd128', 'relaxed'] as const;
const WASM_FILES: Record<WasmBuild, string> = { simd128: 'kernels_bg.wasm', relaxed: 'kernels_relaxed_bg.wasm' };
const wasmDir = resolve(dirname(fileURLToPath(import.meta.resolve('@wattformer/backend-wasm'))), '../wasm');
const FLOOR = 'empty call (measurement floor)';
const ours = (build: WasmBuild) => `wattformer wasm ${build} (fused)`;
const TOLERANCE = 1e-4;

type Impl = () => unknown;

/** [B, T, H, D] → [B, H, T, D]. */
function toHeads(x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let h = 0; h < H; h++) out.set(x.subarray(((b * T + t) * H + h) * D, ((b * T + t) * H + h + 1) * D), ((b * H + h) * T + t) * D);
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** This process's CPU time in ms (user + system): on a shared, loaded machine it tracks the work
 * done far better than wall time, which also counts the time other jobs hold the cores. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Timing {
  readonly wall: Summary;
  readonly cpu: Summary;
}

/** Pause after each collection so its concurrent sweeping is not counted in the next call's CPU time. */
const SETTLE_MS = 15;
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Interleaves the implementations for `rounds` timed rounds (after one warm-up round). */
async function interleave(impls: Record<string, Impl>, rounds: number): Promise<Record<string, Timing>> {
  const wall: Record<string, number[]> = Object.fromEntries(Object.keys(impls).map((k) => [k, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(impls).map((k) => [k, []]));
  const entries = Object.entries(impls);
  for (let round = 0; round <= rounds; round++) {
    const order = entries.map((_, i) => entries[(i + round) % entries.length]!);
    for (const [name, fn] of order) {
      collectGarbage();
      await new Promise((done) => setTimeout(done, SETTLE_MS)); // V8 sweeps concurrently: off the clock
      const [start, startCpu] = [performance.now(), cpuMs()];
      await fn();
      if (round > 0) {
        wall[name]!.push(performance.now() - start);
        cpu[name]!.push(cpuMs() - startCpu);
      }
    }
  }
  return Object.fromEntries(Object.keys(impls).map((k) => [k, { wall: summarize(wall[k]!), cpu: summarize(cpu[k]!) }]));
}

function print(title: string, stats: Record<string, Timing>): void {
  console.log(`${title} ms per call, wall | cpu:`);
  for (const [name, s] of Object.entries(stats)) console.log(`  ${name.padEnd(44)} ${formatSummary(s.wall, 1)} | ${formatSummary(s.cpu, 1)}`);
}

/** Ratio of medians a / b, on wall time and on CPU time. */
const ratio = (a: Timing, b: Timing) => ({ wall: a.wall.median / b.wall.median, cpu: a.cpu.median / b.cpu.median });

function tfjsCausal(a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  return tf.matMul(
    tf.softmax(
      tf
        .matMul(a, b, false, true)
        .mul(1 / Math.sqrt(D))
        .add(mask),
    ),
    c,
  );
}

/** A backend named `wasm-<build>` over that build: a fresh copy of the glue (imported under its own
 * URL, so it holds its own instance) initialised with that build's module. */
async function wasmBackend(build: WasmBuild): Promise<Backend> {
  type Glue = Parameters<typeof createWasmBackend>[0] & { initSync(options: { module: WebAssembly.Module }): { memory: WebAssembly.Memory } };
  const glue = (await import(`${pathToFileURL(resolve(wasmDir, 'kernels.js')).href}?build=${build}`)) as Glue;
  const { memory } = glue.initSync({ module: new WebAssembly.Module(readFileSync(resolve(wasmDir, WASM_FILES[build]))) });
  if (glue.relaxedSimdEnabled() !== (build === 'relaxed'))
    throw new Error(`benchmarks: attention: expected ${WASM_FILES[build]} to be the ${build} build, got the other`);
  registerBackend(`wasm-${build}`, () => createWasmBackend(glue, memory));
  await setBackend(`wasm-${build}`);
  return getBackend();
}

interface Operands {
  readonly backend: Backend;
  readonly q: Tensor;
  readonly k: Tensor;
  readonly v: Tensor;
}

async function main(): Promise<void> {
  const load = loadavg();
  const tfjs = await setUpTfjsWasm();
  const ortDescription = setUpOrtWasm();
  const operands = {} as Record<WasmBuild, Operands>;
  for (const build of BUILDS) {
    const backend = await wasmBackend(build);
    const [q, k, v] = [1, 2, 3].map((seed) => keep(randn([B, T, C], { seed }))) as [Tensor, Tensor, Tensor];
    operands[build] = { backend, q, k, v };
  }
  const [qh, kh, vh] = [operands.relaxed.q, operands.relaxed.k, operands.relaxed.v].map((t) => toHeads(t.dataSync() as Float32Array)) as [
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  const shape = { B, H, T, D };

  // --- 1. forward ---
  const forwardOf =
    ({ backend, q, k, v }: Operands) =>
    () =>
      withBackend(backend, () => tidy(() => attention(q, k, v, { numHeads: H, causal: true }).dataSync()));
  const want = toHeads(Float32Array.from(forwardOf(operands.relaxed)() as Float32Array));
  // An empty call timed like the others: the measurement's own floor (timers, collection aftermath).
  const forward: Record<string, Impl> = { [FLOOR]: () => undefined };
  const checks: Record<string, string> = {};
  for (const build of BUILDS) {
    forward[ours(build)] = forwardOf(operands[build]);
    if (build !== 'relaxed') {
      const diff = maxAbsDiff(want, toHeads(Float32Array.from(forward[ours(build)]!() as Float32Array)));
      checks[ours(build)] = `max |${build} − relaxed| = ${diff.toExponential(2)}`;
      if (diff > TOLERANCE) throw new Error(`benchmarks: attention: expected the ${build} build within ${TOLERANCE} of the relaxed build, got ${diff}`);
    }
  }
  const ortNames: string[] = [];
  for (const [name, bytes] of [
    ['onnxruntime-web: Attention op (opset 23)', attentionOpModel(shape)],
    ['onnxruntime-web: MatMul/Softmax subgraph', subgraphModel(shape)],
  ] as const) {
    try {
      const run = await ortAttention(bytes, shape, qh, kh, vh);
      const diff = maxAbsDiff(want, await run());
      checks[name] = `max |ours − ORT| = ${diff.toExponential(2)}`;
      if (diff > TOLERANCE) continue; // not the same function: not timed
      forward[name] = run;
      ortNames.push(name);
    } catch (error) {
      checks[name] = `not run: ${(error as Error).message.split('\n')[0]}`;
    }
  }
  const [tq, tk, tv] = [qh, kh, vh].map((x) => tf.tensor(x, [B, H, T, D]));
  const mask = tf.linalg
    .bandPart(tf.ones([T, T]), -1, 0)
    .sub(1)
    .mul(1e9);
  const tfjsForward = () => tf.tidy(() => tfjsCausal(tq!, tk!, tv!, mask).dataSync());
  const tfjsDiff = maxAbsDiff(want, tfjsForward() as Float32Array);
  checks['TF.js wasm, 1 thread'] = `max |ours − TF.js| = ${tfjsDiff.toExponential(2)}`;
  if (tfjsDiff <= TOLERANCE) forward['TF.js wasm, 1 thread'] = tfjsForward;
  console.log('same output before timing:', checks);
  if (ortNames.length === 0) throw new Error('benchmarks: attention: expected an onnxruntime-web graph matching ours, got none');
  const forwardStats = await interleave(forward, FORWARD_ROUNDS);
  print(`attention forward, B ${B}, H ${H}, T ${T}, D ${D}, causal;`, forwardStats);
  const anchor = ortNames.reduce((best, n) => (forwardStats[n]!.cpu.median < forwardStats[best]!.cpu.median ? n : best));
  const forwardRatios = Object.fromEntries(
    BUILDS.map((build) => [
      build,
      {
        oursOverOrt: ratio(forwardStats[ours(build)]!, forwardStats[anchor]!),
        ...(forward['TF.js wasm, 1 thread'] && { oursOverTfjs: ratio(forwardStats[ours(build)]!, forwardStats['TF.js wasm, 1 thread']!) }),
      },
    ]),
  );
  for (const build of BUILDS) {
    const r = forwardRatios[build]!.oursOverOrt;
    console.log(`time ratio ours (${build}) / ${anchor}: wall ${r.wall.toFixed(2)}, cpu ${r.cpu.toFixed(2)} (target ≤ 0.75)`);
  }

  // --- 2. forward + backward ---
  const gradsOf =
    ({ backend, q, k, v }: Operands) =>
    () =>
      withBackend(backend, () =>
        tidy(() => {
          const { grads } = valueAndGrad(() => sum(attention(q, k, v, { numHeads: H, causal: true })), [q, k, v]);
          grads.forEach((g: Tensor) => g.dataSync());
        }),
      );
  const relaxedFused = operands.relaxed.backend.fused as { attention?: unknown } | undefined;
  const savedKernel = relaxedFused?.attention;
  const composite = () => {
    if (relaxedFused) relaxedFused.attention = undefined; // core's default body on the same backend
    try {
      gradsOf(operands.relaxed)();
    } finally {
      if (relaxedFused) relaxedFused.attention = savedKernel;
    }
  };
  const tfjsGrads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tfjsCausal(a, b, c, mask)));
  const COMPOSITE = 'wattformer wasm relaxed (composite body)';
  const TFJS_GRADS = 'TF.js wasm, 1 thread (tf.grads)';
  const backwardStats = await interleave(
    {
      [ours('simd128')]: gradsOf(operands.simd128),
      [ours('relaxed')]: gradsOf(operands.relaxed),
      [COMPOSITE]: composite,
      [TFJS_GRADS]: () => tf.tidy(() => tfjsGrads([tq!, tk!, tv!]).forEach((g) => g.dataSync())),
    },
    BACKWARD_ROUNDS,
  );
  print(`attention forward + backward, same shape;`, backwardStats);
  const backwardRatios = Object.fromEntries(
    BUILDS.map((build) => [
      build,
      {
        compositeOverFused: ratio(backwardStats[COMPOSITE]!, backwardStats[ours(build)]!),
        tfjsOverFused: ratio(backwardStats[TFJS_GRADS]!, backwardStats[ours(build)]!),
      },
    ]),
  );
  console.log('speed-up of the fused kernel:', backwardRatios);
  writeResults('attention', {
    command: `npm run bench:attention -w @wattformer/benchmarks${QUICK ? ' -- --quick' : ''}`,
    loadAverageAtStart: load.map((x) => Number(x.toFixed(2))),
    shape: { B, H, T, D, causal: true },
    anchors: { ort: ortDescription, tfjs },
    unit: 'ms per call; wall = performance.now(), cpu = process.cpuUsage() user + system',
    method: 'interleaved rounds, order rotated each round, heap collected before every timed call; one warm-up round',
    forward: { rounds: FORWARD_ROUNDS, checks, stats: forwardStats, anchor, ratios: forwardRatios },
    forwardBackward: { rounds: BACKWARD_ROUNDS, stats: backwardStats, ratios: backwardRatios },
  });
}

await main();
