/**
 * WebGPU bench: matmul GFLOP/s and tiny-GPT training-step tokens/s for wattformer on webgpu,
 * wattformer on wasm (one core) and TF.js on tfjs-backend-webgpu, interleaved in one process on
 * one Dawn instance (npm `webgpu`). Medians, min–max, ratios. `npm run bench` runs it on
 * SwiftShader (a CPU): then the numbers say nothing about GPU speed, and the output says so.
 * On a GPU machine: `bash scripts/gpu/bench-webgpu.sh` (passes `--hardware`: no SwiftShader,
 * and a software adapter is an error).
 *
 * Flags: --hardware, --driver swiftshader|lavapipe (the CPU Vulkan driver without --hardware;
 * lavapipe from packages/backend-webgpu/scripts/fetch-lavapipe.sh), --quick (fewer rounds),
 * --matmul-sizes 256,512, --attention-t 128,512 (attention sequence lengths; forward and
 * forward+backward each), --batch B, --context T, --only matmul|attention|training, --no-wasm (skip the
 * wasm column). The training step also reports wattformer's dispatches and queue submits per step
 * (`webGpuCounters`). Results: bench-results/webgpu-<driver>[-<only>].json (webgpu-hardware.json
 * with --hardware), with the command that made them.
 */
import * as tf from '@tensorflow/tfjs';
import { createDefaultWebGpuBackend, webGpuCounters, webGpuInfo } from '@wattformer/backend-webgpu';
import { adamw, attention, keep, setBackend, sum, tensor, tidy, valueAndGrad, withBackend, zerosLike, type Backend, type Tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { gptLoss, gptPresets, initGptParameters, type GptConfig } from '@wattformer/model';
import { formatSummary, summarize, type Summary } from './stats';
import { createTfjsGpt, type TfjsGpt } from './tfjs-gpt';
import { describeAdapter, ensureVulkanDriver, installDawn, type SoftwareDriver } from './webgpu-adapter';
import { writeResults } from './write-results';

const argv = process.argv.slice(2);
const hardware = argv.includes('--hardware');
const flag = (name: string): string | undefined => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};
const driver = (flag('--driver') ?? 'swiftshader') as SoftwareDriver;
if (driver !== 'swiftshader' && driver !== 'lavapipe') {
  console.error(
    `webgpu bench: --driver: expected swiftshader or lavapipe, got ${driver}\nhelp: a GPU's own driver is used with --hardware (scripts/gpu/bench-webgpu.sh)`,
  );
  process.exit(2);
}
const only = flag('--only');
if (only !== undefined && !['matmul', 'attention', 'training'].includes(only)) {
  console.error(`webgpu bench: --only: expected matmul, attention or training, got ${only}\nhelp: leave it out to run all three`);
  process.exit(2);
}
const withWasm = !argv.includes('--no-wasm');
ensureVulkanDriver(hardware, driver);

const quick = argv.includes('--quick');
const WARMUP = 1;
/** Rounds after warm-up; fewer on a software adapter, where one tiny-GPT step takes ~10 s. */
let ROUNDS = quick ? 2 : 5;

type Impl = () => Promise<number>;

/** Interleaved rounds: every implementation once per round, warm-up rounds dropped. */
async function interleave(label: string, impls: Record<string, Impl>): Promise<Record<string, Summary>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(impls).map((k) => [k, []]));
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    for (const [name, fn] of Object.entries(impls)) {
      const value = await fn();
      if (round >= WARMUP) samples[name]!.push(value);
    }
    process.stdout.write(`${label}: round ${round + 1}/${WARMUP + ROUNDS}${round < WARMUP ? ' (warm-up)' : ''}\r`);
  }
  process.stdout.write('\n');
  return Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, summarize(s)]));
}

const seconds = async (fn: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
};

function values(count: number, seed: number): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  });
}

/** `repeats` products of [n,n]·[n,n], then one read of the last: GFLOP/s including the wait. */
function wattformerMatmul(backend: Backend, n: number, repeats: number): Impl {
  const [a, b] = withBackend(backend, () => [keep(tensor(values(n * n, 1), [n, n])), keep(tensor(values(n * n, 2), [n, n]))]);
  return async () => {
    const time = await seconds(async () => {
      let last: Tensor | null = null;
      withBackend(backend, () => {
        for (let r = 0; r < repeats; r++) {
          last?.dispose();
          last = a!.matmul(b!);
        }
      });
      await last!.data();
      last!.dispose();
    });
    return (2 * n ** 3 * repeats) / time / 1e9;
  };
}

function tfjsMatmul(n: number, repeats: number): Impl {
  const [a, b] = [tf.tensor2d(values(n * n, 1), [n, n]), tf.tensor2d(values(n * n, 2), [n, n])];
  return async () => {
    const time = await seconds(async () => {
      let last: tf.Tensor | null = null;
      for (let r = 0; r < repeats; r++) {
        last?.dispose();
        last = tf.matMul(a, b);
      }
      await last!.data();
      last!.dispose();
    });
    return (2 * n ** 3 * repeats) / time / 1e9;
  };
}

/** One training step (valueAndGrad + fused AdamW) on `backend`; resolves with tokens/s, records the loss. */
/** Attention shapes: the tiny GPT's heads (H 4, D 32), batch 2, causal, over each T of --attention-t (128 and 512). */
const ATTENTION = { B: 2, H: 4, D: 32 };
type AttentionMode = 'forward' | 'forward+backward';
/** Calls per timed sample (each read back before the next): several for short sequences, so a sample is not one call's jitter. */
const attentionRepeats = (T: number): number => (T <= 128 ? 4 : 1);

/**
 * Causal attention: the forward output read back, or forward + backward (gradients of the sum for
 * Q, K, V, all three read back): calls/s.
 */
function wattformerAttention(backend: Backend, T: number, mode: AttentionMode): Impl {
  const { B, H, D } = ATTENTION;
  const size = B * T * H * D;
  const [q, k, v] = withBackend(backend, () => [1, 2, 3].map((seed) => keep(tensor(values(size, seed), [B, T, H * D]))));
  const run = (): Tensor[] =>
    withBackend(backend, () =>
      tidy(() =>
        mode === 'forward'
          ? [keep(attention(q!, k!, v!, { numHeads: H, causal: true }))]
          : valueAndGrad(() => sum(attention(q!, k!, v!, { numHeads: H, causal: true })), [q!, k!, v!]).grads.map((g) => keep(g)),
      ),
    );
  return async () => {
    const time = await seconds(async () => {
      for (let r = 0; r < attentionRepeats(T); r++) {
        const outputs = run();
        for (const o of outputs) await o.data();
        for (const o of outputs) o.dispose();
      }
    });
    return attentionRepeats(T) / time;
  };
}

/** The same on TF.js: [B, H, T, D] heads, composed from matMul, softmax and an additive causal mask. */
function tfjsAttention(T: number, mode: AttentionMode): Impl {
  const { B, H, D } = ATTENTION;
  const [q, k, v] = [1, 2, 3].map((seed) => tf.tensor4d(values(B * H * T * D, seed), [B, H, T, D]));
  const mask = tf.linalg
    .bandPart(tf.ones([T, T]), -1, 0)
    .sub(1)
    .mul(1e9);
  const heads = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
    tf.matMul(
      tf.softmax(
        tf
          .matMul(a, b, false, true)
          .mul(1 / Math.sqrt(D))
          .add(mask),
      ),
      c,
    );
  const gradsOf = tf.grads(((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(heads(a, b, c))) as (...args: tf.Tensor[]) => tf.Tensor);
  return async () => {
    const time = await seconds(async () => {
      for (let r = 0; r < attentionRepeats(T); r++) {
        const outputs = tf.tidy(() => (mode === 'forward' ? [heads(q!, k!, v!)] : gradsOf([q!, k!, v!])));
        for (const o of outputs) await o.data();
        tf.dispose(outputs);
      }
    });
    return attentionRepeats(T) / time;
  };
}

/** Dispatches and submits of each timed wattformer webgpu step. */
interface StepCounts {
  dispatches: number[];
  submits: number[];
}

function wattformerTrainer(
  backend: Backend,
  config: GptConfig,
  tokens: Int32Array,
  targets: Int32Array,
  B: number,
  T: number,
  losses: number[],
  counts?: StepCounts,
): Impl {
  const optimizer = { learningRate: 1e-3, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0 };
  const { list, m, v, x, y, p } = withBackend(backend, () => {
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
  let step = 0;
  return async () => {
    step++;
    const before = counts ? webGpuCounters(backend) : null;
    const time = await seconds(async () => {
      const loss = withBackend(backend, () =>
        tidy(() => {
          const { value, grads } = valueAndGrad(() => gptLoss(p, config, x, y), list);
          grads.forEach((g, i) => adamw(list[i]!, g, m[i]!, v[i]!, { ...optimizer, step }));
          return value;
        }),
      );
      losses.push((await loss.data())[0]!);
      loss.dispose();
    });
    if (counts && before) {
      const after = webGpuCounters(backend);
      counts.dispatches.push(after.dispatches - before.dispatches);
      counts.submits.push(after.submits - before.submits);
    }
    return (B * T) / time;
  };
}

/**
 * TF.js's step as in tfjs-gpt.ts, but read with `await data()`: tfjs-backend-webgpu's
 * `dataSync()` needs OffscreenCanvas, which Node lacks.
 */
function tfjsTrainer(model: TfjsGpt, optimizer: tf.Optimizer, tokens: tf.Tensor2D, targets: tf.Tensor2D, B: number, T: number, losses: number[]): Impl {
  return async () => {
    const time = await seconds(async () => {
      const loss = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => model.loss(tokens, targets), model.variables);
        optimizer.applyGradients(grads);
        return value;
      });
      losses.push((await loss.data())[0]!);
      loss.dispose();
    });
    return (B * T) / time;
  };
}

async function main(): Promise<void> {
  const gpu = installDawn();
  const adapter = await describeAdapter(gpu);
  if (!adapter) {
    console.error(
      'webgpu bench: expected a WebGPU adapter, got none from Dawn\nhelp: Dawn needs the Vulkan loader (libvulkan.so.1, Debian: libvulkan1) and the GPU ICD (NVIDIA: nvidia_icd.json from its driver); set VK_ICD_FILENAMES to choose one',
    );
    process.exit(2);
  }
  console.log(`adapter: ${JSON.stringify({ ...adapter, features: adapter.features.join(' ') })}`);
  if (adapter.software) {
    const warning = `SOFTWARE ADAPTER (${adapter.vendor} ${adapter.architecture}): WebGPU runs on the CPU here; these numbers say NOTHING about GPU speed.`;
    if (hardware) {
      console.error(`webgpu bench: expected a hardware GPU adapter (--hardware), got a software one\n${warning}`);
      process.exit(3);
    }
    console.log(`\n!!! ${warning}\n`);
  }
  if (adapter.software && !quick) ROUNDS = 3;
  const ours = await createDefaultWebGpuBackend(gpu);
  const wasm = await setBackend('wasm');
  await setBackend('cpu');
  // tfjs-backend-webgpu registers itself only if navigator.gpu exists when it is imported.
  await import('@tensorflow/tfjs-backend-webgpu');
  await tf.setBackend('webgpu');
  const anchor = `@tensorflow/tfjs ${tf.version.tfjs}, tfjs-backend-webgpu (${tf.getBackend()})`;

  const sizes =
    only !== undefined && only !== 'matmul' ? [] : (flag('--matmul-sizes') ?? (adapter.software ? '256,512,1024' : '256,512,1024,2048')).split(',').map(Number);
  const matmul: Record<string, Record<string, Summary>> = {};
  for (const n of sizes) {
    const repeats = adapter.software ? (n >= 1024 ? 1 : 2) : 10;
    matmul[`${n}`] = await interleave(`matmul ${n}×${n}·${n}×${n}`, {
      'wattformer webgpu': wattformerMatmul(ours, n, repeats),
      ...(withWasm ? { 'wattformer wasm, 1 core': wattformerMatmul(wasm, n, repeats) } : {}),
      'TF.js webgpu': tfjsMatmul(n, repeats),
    });
  }

  const attentionLengths = only !== undefined && only !== 'attention' ? [] : (flag('--attention-t') ?? '128,512').split(',').map(Number);
  if (attentionLengths.some((T) => !Number.isInteger(T) || T < 1)) {
    console.error(
      `webgpu bench: --attention-t: expected positive integers separated by commas, got ${flag('--attention-t')}\nhelp: e.g. --attention-t 128,512`,
    );
    process.exit(2);
  }
  const attentionStats: Record<string, Record<string, Summary>> = {};
  for (const T of attentionLengths) {
    for (const mode of ['forward', 'forward+backward'] as const) {
      attentionStats[`${mode} T=${T}`] = await interleave(`attention ${mode} B=${ATTENTION.B} H=${ATTENTION.H} T=${T} D=${ATTENTION.D}`, {
        'wattformer webgpu': wattformerAttention(ours, T, mode),
        ...(withWasm ? { 'wattformer wasm, 1 core': wattformerAttention(wasm, T, mode) } : {}),
        'TF.js webgpu': tfjsAttention(T, mode),
      });
    }
  }

  const B = Number(flag('--batch') ?? (adapter.software ? 2 : 16));
  const T = Number(flag('--context') ?? (adapter.software ? 32 : 128));
  const config: GptConfig = { ...gptPresets.tiny, contextLength: T };
  const tokens = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + (i >> 7)) % config.vocabSize);
  const targets = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + (i >> 7) + 7) % config.vocabSize);
  const losses: Record<string, number[]> = { 'wattformer webgpu': [], 'wattformer wasm, 1 core': [], 'TF.js webgpu': [] };
  const tfModel = createTfjsGpt(config, 1);
  const tfOptimizer = tf.train.adam(1e-3, 0.9, 0.95, 1e-8);
  const [tfTokens, tfTargets] = [tf.tensor2d(tokens, [B, T], 'int32'), tf.tensor2d(targets, [B, T], 'int32')];
  if (!withWasm) delete losses['wattformer wasm, 1 core'];
  const counts: StepCounts = { dispatches: [], submits: [] };
  const training =
    only !== undefined && only !== 'training'
      ? null
      : await interleave(`training step B=${B} T=${T}`, {
          'wattformer webgpu': wattformerTrainer(ours, config, tokens, targets, B, T, losses['wattformer webgpu']!, counts),
          ...(withWasm ? { 'wattformer wasm, 1 core': wattformerTrainer(wasm, config, tokens, targets, B, T, losses['wattformer wasm, 1 core']!) } : {}),
          'TF.js webgpu': tfjsTrainer(tfModel, tfOptimizer, tfTokens, tfTargets, B, T, losses['TF.js webgpu']!),
        });

  const ratios = (stats: Record<string, Summary>) => ({
    ...(stats['wattformer wasm, 1 core'] ? { webgpuVsWasm: stats['wattformer webgpu']!.median / stats['wattformer wasm, 1 core'].median } : {}),
    webgpuVsTfjsWebgpu: stats['wattformer webgpu']!.median / stats['TF.js webgpu']!.median,
  });
  const print = (title: string, stats: Record<string, Summary>, digits: number) => {
    console.log(title);
    for (const [name, s] of Object.entries(stats)) console.log(`  ${name.padEnd(26)} ${formatSummary(s, digits)}`);
    console.log(
      `  ratios: ${Object.entries(ratios(stats))
        .map(([k, r]) => `${k} ${r.toFixed(2)}×`)
        .join(', ')}`,
    );
  };
  console.log(`\nanchor: ${anchor}; f16 in wattformer: ${webGpuInfo(ours).f16}; ${ROUNDS} rounds after ${WARMUP} warm-up, interleaved`);
  for (const [n, stats] of Object.entries(matmul)) print(`matmul ${n}×${n}·${n}×${n}, GFLOP/s (median, min–max):`, stats, 2);
  for (const [name, stats] of Object.entries(attentionStats))
    print(`causal attention ${name} ${JSON.stringify(ATTENTION)}, calls/s (median, min–max):`, stats, 2);
  if (training) {
    print(`tiny GPT training step (${JSON.stringify(config)}, batch ${B}), tokens/s (median, min–max):`, training, 0);
    console.log(`  wattformer webgpu per step: ${counts.dispatches.join('/')} dispatches, ${counts.submits.join('/')} queue submits`);
    console.log(
      'losses after each step (same seed and data; TF.js has its own initialisation):',
      Object.fromEntries(Object.entries(losses).map(([k, l]) => [k, l.map((x) => +x.toFixed(4))])),
    );
  }
  if (adapter.software) console.log(`\n!!! software adapter: the webgpu figures above measure a CPU emulating a GPU, not a GPU.`);
  writeResults(`${hardware ? 'webgpu-hardware' : `webgpu-${driver}`}${only ? `-${only}` : ''}`, {
    command: `npx tsx packages/benchmarks/src/webgpu.bench.ts ${argv.join(' ')}`.trim(),
    adapter,
    anchor,
    rounds: ROUNDS,
    warmup: WARMUP,
    matmul: { unit: 'GFLOP/s', stats: matmul, ratios: Object.fromEntries(Object.entries(matmul).map(([n, s]) => [n, ratios(s)])) },
    attention: attentionLengths.length
      ? {
          unit: 'calls/s',
          shape: { ...ATTENTION, T: attentionLengths, causal: true },
          cases: Object.fromEntries(Object.entries(attentionStats).map(([name, stats]) => [name, { stats, ratios: ratios(stats) }])),
        }
      : null,
    training: training && { unit: 'tokens/s', config, batch: B, stats: training, ratios: ratios(training), losses, wattformerWebgpuPerStep: counts },
  });
  ours.dispose?.();
  tf.dispose([tfTokens, tfTargets]);
  process.exit(0);
}

await main();
