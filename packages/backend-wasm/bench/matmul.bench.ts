/**
 * Matmul GFLOP/s: our Rust simd128 kernel vs @tensorflow/tfjs-backend-wasm (XNNPACK, SIMD,
 * one thread) vs plain JS, interleaved in one process, repeated; medians, min–max, ratios.
 * Run: `npm run bench` (root) or `npm run bench -w @wattformer/backend-wasm`.
 * Writes bench-results/matmul.json. The machine is shared and noisy: read the ratios.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { matmulReference } from '@wattformer/core';
import { initWasm, matmul, WasmF32Buffer } from '../src/index';
import { maxRelativeError, seededValues } from '../test/matmul-cases.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 7;
const MIN_SECONDS_PER_SAMPLE = quick ? 0.05 : 0.2;

const SHAPES: [number, number, number, string][] = [
  [128, 128, 128, '128³'],
  [256, 256, 256, '256³'],
  [512, 512, 512, '512³'],
  [1024, 1024, 1024, '1024³'],
  [1024, 512, 128, '[1024×128]·[128×512]'],
  [1024, 128, 512, '[1024×512]·[512×128]'],
];

type Impl = { name: string; prepare(m: number, n: number, k: number): { run(): void; result(): Float32Array; dispose(): void } };

const ours: Impl = {
  name: 'wattformer wasm',
  prepare(m, n, k) {
    const a = WasmF32Buffer.from(seededValues(m * k, 1));
    const b = WasmF32Buffer.from(seededValues(k * n, 2));
    let c: WasmF32Buffer | undefined;
    return {
      run() {
        c?.free();
        c = matmul({ buffer: a, shape: [m, k] }, { buffer: b, shape: [k, n] }).buffer;
      },
      result: () => c!.toFloat32Array(),
      dispose() {
        for (const x of [a, b, c]) x?.free();
      },
    };
  },
};

const tfjs: Impl = {
  name: 'tfjs-backend-wasm',
  prepare(m, n, k) {
    const a = tf.tensor2d(seededValues(m * k, 1), [m, k]);
    const b = tf.tensor2d(seededValues(k * n, 2), [k, n]);
    let c: tf.Tensor | undefined;
    return {
      run() {
        c?.dispose();
        c = tf.matMul(a, b); // the wasm backend computes synchronously
      },
      result: () => c!.dataSync() as Float32Array,
      dispose() {
        for (const x of [a, b, c]) x?.dispose();
      },
    };
  },
};

const plainJs: Impl = {
  name: 'plain JS',
  prepare(m, n, k) {
    const a = seededValues(m * k, 1);
    const b = seededValues(k * n, 2);
    const c = new Float32Array(m * n);
    return {
      run() {
        c.fill(0); // i-k-j order: the cache-friendly loop a JS programmer would write
        for (let i = 0; i < m; i++) {
          for (let q = 0; q < k; q++) {
            const av = a[i * k + q]!;
            const row = q * n;
            const out = i * n;
            for (let j = 0; j < n; j++) c[out + j]! += av * b[row + j]!;
          }
        }
      },
      result: () => c,
      dispose() {},
    };
  },
};

function sampleGflops(run: () => void, flops: number): number {
  let iterations = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    run();
    iterations++;
    elapsed = (performance.now() - start) / 1000;
  } while (elapsed < MIN_SECONDS_PER_SAMPLE);
  return (flops * iterations) / elapsed / 1e9;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function main(): Promise<void> {
  await initWasm();
  setThreadsCount(1);
  setWasmPaths(join(here, '../../../node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
  await tf.setBackend('wasm');
  const tfSimd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const tfThreads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  console.log(`tfjs-backend-wasm ${tf.version_core}: SIMD ${tfSimd}, multithread build ${tfThreads}, threads set to 1`);
  const impls = [ours, tfjs, plainJs];
  const rows = [];
  for (const [m, n, k, label] of SHAPES) {
    const flops = 2 * m * n * k;
    const prepared = impls.map((impl) => impl.prepare(m, n, k));
    // Correctness before timing: every implementation against the JS reference.
    const want = matmulReference(seededValues(m * k, 1), [m, k], seededValues(k * n, 2), [k, n]);
    for (const [i, p] of prepared.entries()) {
      p.run();
      const error = maxRelativeError(p.result(), want);
      if (!(error <= 1e-4)) throw new Error(`${impls[i]!.name} disagrees with the reference at ${label}: ${error}`);
    }
    const samples: number[][] = impls.map(() => []);
    const slowJs = flops > 3e8 && !process.argv.includes('--full-js');
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, p] of prepared.entries()) {
        if (i === 2 && slowJs && round > 0) continue; // plain JS at 1024³ takes seconds per call
        samples[i]!.push(sampleGflops(() => p.run(), flops));
      }
    }
    prepared.forEach((p) => p.dispose());
    const stats = samples.map((s) => ({ median: median(s), min: Math.min(...s), max: Math.max(...s), samples: s.length }));
    const row = {
      shape: label,
      m,
      n,
      k,
      gflops: Object.fromEntries(impls.map((impl, i) => [impl.name, stats[i]])),
      ratioVsTfjs: stats[0]!.median / stats[1]!.median,
      ratioVsPlainJs: stats[0]!.median / stats[2]!.median,
    };
    rows.push(row);
    const fmt = (s: { median: number; min: number; max: number }) => `${s.median.toFixed(2).padStart(6)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;
    console.log(
      `${label.padEnd(22)} ours ${fmt(stats[0]!)}  tfjs ${fmt(stats[1]!)}  js ${fmt(stats[2]!)}  ours/tfjs ${row.ratioVsTfjs.toFixed(2)}×  ours/js ${row.ratioVsPlainJs.toFixed(1)}×`,
    );
  }
  const out = join(here, '../bench-results/matmul.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        rounds: ROUNDS,
        unit: 'GFLOP/s',
        threads: 1,
        tfjs: { version: tf.version_core, simd: tfSimd },
        rows,
      },
      null,
      2,
    ),
  );
  console.log(`wrote ${out}`);
}

await main();
