// Multiplies matrices on wattformer's WebAssembly simd128 kernel, checks the result against
// the plain-JS reference, and times it against a plain JS loop. `npm run bench` at the repo
// root compares with @tensorflow/tfjs-backend-wasm as well.
import { matmulReference } from '@wattformer/core';
import { initWasm, matmul, simd128Enabled, WasmF32Buffer } from '@wattformer/backend-wasm';

const size = Number(process.argv[2] ?? 512);
const random = (n) => Float32Array.from({ length: n }, () => Math.random() * 2 - 1);

await initWasm();
console.log(`wattformer backend-wasm: kernels loaded (simd128: ${simd128Enabled()})`);

// 1. Correctness on an awkward shape with both operands transposed.
const [m, n, k] = [37, 41, 43];
const a = random(k * m);
const b = random(n * k);
const want = matmulReference(a, [k, m], b, [n, k], { transposeA: true, transposeB: true });
const A = WasmF32Buffer.from(a);
const B = WasmF32Buffer.from(b);
const got = matmul({ buffer: A, shape: [k, m] }, { buffer: B, shape: [n, k] }, { transposeA: true, transposeB: true });
const worst = got.buffer.view().reduce((w, v, i) => Math.max(w, Math.abs(v - want[i]) / Math.max(1, Math.abs(want[i]))), 0);
console.log(`check  [${k}×${m}]ᵀ·[${n}×${k}]ᵀ vs JS reference: max relative error ${worst.toExponential(2)}`);
if (!(worst <= 1e-5)) process.exit(1);

// 2. Throughput at size³.
const X = WasmF32Buffer.from(random(size * size));
const Y = WasmF32Buffer.from(random(size * size));
const Z = WasmF32Buffer.allocate(size * size);
const flops = 2 * size ** 3;
const time = (fn, minMs = 500) => {
  fn();
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    fn();
    runs++;
  }
  return (performance.now() - start) / runs;
};
const wasmMs = time(() => matmul({ buffer: X, shape: [size, size] }, { buffer: Y, shape: [size, size] }, {}, Z));
const x = X.toFloat32Array();
const y = Y.toFloat32Array();
const z = new Float32Array(size * size);
const jsMs = time(() => {
  z.fill(0);
  for (let i = 0; i < size; i++)
    for (let q = 0; q < size; q++) {
      const av = x[i * size + q];
      for (let j = 0; j < size; j++) z[i * size + j] += av * y[q * size + j];
    }
}, 1500);
console.log(
  `speed  ${size}³ on one core: wasm simd128 ${(flops / wasmMs / 1e6).toFixed(1)} GFLOP/s, plain JS ${(flops / jsMs / 1e6).toFixed(2)} GFLOP/s (${(jsMs / wasmMs).toFixed(0)}× faster)`,
);
console.log('full comparison with tfjs-backend-wasm: npm run bench');
