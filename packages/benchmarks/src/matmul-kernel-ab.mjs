/**
 * Two kernel .wasm files side by side on the matmul at the tiny GPT's training shapes (M = B·T =
 * 2048 rows, K/N 128/384/512: forward, dX = dY·Wᵀ, dW = Xᵀ·dY) and 512³, in one process: each
 * file gets its own instance of the wasm-bindgen glue (imported under its own URL), the calls
 * alternate shape by shape and round by round, and each sample is timed by wall clock and by
 * process CPU time (which a shared machine's time slicing barely moves). Prints median GFLOP/s
 * per CPU-second and the ratio B/A per shape. For tuning the micro-kernel: keep a copy of the
 * old build, rebuild, compare.
 *
 * Then the same for the step's other big kernels at its shapes: causal attention forward and
 * backward (B 16, H 4, T 128, D 32) and bias + GELU forward and backward ([2048, 512]).
 *
 * node packages/benchmarks/src/matmul-kernel-ab.mjs <a.wasm> <b.wasm> [--rounds 7] [--json out.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [fileA, fileB] = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !['--rounds', '--json'].includes(all[i - 1]));
if (!fileA || !fileB) {
  console.error('matmul-kernel-ab: expected two .wasm files, got fewer\nhelp: node packages/benchmarks/src/matmul-kernel-ab.mjs old.wasm new.wasm');
  process.exit(1);
}
const roundsAt = process.argv.indexOf('--rounds');
const rounds = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 7;
const jsonAt = process.argv.indexOf('--json');
const jsonOut = jsonAt > 0 ? process.argv[jsonAt + 1] : undefined;
const glue = pathToFileURL(resolve(import.meta.dirname, '../../backend-wasm/wasm/kernels.js')).href;

async function load(file, tag) {
  const k = await import(`${glue}?instance=${tag}`);
  const exports = k.initSync({ module: new WebAssembly.Module(readFileSync(file)) });
  return { k, memory: exports.memory, file };
}
const impls = [await load(fileA, 'a'), await load(fileB, 'b')];

const shapes = [
  ['512³', 512, 512, 512, false, false],
  ['qkv fwd', 2048, 128, 384, false, false],
  ['qkv dX', 2048, 384, 128, false, true],
  ['qkv dW', 128, 2048, 384, true, false],
  ['fc fwd', 2048, 128, 512, false, false],
  ['fc dX', 2048, 512, 128, false, true],
  ['fc dW', 128, 2048, 512, true, false],
  ['proj fwd', 2048, 512, 128, false, false],
  ['proj dX', 2048, 128, 512, false, true],
  ['proj dW', 512, 2048, 128, true, false],
  ['head fwd', 2048, 128, 256, false, true],
];
// Operands per implementation, filled with the same values.
const buffers = impls.map(({ k, memory }) =>
  shapes.map(([, m, kk, n]) => {
    const [a, b, c] = [k.allocF32(m * kk), k.allocF32(kk * n), k.allocF32(m * n)];
    const f = new Float32Array(memory.buffer);
    for (let i = 0; i < m * kk; i++) f[(a >>> 2) + i] = Math.sin(i);
    for (let i = 0; i < kk * n; i++) f[(b >>> 2) + i] = Math.cos(i);
    return { a, b, c };
  }),
);
const samples = impls.map(() => shapes.map(() => ({ wall: [], cpu: [] })));
for (let round = 0; round < rounds; round++) {
  for (const [s, [, m, kk, n, ta, tb]] of shapes.entries()) {
    const order = (round + s) % 2 ? [1, 0] : [0, 1];
    for (const i of order) {
      const { k } = impls[i];
      const { a, b, c } = buffers[i][s];
      const reps = Math.max(1, Math.round(3e8 / (2 * m * n * kk)));
      k.matmul(a, b, c, 1, m, n, kk, ta, tb); // warm
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) k.matmul(a, b, c, 1, m, n, kk, ta, tb);
      const wall = (performance.now() - t0) / 1000;
      const used = process.cpuUsage(cpu);
      const flops = 2 * m * n * kk * reps;
      samples[i][s].wall.push(flops / wall / 1e9);
      samples[i][s].cpu.push(flops / ((used.user + used.system) / 1e6) / 1e9);
    }
  }
}
// The step's other kernels, same alternation; time per call.
const [AB, AH, AT, AD] = [16, 4, 128, 32];
const others = [
  ['attention fwd', (k, m) => k.attentionForward(Uint32Array.of(AB, AH, AT, AT, AD), true, 1 / Math.sqrt(AD), m.q, m.k, m.v, 0, m.out, m.stats)],
  [
    'attention bwd',
    (k, m) => k.attentionBackward(Uint32Array.of(AB, AH, AT, AT, AD), true, 1 / Math.sqrt(AD), m.q, m.k, m.v, 0, m.out, m.stats, m.dOut, m.dq, m.dk, m.dv),
  ],
  ['biasGelu fwd', (k, m) => k.biasGeluForward(m.x, m.bias, 2048, 512, m.y)],
  ['biasGelu bwd', (k, m) => k.biasGeluBackward(m.x, m.bias, m.y, 2048, 512, m.dx, m.dbias)],
];
const operands = impls.map(({ k, memory }) => {
  const n = AB * AT * AH * AD;
  const m = Object.fromEntries(['q', 'k', 'v', 'out', 'dOut', 'dq', 'dk', 'dv'].map((name) => [name, k.allocF32(n)]));
  m.stats = k.allocF32(AB * AH * AT);
  for (const name of ['x', 'y', 'dx']) m[name] = k.allocF32(2048 * 512);
  for (const name of ['bias', 'dbias']) m[name] = k.allocF32(512);
  const f = new Float32Array(memory.buffer);
  for (const name of ['q', 'k', 'v', 'dOut']) for (let i = 0; i < n; i++) f[(m[name] >>> 2) + i] = Math.sin(i * 0.37 + name.length);
  for (let i = 0; i < 2048 * 512; i++) f[(m.x >>> 2) + i] = 3 * Math.sin(i * 0.11);
  others[0][1](k, m); // the forward's out and stats feed the backward
  return m;
});
const otherSamples = impls.map(() => others.map(() => ({ wall: [], cpu: [] })));
for (let round = 0; round < rounds; round++) {
  for (const [s, [, run]] of others.entries()) {
    for (const i of (round + s) % 2 ? [1, 0] : [0, 1]) {
      const reps = 5;
      run(impls[i].k, operands[i]);
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) run(impls[i].k, operands[i]);
      otherSamples[i][s].wall.push((performance.now() - t0) / reps);
      const used = process.cpuUsage(cpu);
      otherSamples[i][s].cpu.push((used.user + used.system) / 1000 / reps);
    }
  }
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(`A ${fileA}\nB ${fileB}\n(median GFLOP/s per CPU-second [wall], ${rounds} rounds)`);
for (const [s, [name, m, kk, n, ta, tb]] of shapes.entries()) {
  const [a, b] = [samples[0][s], samples[1][s]];
  const shape = `${m}×${kk}·${kk}×${n}${ta ? ' Aᵀ' : ''}${tb ? ' Bᵀ' : ''}`;
  console.log(
    `${name.padEnd(9)} ${shape.padEnd(24)} A ${median(a.cpu).toFixed(1).padStart(5)} [${median(a.wall).toFixed(1)}]  B ${median(b.cpu).toFixed(1).padStart(5)} [${median(b.wall).toFixed(1)}]  B/A ${(median(b.cpu) / median(a.cpu)).toFixed(3)}`,
  );
}
console.log('(median CPU ms per call [wall])');
for (const [s, [name]] of others.entries()) {
  const [a, b] = [otherSamples[0][s], otherSamples[1][s]];
  console.log(
    `${name.padEnd(34)} A ${median(a.cpu).toFixed(2).padStart(6)} [${median(a.wall).toFixed(2)}]  B ${median(b.cpu).toFixed(2).padStart(6)} [${median(b.wall).toFixed(2)}]  A/B ${(median(a.cpu) / median(b.cpu)).toFixed(3)}`,
  );
}
if (jsonOut) {
  const summary = (x) => ({ cpuMedian: median(x.cpu), wallMedian: median(x.wall), cpuMin: Math.min(...x.cpu), cpuMax: Math.max(...x.cpu) });
  writeFileSync(
    jsonOut,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        command: `node packages/benchmarks/src/matmul-kernel-ab.mjs ${fileA} ${fileB} --rounds ${rounds} --json ${jsonOut}`,
        a: fileA,
        b: fileB,
        method:
          'one process, each .wasm with its own glue instance, calls alternating per shape and round; matmul: GFLOP per CPU-second (and wall); others: ms per call',
        matmul: shapes.map(([name, m, kk, n, ta, tb], s) => ({
          name,
          m,
          k: kk,
          n,
          transposeA: ta,
          transposeB: tb,
          a: summary(samples[0][s]),
          b: summary(samples[1][s]),
        })),
        kernels: others.map(([name], s) => ({ name, a: summary(otherSamples[0][s]), b: summary(otherSamples[1][s]) })),
      },
      null,
      2,
    )}\n`,
  );
}
