/**
 * The f32 peak of WebAssembly SIMD on this core, for "% of peak" figures: a hand-assembled wasm
 * module (bytes written below, no toolchain) whose loop runs `chains` independent f32x4
 * multiply-add chains, acc = acc · m + c, so nothing but the multiply-add throughput limits it.
 * Two flavours, one per kernel build: simd128 (`f32x4.mul` then `f32x4.add`, 8 FLOPs per chain
 * step) and relaxed (`f32x4.relaxed_madd`, one fused op, the same 8 FLOPs). m and c keep every
 * lane near 1 (no denormals, no overflow). The best of a few chain counts is the peak.
 */

const uleb = (n) => {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
const f32Bytes = (x) => [...new Uint8Array(new Float32Array([x]).buffer)];
const SIMD = 0xfd;
const op = (code) => [SIMD, ...uleb(code)];
const V128_CONST = 0x0c;
const F32X4_EXTRACT_LANE = 0x1f;
const F32X4_ADD = 0xe4;
const F32X4_MUL = 0xe6;
const F32X4_RELAXED_MADD = 0x105;
const [LOCAL_GET, LOCAL_SET, LOCAL_TEE] = [0x20, 0x21, 0x22];
const UNROLL = 4;

/** Module bytes exporting `run(iterations: i32) -> f32`, `chains × UNROLL × 8` FLOPs per iteration. */
export function peakModuleBytes(flavour, chains) {
  const acc = (i) => 1 + i; // local 0 is the iteration count; accumulators, then m, then c
  const [m, c] = [1 + chains, 2 + chains];
  const splat = (x) => [...op(V128_CONST), ...f32Bytes(x), ...f32Bytes(x), ...f32Bytes(x), ...f32Bytes(x)];
  const body = [];
  for (let i = 0; i < chains; i++) body.push(...splat(1 + i / 64), LOCAL_SET, ...uleb(acc(i)));
  body.push(...splat(0.999), LOCAL_SET, ...uleb(m), ...splat(0.001), LOCAL_SET, ...uleb(c));
  body.push(0x02, 0x40, 0x03, 0x40); // block, loop
  for (let u = 0; u < UNROLL; u++) {
    for (let i = 0; i < chains; i++) {
      if (flavour === 'relaxed') body.push(LOCAL_GET, ...uleb(acc(i)), LOCAL_GET, ...uleb(m), LOCAL_GET, ...uleb(c), ...op(F32X4_RELAXED_MADD));
      else body.push(LOCAL_GET, ...uleb(acc(i)), LOCAL_GET, ...uleb(m), ...op(F32X4_MUL), LOCAL_GET, ...uleb(c), ...op(F32X4_ADD));
      body.push(LOCAL_SET, ...uleb(acc(i)));
    }
  }
  // iterations -= 1; loop while nonzero
  body.push(LOCAL_GET, 0, 0x41, 1, 0x6b, LOCAL_TEE, 0, 0x0d, 0, 0x0b, 0x0b);
  body.push(LOCAL_GET, ...uleb(acc(0)), ...op(F32X4_EXTRACT_LANE), 0);
  for (let i = 1; i < chains; i++) body.push(LOCAL_GET, ...uleb(acc(i)), ...op(F32X4_EXTRACT_LANE), 0, 0x92); // f32.add
  body.push(0x0b);
  const locals = [1, ...uleb(chains + 2), 0x7b]; // one group of v128 locals
  const func = [...locals, ...body];
  const name = [...new TextEncoder().encode('run')];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7d]), // (i32) -> f32
    ...section(3, [1, 0]),
    ...section(7, [1, name.length, ...name, 0x00, 0]),
    ...section(10, [1, ...uleb(func.length), ...func]),
  ]);
}

const CHAIN_COUNTS = [8, 12, 16];

/** Whether this engine runs the flavour (relaxed SIMD needs Node 22+ or a current browser). */
export function peakSupported(flavour) {
  return WebAssembly.validate(peakModuleBytes(flavour, 8));
}

/** Compiled `run` functions, one per chain count. */
export function createPeakProbe(flavour) {
  return CHAIN_COUNTS.map((chains) => {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(peakModuleBytes(flavour, chains)));
    return { chains, run: exports.run, flopsPerIteration: chains * UNROLL * 8 };
  });
}

/** CPU microseconds of this thread (Node 23.9+), else of the process. */
const cpuMicros = () => {
  const { user, system } = typeof process.threadCpuUsage === 'function' ? process.threadCpuUsage() : process.cpuUsage();
  return user + system;
};

/**
 * GFLOP/s of the best chain count, per wall-clock second and per CPU-second of this thread (what
 * a loaded machine's time slicing barely moves): each count runs for about `ms` milliseconds
 * (after a short warm-up that also checks the result is finite); the fastest count is the peak.
 */
export function measurePeak(probe, ms = 60) {
  let wall = 0;
  let cpu = 0;
  for (const { run, flopsPerIteration } of probe) {
    const check = run(10_000);
    if (!Number.isFinite(check)) throw new Error(`simd peak: expected a finite sum, got ${check}`);
    let iterations = 100_000;
    for (;;) {
      const cpuStart = cpuMicros();
      const start = performance.now();
      run(iterations);
      const seconds = (performance.now() - start) / 1000;
      const cpuSeconds = (cpuMicros() - cpuStart) / 1e6;
      if (seconds * 1000 >= ms) {
        wall = Math.max(wall, (iterations * flopsPerIteration) / seconds / 1e9);
        if (cpuSeconds > 0) cpu = Math.max(cpu, (iterations * flopsPerIteration) / cpuSeconds / 1e9);
        break;
      }
      iterations = Math.min(2 ** 30, Math.ceil(iterations * Math.max(2, (ms / 1000 / Math.max(seconds, 1e-6)) * 1.1)));
    }
  }
  return { wall, cpu };
}
