/**
 * Causal multi-head attention, forward + backward, on the tiny GPT's shapes (B 16, H 4, T 128,
 * D 32): wattformer's fused FlashAttention-style wasm kernel, the same op on the cpu oracle
 * (core's composite body), and TF.js (tfjs-backend-wasm, one thread) with tf.grads.
 * Interleaved, repeated; medians, min–max, ratios. `npm run bench`.
 */
import * as tf from '@tensorflow/tfjs';
import { attention, getBackend, keep, randn, setBackend, sum, tidy, valueAndGrad, withBackend, type Tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { formatSummary, summarize } from './stats';
import { setUpTfjsWasm } from './tfjs-setup';
import { writeResults } from './write-results';

const [B, H, T, D] = [16, 4, 128, 32];
const C = H * D;
const ROUNDS = process.argv.includes('--quick') ? 3 : 7;

function oursOn(backendName: string) {
  return async () => {
    await setBackend(backendName);
    const backend = getBackend();
    const [q, k, v] = [1, 2, 3].map((seed) => keep(randn([B, T, C], { seed })));
    return () =>
      withBackend(backend, () =>
        tidy(() => {
          const { grads } = valueAndGrad(() => sum(attention(q!, k!, v!, { numHeads: H, causal: true })), [q!, k!, v!]);
          grads.forEach((g: Tensor) => g.dataSync());
        }),
      );
  };
}

function tfjsAttention() {
  const [q, k, v] = [1, 2, 3].map((seed) => tf.randomNormal([B, H, T, D], 0, 1, 'float32', seed));
  const mask = tf.linalg.bandPart(tf.ones([T, T]), -1, 0).sub(1).mul(1e9);
  const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
    tf.sum(tf.matMul(tf.softmax(tf.matMul(a, b, false, true).mul(1 / Math.sqrt(D)).add(mask)), c));
  const gradsOf = tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor);
  return () => tf.tidy(() => gradsOf([q!, k!, v!]).forEach((g) => g.dataSync()));
}

async function main(): Promise<void> {
  const anchor = await setUpTfjsWasm();
  const impls: Record<string, () => void> = {
    'wattformer wasm (fused)': await oursOn('wasm')(),
    'TF.js wasm, 1 thread': tfjsAttention(),
  };
  const cpu = await oursOn('cpu')();
  const samples: Record<string, number[]> = { 'wattformer wasm (fused)': [], 'TF.js wasm, 1 thread': [], 'wattformer cpu (oracle)': [] };
  for (let round = 0; round < ROUNDS + 1; round++) {
    for (const [name, fn] of Object.entries(impls)) {
      const start = performance.now();
      fn();
      if (round > 0) samples[name]!.push(performance.now() - start);
    }
    if (round < 2) {
      const start = performance.now();
      cpu();
      if (round > 0) samples['wattformer cpu (oracle)']!.push(performance.now() - start);
    }
  }
  const stats = Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, summarize(s)]));
  console.log(`attention fwd+bwd, B ${B}, H ${H}, T ${T}, D ${D}, causal; anchor: ${anchor}; ms per call:`);
  for (const [name, s] of Object.entries(stats)) console.log(`  ${name.padEnd(28)} ${formatSummary(s, 1)}`);
  const ratios = {
    wasmVsTfjs: stats['TF.js wasm, 1 thread']!.median / stats['wattformer wasm (fused)']!.median,
    wasmVsCpu: stats['wattformer cpu (oracle)']!.median / stats['wattformer wasm (fused)']!.median,
  };
  console.log('speed-up of wasm:', Object.entries(ratios).map(([k, r]) => `${k} ${r.toFixed(1)}×`).join(', '));
  writeResults('attention', { shape: { B, H, T, D, causal: true }, anchor, rounds: ROUNDS, unit: 'ms per forward+backward', stats, ratios });
}

await main();
