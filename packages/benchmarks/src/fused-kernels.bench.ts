/**
 * Fused elementwise kernels on vs off (`biasGelu`: the MLP's bias add + GELU; `addLayerNorm`: the
 * first residual add of each block + ln_2), on the tiny GPT (4 layers × d 128, MLP 512):
 *
 * - wasm, one core, batch 16 × context 128: training-step tokens/s with the two kernels and
 *   with them removed from the same backend's `fused` table (core then runs its composite
 *   bodies: add + gelu, add + layerNorm). One trainer, the two modes alternated step by step
 *   (order flipped each round), so the load swings of a shared machine hit both alike. Medians,
 *   min–max, ratio. Also the loss of one forward pass in each mode on the same parameters.
 * - WebGPU (Dawn from the `webgpu` package on SwiftShader, or `--hardware`): dispatches and queue
 *   submits per training step (`webGpuCounters`) in each mode, batch 2 × context 32 (the counts do
 *   not depend on the sizes). Skipped with `--no-webgpu`.
 *
 * Run: `npx tsx packages/benchmarks/src/fused-kernels.bench.ts [--quick] [--no-webgpu]` from the
 * repository root; writes bench-results/fused-kernels.json there (`--out <file>` to change).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wasmBuild } from '@wattformer/backend-wasm';
import { createDefaultWebGpuBackend, webGpuCounters } from '@wattformer/backend-webgpu';
import { adamw, keep, noGrad, setBackend, tensor, tidy, valueAndGrad, withBackend, zerosLike, type Backend, type FusedKernels } from '@wattformer/core';
import { gptLoss, gptPresets, initGptParameters, type GptConfig } from '@wattformer/model';
import { formatSummary, summarize } from './stats';
import { describeAdapter, ensureVulkanDriver, installDawn } from './webgpu-adapter';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const hardware = argv.includes('--hardware');
const withWebgpu = !argv.includes('--no-webgpu');
const outAt = argv.indexOf('--out');
const here = dirname(fileURLToPath(import.meta.url));
const OUT = outAt >= 0 ? resolve(argv[outAt + 1]!) : resolve(here, '../../../bench-results/fused-kernels.json');
const ROUNDS = quick ? 2 : 8;
const WARMUP = 1;
/** The kernels this bench switches; everything else in `fused` stays on in both modes. */
const SWITCHED = ['biasGelu', 'addLayerNorm'] as const;
type Mode = 'fused' | 'composite';

if (withWebgpu) ensureVulkanDriver(hardware);

/** Puts the switched kernels into (or takes them out of) `backend.fused`, in place. */
function switcher(backend: Backend): (mode: Mode) => void {
  const fused = backend.fused as Record<string, unknown> | undefined;
  if (fused === undefined || SWITCHED.some((k) => fused[k] === undefined)) {
    throw new Error(`fused-kernels bench: expected ${backend.name} to provide ${SWITCHED.join(' and ')}, got ${Object.keys(fused ?? {}).join(', ')}`);
  }
  const saved = Object.fromEntries(SWITCHED.map((k) => [k, fused[k]])) as Pick<FusedKernels<object>, (typeof SWITCHED)[number]>;
  return (mode) => {
    if (mode === 'fused') Object.assign(fused, saved);
    else for (const k of SWITCHED) delete fused[k];
  };
}

/** One trainer (valueAndGrad + fused AdamW) on `backend`; `step()` resolves with its seconds. */
function trainer(backend: Backend, config: GptConfig, B: number) {
  const T = config.contextLength;
  const tokens = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + (i >> 7)) % config.vocabSize);
  const targets = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + (i >> 7) + 7) % config.vocabSize);
  const optimizer = { learningRate: 1e-3, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0 };
  const state = withBackend(backend, () => {
    const p = initGptParameters(config, 1);
    const list = [...p.values()];
    return {
      p,
      list,
      m: list.map((t) => keep(zerosLike(t))),
      v: list.map((t) => keep(zerosLike(t))),
      x: keep(tensor(tokens, [B, T], 'i32')),
      y: keep(tensor(targets, [B, T], 'i32')),
    };
  });
  const { p, list, m, v, x, y } = state;
  let step = 0;
  return {
    async step(): Promise<number> {
      step++;
      const start = performance.now();
      const loss = withBackend(backend, () =>
        tidy(() => {
          const { value, grads } = valueAndGrad(() => gptLoss(p, config, x, y), list);
          grads.forEach((g, i) => adamw(list[i]!, g, m[i]!, v[i]!, { ...optimizer, step }));
          return keep(value);
        }),
      );
      await loss.data();
      loss.dispose();
      return (performance.now() - start) / 1000;
    },
    /** The loss of one forward pass (no update) on the current parameters. */
    async loss(): Promise<number> {
      const value = withBackend(backend, () => noGrad(() => keep(gptLoss(p, config, x, y))));
      const result = (await value.data())[0]!;
      value.dispose();
      return result;
    },
  };
}

async function wasmAB() {
  const backend = await setBackend('wasm');
  const setMode = switcher(backend);
  const config = gptPresets.tiny;
  const B = 16;
  const run = trainer(backend, config, B);
  const losses: Record<Mode, number> = { fused: 0, composite: 0 };
  for (const mode of ['fused', 'composite'] as const) {
    setMode(mode);
    losses[mode] = await run.loss();
  }
  const samples: Record<Mode, number[]> = { fused: [], composite: [] };
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    for (const mode of round % 2 ? (['composite', 'fused'] as const) : (['fused', 'composite'] as const)) {
      setMode(mode);
      const seconds = await run.step();
      if (round >= WARMUP) samples[mode].push((B * config.contextLength) / seconds);
    }
    process.stdout.write(`wasm train step: round ${round + 1}/${WARMUP + ROUNDS}\r`);
  }
  setMode('fused');
  process.stdout.write('\n');
  const fused = summarize(samples.fused);
  const composite = summarize(samples.composite);
  const ratios = samples.fused.map((f, i) => f / samples.composite[i]!);
  return {
    build: wasmBuild(),
    config,
    batch: B,
    unit: 'tokens/s',
    fused,
    composite,
    ratioFusedOverComposite: { median: fused.median / composite.median, perRound: summarize(ratios) },
    forwardLoss: { ...losses, absoluteDifference: Math.abs(losses.fused - losses.composite) },
  };
}

async function webgpuDispatches() {
  const gpu = installDawn();
  const adapter = await describeAdapter(gpu);
  if (!adapter) throw new Error('fused-kernels bench: expected a WebGPU adapter from Dawn, got none\nhelp: pass --no-webgpu, or see webgpu-adapter.ts');
  const backend = await createDefaultWebGpuBackend(gpu);
  const setMode = switcher(backend);
  const config: GptConfig = { ...gptPresets.tiny, contextLength: 32 };
  const run = trainer(backend, config, 2);
  const perStep: Record<Mode, { dispatches: number; submits: number; seconds: number }> = {} as never;
  for (const mode of ['fused', 'composite'] as const) {
    setMode(mode);
    await run.step(); // warm-up: pipelines compiled, pools filled
    const before = webGpuCounters(backend);
    const seconds = await run.step();
    const after = webGpuCounters(backend);
    perStep[mode] = { dispatches: after.dispatches - before.dispatches, submits: after.submits - before.submits, seconds };
  }
  setMode('fused');
  return {
    adapter: `${adapter.vendor} ${adapter.architecture} ${adapter.description}`.trim(),
    software: adapter.software,
    config,
    batch: 2,
    perStep,
    saved: perStep.composite.dispatches - perStep.fused.dispatches,
  };
}

async function main(): Promise<void> {
  console.log(`fused kernels on/off (${SWITCHED.join(', ')}); ${cpus().length} cores, node ${process.version}`);
  const wasm = await wasmAB();
  console.log(`wasm (${wasm.build}) tiny GPT train step, batch ${wasm.batch}, tokens/s (median, min–max):`);
  console.log(`  fused      ${formatSummary(wasm.fused)}`);
  console.log(`  composite  ${formatSummary(wasm.composite)}`);
  console.log(
    `  fused / composite: ${wasm.ratioFusedOverComposite.median.toFixed(3)}× (per-round ratios ${formatSummary(wasm.ratioFusedOverComposite.perRound, 3)}); forward loss difference ${wasm.forwardLoss.absoluteDifference.toExponential(2)}`,
  );
  const webgpu = withWebgpu ? await webgpuDispatches() : null;
  if (webgpu) {
    console.log(
      `webgpu (${webgpu.adapter}${webgpu.software ? ', software' : ''}) per training step: fused ${webgpu.perStep.fused.dispatches} dispatches / ${webgpu.perStep.fused.submits} submits, composite ${webgpu.perStep.composite.dispatches} / ${webgpu.perStep.composite.submits}: ${webgpu.saved} fewer`,
    );
  }
  const command = `npx tsx packages/benchmarks/src/fused-kernels.bench.ts ${argv.join(' ')}`.trim();
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, command, wasm, webgpu }, null, 2)}\n`);
  console.log(`wrote ${OUT}`);
  process.exit(0);
}

await main();
