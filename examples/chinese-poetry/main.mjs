// Trains a byte-level BPE tokenizer and a small GPT on Tang poems (the `chinese-poetry` npm
// package) on every core, streams a generated poem as it is sampled, and reports the energy and
// CO2e of the run (measured by @wattformer/carbon-estimator's NodeTracker).
//
//   node examples/chinese-poetry/main.mjs [--steps 1000] [--batch 8] [--lr 0.003] [--workers 2]
//        [--vocab 3000] [--form quatrain|five|seven|all] [--prompt 《春夜》] [--seed 1] [--region WORLD]
//        [--out poetry-out]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { setBackend } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { countGptParameters, initGptParameters, TextGenerator } from '@wattformer/model';
import { saveModelFolder } from '@wattformer/model/node';
import { CarbonLedger, createOptimizer, ParallelGptGradients, splitTokens, TokenBatches, trainLoop } from '@wattformer/trainer';
import { NodeTracker, renderHtml, renderMarkdown, toEstimateJson } from '@wattformer/carbon-estimator/node';
import { POETRY_SOURCE, poemText, readTangPoems } from './poems.mjs';
import { trainPoetryTokenizer } from './tokenizer.mjs';

const { values: options } = parseArgs({
  options: {
    steps: { type: 'string', default: '1000' },
    batch: { type: 'string', default: '8' },
    lr: { type: 'string', default: '0.003' },
    workers: { type: 'string', default: String(cpus().length) },
    vocab: { type: 'string', default: '3000' },
    form: { type: 'string', default: 'quatrain' },
    prompt: { type: 'string', default: '《春夜》' },
    seed: { type: 'string', default: '1' },
    region: { type: 'string', default: 'WORLD' },
    out: { type: 'string', default: 'poetry-out' },
  },
});
const positiveInteger = (flag) => {
  const value = Number(options[flag]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(
      `chinese-poetry example: --${flag}: expected a positive integer, got ${JSON.stringify(options[flag])}\nhelp: e.g. --${flag} ${flag === 'vocab' ? 4000 : 2}`,
    );
    process.exit(2);
  }
  return value;
};
const [steps, batchSize, workers, vocabSize, seed] = ['steps', 'batch', 'workers', 'vocab', 'seed'].map(positiveInteger);
const learningRate = Number(options.lr);
if (!(learningRate > 0 && learningRate < 1)) {
  console.error(`chinese-poetry example: --lr: expected a number in (0, 1), got ${JSON.stringify(options.lr)}\nhelp: e.g. --lr 0.003`);
  process.exit(2);
}

// The whole run is measured, tokenizer training included.
const tracker = new NodeTracker({ projectName: 'wattformer chinese-poetry example', region: options.region, samplingIntervalMs: 2000 });
await tracker.start();

// 1. Data: Tang poems (by default the 五言絕句, four five-character lines), each as 《title》, its
//    lines, a blank line.
const poems = await readTangPoems({ form: options.form });
const text = poems.map(poemText).join('');
console.log(`${POETRY_SOURCE}\n${poems.length.toLocaleString()} poems (form: ${options.form}), ${text.length.toLocaleString()} characters`);

// 2. Tokenizer: byte-level BPE trained on the poems; Chinese must round-trip exactly.
let started = performance.now();
const tokenizer = await trainPoetryTokenizer(poems, vocabSize);
const ids = tokenizer.encode(text);
if (tokenizer.decode(ids) !== text)
  throw new Error('chinese-poetry example: tokenizer: expected decode(encode(poems)) to equal the poems, got a different text');
console.log(
  `BPE tokenizer: vocabulary ${tokenizer.vocabSize}, ${ids.length.toLocaleString()} tokens (${(ids.length / text.length).toFixed(2)} per character), trained and checked in ${((performance.now() - started) / 1000).toFixed(1)} s; decode(encode(poems)) === poems`,
);
const { train, validation } = splitTokens(Int32Array.from(ids), 0.05);

// 3. Model: a GPT of 4 layers × 128 with a context of 64 tokens (a quatrain and its title, or half of an 8-line poem).
await setBackend('wasm');
const config = { vocabSize: tokenizer.vocabSize, contextLength: 64, modelDim: 128, layers: 4, heads: 4, mlpDim: 512, tiedEmbeddings: true };
const [B, T] = [batchSize, config.contextLength];
const parameters = initGptParameters(config, seed);
const optimizer = createOptimizer(parameters, { kind: 'adamw', learningRate, beta1: 0.9, beta2: 0.99, weightDecay: 0.1 });
const batches = new TokenBatches(train, { batchSize: B, contextLength: T, seed });
const validationBatches = new TokenBatches(validation, { batchSize: B, contextLength: T, seed: seed + 1 });
console.log(
  `GPT ${config.layers} layers × ${config.modelDim}, ${config.heads} heads, context ${T} tokens (${countGptParameters(config).total.toLocaleString()} parameters); batch ${B}, ${steps} steps on wasm, ${workers} core(s)`,
);

// 4. Train, with a progress bar (loss, tokens/s, ETA) and the carbon ledger.
const ledger = new CarbonLedger(tracker);
// Without a terminal (piped, CI) a plain line every 15 s instead of the bar.
const tty = process.stdout.isTTY === true;
const bar = tty
  ? new cliProgress.SingleBar(
      { format: 'train |{bar}| step {value}/{total} | loss {loss} | {speed} tok/s | ETA {eta_formatted} | {co2} CO2e', hideCursor: true },
      cliProgress.Presets.shades_classic,
    )
  : undefined;
let lastLine = performance.now();
let co2 = '-';
let lastLoss = NaN;
let validationLoss = NaN;
started = performance.now();
bar?.start(steps, 0, { loss: '-', speed: '-', co2 });
// Ctrl-C ends training after the current step (trainLoop's signal); the poem and report still come.
const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort());
let parallel;
let result;
try {
  // One replica per core: each computes the gradients of its rows of the batch (replica-worker.mjs).
  parallel = await ParallelGptGradients.create({ config, parameters, replicas: workers, workerUrl: new URL('./replica-worker.mjs', import.meta.url) });
  result = await trainLoop({
    model: parallel.model,
    signal: interrupt.signal,
    optimizer,
    batches,
    steps,
    schedule: { kind: 'cosine', learningRate, warmupSteps: 30, totalSteps: steps, minLearningRate: learningRate / 10 },
    gradientClip: 1,
    evaluation: { batches: validationBatches, every: Math.max(1, Math.floor(steps / 4)), iterations: 8 },
    carbon: { ledger, every: 20 },
    onEvent: (event) => {
      if (event.type === 'step') {
        lastLoss = event.loss;
        const speed = Math.round(event.tokens / event.seconds);
        bar?.update(event.step, { loss: event.loss.toFixed(3), speed, co2 });
        if (!tty && (performance.now() - lastLine > 15_000 || event.step === steps)) {
          lastLine = performance.now();
          const eta = Math.round(((steps - event.step) * event.seconds) / event.step);
          console.log(
            `step ${event.step}/${steps} | loss ${event.loss.toFixed(3)} | ${speed} tok/s | ETA ${Math.floor(eta / 60)}m${String(eta % 60).padStart(2, '0')}s | ${co2} CO2e`,
          );
        }
      } else if (event.type === 'eval') validationLoss = event.loss;
      else if (event.type === 'carbon') co2 = `${(event.entry.co2eKg * 1000).toPrecision(3)} g`;
    },
  });
} catch (error) {
  throw parallel ? await parallel.explain(error) : error;
} finally {
  bar?.stop();
  parallel?.dispose();
}
const seconds = (performance.now() - started) / 1000;
process.removeAllListeners('SIGINT');
console.log(
  `trained ${result.steps} steps (${(result.steps * B * T).toLocaleString()} tokens) in ${seconds.toFixed(0)} s; train loss ${lastLoss.toFixed(3)}, validation loss ${validationLoss.toFixed(3)}`,
);

// 5. A poem, streamed as it is sampled (TextGenerator.stream): each chunk is printed the moment
//    its characters are complete (a character whose bytes span two tokens waits for the second),
//    and sampling never picks bytes that cannot continue the character (constrainUtf8);
//    the blank line that ends a poem in the training text ends it here too.
const generator = new TextGenerator(parameters, config, tokenizer);
const prompt = `${options.prompt}\n`;
process.stdout.write(`\n--- a poem (prompt ${JSON.stringify(prompt)}, temperature 0.8, top-k 40, seed ${seed}) ---\n${prompt}`);
let poem = '';
for await (const chunk of generator.stream(prompt, { maxNewTokens: 120, temperature: 0.8, topK: 40, seed, stop: '\n\n' })) {
  process.stdout.write(chunk);
  poem += chunk;
}
process.stdout.write(`${poem.endsWith('\n') ? '' : '\n'}--------------\n`);
// TextGenerator keeps byte-level output well-formed UTF-8 (constrainUtf8, the default): a sampled
// lead byte is always followed by bytes that complete its character, so no U+FFFD is printed.
// (Checked: the report and the model folder are still written, and the exit status says it.)
if (poem.includes('\uFFFD')) {
  console.error('chinese-poetry example: poem: expected well-formed text, got U+FFFD\nhelp: this is a bug in TextGenerator; please report it');
  process.exitCode = 1;
}

// 6. What it cost: a short summary here, the full report (method, intervals, chart) in --out.
const { report } = await tracker.stop();
const figures = toEstimateJson(report);
const grams = (kg) => `${(kg * 1000).toPrecision(3)} g`;
console.log(
  `\ncarbon: ${(figures.energyKWh * 1000).toPrecision(3)} Wh, ${grams(figures.co2eKg)} CO2e (${grams(figures.co2eKgLow)}–${grams(figures.co2eKgHigh)}) at ${figures.intensityGramsPerKWh} gCO2e/kWh (${report.location.name})`,
);
const basis = report.notes?.find((note) => note.startsWith('What was measured'));
if (basis) console.log(basis);
mkdirSync(options.out, { recursive: true });
writeFileSync(join(options.out, 'carbon-report.md'), renderMarkdown(report));
writeFileSync(join(options.out, 'carbon-report.html'), renderHtml(report));
// The model as a Hugging Face folder (config.json, model.safetensors, tokenizer.json, …).
const modelFolder = join(options.out, 'model');
await saveModelFolder(modelFolder, { parameters, config, tokenizer });
console.log(`full report: ${join(options.out, 'carbon-report.html')} (and .md); model folder: ${modelFolder}`);
