/**
 * Causal multi-head attention at B 8, H 4, T 256, D 32, in one process, interleaved, repeated:
 *
 * 1. Forward: wattformer's fused wasm kernel vs onnxruntime-web (WASM EP, 1 thread, SIMD) on an
 *    ONNX graph written here (the opset-23 `Attention` op and the MatMul→Softmax→MatMul subgraph;
 *    each must match ours to 1e-4 before it is timed; the faster is the anchor) and TF.js
 *    (tfjs-backend-wasm, 1 thread).
 * 2. Forward + backward: the fused kernel vs core's composite body on the same wasm backend vs
 *    TF.js with tf.grads.
 *
 * Wall and CPU time per call (the machine is shared: CPU time is the steadier); medians, min–max
 * and ratios of medians go to bench-results/attention.json, with the load average at the start.
 * `npm run bench:attention -w @wattformer/benchmarks` (`-- --quick` for fewer rounds).
 */
import * as tf from '@tensorflow/tfjs';
import { attention, getBackend, keep, randn, setBackend, sum, tidy, valueAndGrad, withBackend, type Tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { loadavg } from 'node:os';
import { attentionOpModel, ortAttention, setUpOrtWasm, subgraphModel } from './attention-onnx';
import { formatSummary, summarize, type Summary } from './stats';
import { setUpTfjsWasm } from './tfjs-setup';
import { writeResults } from './write-results';

const [B, H, T, D] = [8, 4, 256, 32];
const C = H * D;
const QUICK = process.argv.includes('--quick');
const FORWARD_ROUNDS = QUICK ? 5 : 15;
const BACKWARD_ROUNDS = QUICK ? 3 : 7;
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

/** Interleaves the implementations for `rounds` timed rounds (after one warm-up round). */
async function interleave(impls: Record<string, Impl>, rounds: number): Promise<Record<string, Timing>> {
  const wall: Record<string, number[]> = Object.fromEntries(Object.keys(impls).map((k) => [k, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(impls).map((k) => [k, []]));
  for (let round = 0; round <= rounds; round++) {
    for (const [name, fn] of Object.entries(impls)) {
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
  return tf.matMul(tf.softmax(tf.matMul(a, b, false, true).mul(1 / Math.sqrt(D)).add(mask)), c);
}

async function main(): Promise<void> {
  const load = loadavg();
  const tfjs = await setUpTfjsWasm();
  const ortDescription = setUpOrtWasm();
  await setBackend('wasm');
  const backend = getBackend();
  const [q, k, v] = [1, 2, 3].map((seed) => keep(randn([B, T, C], { seed }))) as [Tensor, Tensor, Tensor];
  const [qh, kh, vh] = [q, k, v].map((t) => toHeads(t.dataSync() as Float32Array)) as [Float32Array, Float32Array, Float32Array];
  const shape = { B, H, T, D };

  // --- 1. forward ---
  const ours = () => withBackend(backend, () => tidy(() => attention(q, k, v, { numHeads: H, causal: true }).dataSync()));
  const want = toHeads(Float32Array.from(ours() as Float32Array));
  const forward: Record<string, Impl> = { 'wattformer wasm (fused)': ours };
  const checks: Record<string, string> = {};
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
  const mask = tf.linalg.bandPart(tf.ones([T, T]), -1, 0).sub(1).mul(1e9);
  const tfjsForward = () => tf.tidy(() => tfjsCausal(tq!, tk!, tv!, mask).dataSync());
  const tfjsDiff = maxAbsDiff(want, tfjsForward() as Float32Array);
  checks['TF.js wasm, 1 thread'] = `max |ours − TF.js| = ${tfjsDiff.toExponential(2)}`;
  if (tfjsDiff <= TOLERANCE) forward['TF.js wasm, 1 thread'] = tfjsForward;
  console.log('same output before timing:', checks);
  if (ortNames.length === 0) throw new Error('benchmarks: attention: expected an onnxruntime-web graph matching ours, got none');
  const forwardStats = await interleave(forward, FORWARD_ROUNDS);
  print(`attention forward, B ${B}, H ${H}, T ${T}, D ${D}, causal;`, forwardStats);
  const anchor = ortNames.reduce((best, n) => (forwardStats[n]!.cpu.median < forwardStats[best]!.cpu.median ? n : best));
  const forwardRatios = {
    anchor,
    oursOverOrt: ratio(forwardStats['wattformer wasm (fused)']!, forwardStats[anchor]!),
    ...(forward['TF.js wasm, 1 thread'] && {
      oursOverTfjs: ratio(forwardStats['wattformer wasm (fused)']!, forwardStats['TF.js wasm, 1 thread']!),
    }),
  };
  console.log(`time ratio ours / ${anchor}: wall ${forwardRatios.oursOverOrt.wall.toFixed(2)}, cpu ${forwardRatios.oursOverOrt.cpu.toFixed(2)} (target ≤ 0.75)`);

  // --- 2. forward + backward ---
  const fused = backend.fused as { attention?: unknown } | undefined;
  const savedKernel = fused?.attention;
  const gradsOnce = () =>
    withBackend(backend, () =>
      tidy(() => {
        const { grads } = valueAndGrad(() => sum(attention(q, k, v, { numHeads: H, causal: true })), [q, k, v]);
        grads.forEach((g: Tensor) => g.dataSync());
      }),
    );
  const composite = () => {
    if (fused) fused.attention = undefined; // core's default body on the same backend
    try {
      gradsOnce();
    } finally {
      if (fused) fused.attention = savedKernel;
    }
  };
  const tfjsGrads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tfjsCausal(a, b, c, mask)));
  const backwardStats = await interleave(
    {
      'wattformer wasm (fused)': gradsOnce,
      'wattformer wasm (composite body)': composite,
      'TF.js wasm, 1 thread (tf.grads)': () => tf.tidy(() => tfjsGrads([tq!, tk!, tv!]).forEach((g) => g.dataSync())),
    },
    BACKWARD_ROUNDS,
  );
  print(`attention forward + backward, same shape;`, backwardStats);
  const fusedStats = backwardStats['wattformer wasm (fused)']!;
  const backwardRatios = {
    compositeOverFused: ratio(backwardStats['wattformer wasm (composite body)']!, fusedStats),
    tfjsOverFused: ratio(backwardStats['TF.js wasm, 1 thread (tf.grads)']!, fusedStats),
  };
  console.log('speed-up of the fused kernel:', backwardRatios);
  writeResults('attention', {
    command: `npm run bench:attention -w @wattformer/benchmarks${QUICK ? ' -- --quick' : ''}`,
    loadAverageAtStart: load.map((x) => Number(x.toFixed(2))),
    shape: { B, H, T, D, causal: true },
    anchors: { ort: ortDescription, tfjs },
    unit: 'ms per call; wall = performance.now(), cpu = process.cpuUsage() user + system',
    forward: { rounds: FORWARD_ROUNDS, checks, stats: forwardStats, ratios: forwardRatios },
    forwardBackward: { rounds: BACKWARD_ROUNDS, stats: backwardStats, ratios: backwardRatios },
  });
}

await main();
