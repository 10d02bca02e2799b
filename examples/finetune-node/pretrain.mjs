// Pretraining on unlabelled review text: a byte-level BPE tokenizer (lowercased) and a GPT trained
// by next-token prediction on IMDB reviews with their labels dropped (never the held-out test
// reviews), on every core, for a step budget. Checkpoints every --checkpoint-every steps and
// resumes from the newest checkpoint when rerun. Writes a Hugging Face model folder (config.json,
// model.safetensors, tokenizer.json, …) that `main.mjs --model DIR` fine-tunes with the folder's
// own tokenizer.
//
//   node examples/finetune-node/pretrain.mjs [--out sentiment-out/pretrained] [--steps 5000]
//     [--vocab 4096] [--layers 2] [--d-model 128] [--heads 4] [--context 128] [--workers 2]
//     [--checkpoint-every 250] [--seed 1]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setBackend } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { countGptParameters, initGptParameters } from '@wattformer/model';
import { saveModelFolder } from '@wattformer/model/node';
import { Tokenizer, trainBpe } from '@wattformer/tokenizer';
import {
  createOptimizer,
  IMDB_SOURCE,
  ParallelGptGradients,
  restoreLatestCheckpoint,
  saveTrainingCheckpoint,
  TokenBatches,
  trainLoop,
} from '@wattformer/trainer/node';
import { sentimentData } from './data.mjs';

/** Runs the pretraining; returns what it did (also written as pretraining.json in the folder). */
export async function pretrain(settings) {
  const {
    out,
    steps,
    vocab,
    layers,
    modelDim,
    heads,
    context,
    workers,
    seed,
    test,
    train,
    tokenizerReviews,
    checkpointEvery = 250,
    log = console.log,
  } = settings;
  // Checkpoints (model, optimizer moments, batch position) go to `<out>-checkpoints/step-N`; a rerun
  // of the same command resumes from the newest one, and `<out>-partial` is a model folder of the
  // newest checkpoint's weights (usable while the run goes on).
  const checkpoints = `${out}-checkpoints`;
  const started = performance.now();
  await setBackend('wasm');
  const { unlabelled } = await sentimentData({ train, test, seed });

  // Tokenizer: byte-level BPE on the first `tokenizerReviews` unlabelled reviews, lowercased by its own normalizer.
  // A resumed run reads the tokenizer it saved when it started.
  const savedTokenizer = join(checkpoints, 'tokenizer.json');
  let tokenizer;
  if (existsSync(savedTokenizer)) tokenizer = Tokenizer.fromJSON(JSON.parse(readFileSync(savedTokenizer, 'utf8')));
  else {
    const trained = await trainBpe(
      unlabelled.slice(0, tokenizerReviews).map((t) => t.toLowerCase()),
      { vocabSize: vocab, specialTokens: ['<|endoftext|>'] },
    );
    tokenizer = Tokenizer.fromJSON({ ...trained.toJSON(), normalizer: { type: 'Lowercase' } });
    await mkdir(checkpoints, { recursive: true });
    writeFileSync(savedTokenizer, JSON.stringify(tokenizer.toJSON()));
  }
  const endOfText = tokenizer.tokenToId('<|endoftext|>');

  // The token stream: shuffled unlabelled reviews, each followed by <|endoftext|>, until the step
  // budget is covered (each review is seen about once), so only what is trained on is encoded.
  const B = 16;
  const needed = Math.ceil(steps * B * context * 1.05) + context + 1;
  const chunks = [];
  let length = 0;
  let reviews = 0;
  for (const text of unlabelled) {
    if (length >= needed) break;
    const ids = tokenizer.encode(text);
    chunks.push(ids, [endOfText]);
    length += ids.length + 1;
    reviews++;
  }
  const stream = new Int32Array(length);
  let offset = 0;
  for (const ids of chunks) {
    stream.set(ids, offset);
    offset += ids.length;
  }
  const config = { vocabSize: tokenizer.vocabSize, contextLength: context, modelDim, layers, heads, mlpDim: 4 * modelDim, tiedEmbeddings: true };
  const parameters = initGptParameters(config, seed);
  log(
    `pretraining: ${IMDB_SOURCE}, ${unlabelled.length.toLocaleString()} unlabelled reviews (test reviews excluded); BPE ${tokenizer.vocabSize} tokens (trained on ${Math.min(tokenizerReviews, unlabelled.length).toLocaleString()}); stream of ${reviews.toLocaleString()} reviews, ${length.toLocaleString()} tokens; GPT ${layers}×${modelDim}, ${heads} heads, context ${context} (${countGptParameters(config).total.toLocaleString()} parameters); ${steps} steps of ${B}×${context} on ${workers} core(s)`,
  );

  const learningRate = settings.learningRate ?? 3e-3;
  const optimizer = createOptimizer(parameters, { kind: 'adamw', learningRate, beta1: 0.9, beta2: 0.99, weightDecay: 0.1 });
  const batches = new TokenBatches(stream, { batchSize: B, contextLength: context, seed });
  const restored = await restoreLatestCheckpoint(checkpoints, { parameters, config }, optimizer);
  const startStep = restored?.state.step ?? 0;
  const earlier = restored?.state.extra ?? { seconds: 0, losses: [] };
  if (restored) {
    batches.restore(restored.state.batches);
    log(`resuming from ${restored.path} (step ${startStep})`);
  }
  const losses = [...earlier.losses];
  const parallel = await ParallelGptGradients.create({ config, parameters, replicas: workers, workerUrl: new URL('./replica-worker.mjs', import.meta.url) });
  let last = performance.now();
  let loss = NaN;
  let result;
  try {
    result = await trainLoop({
      model: parallel.model,
      optimizer,
      batches,
      steps,
      startStep,
      schedule: { kind: 'cosine', learningRate, warmupSteps: Math.min(100, Math.round(steps / 20)), totalSteps: steps, minLearningRate: learningRate / 10 },
      gradientClip: 1,
      onEvent: async (event) => {
        if (event.type !== 'step') return;
        loss = event.loss;
        if (event.step % 50 === 0 || event.step === 1) losses.push([event.step, Number(event.loss.toFixed(4))]);
        if (performance.now() - last > 20_000 || event.step === steps) {
          last = performance.now();
          log(
            `pretrain step ${event.step}/${steps} | loss ${event.loss.toFixed(3)} | ${Math.round(event.tokens / event.seconds)} tok/s | ${((earlier.seconds ?? 0) + (performance.now() - started) / 1000).toFixed(0)} s`,
          );
        }
        if (event.step % checkpointEvery === 0 && event.step < steps) {
          const extra = { seconds: (earlier.seconds ?? 0) + (performance.now() - started) / 1000, losses };
          await saveTrainingCheckpoint(checkpoints, { parameters, config }, optimizer, { step: event.step, batches: batches.state(), extra }, { keepLast: 2 });
          await saveModelFolder(`${out}-partial`, { parameters, config, tokenizer });
          writeFileSync(
            join(`${out}-partial`, 'pretraining.json'),
            JSON.stringify({ steps: event.step, of: steps, finalLoss: loss, ...extra }, null, 2) + '\n',
          );
        }
      },
    });
  } catch (error) {
    throw await parallel.explain(error);
  } finally {
    parallel.dispose();
  }
  await saveModelFolder(out, { parameters, config, tokenizer });
  const summary = {
    steps: result.steps,
    tokens: result.steps * B * context,
    streamTokens: length,
    reviewsInStream: reviews,
    unlabelledReviews: unlabelled.length,
    finalLoss: loss,
    initialLoss: losses[0]?.[1] ?? result.losses[0],
    seconds: (earlier.seconds ?? 0) + (performance.now() - started) / 1000,
    resumedAt: restored ? startStep : undefined,
    config,
    workers,
    batchSize: B,
    learningRate,
    losses,
  };
  writeFileSync(join(out, 'pretraining.json'), JSON.stringify(summary, null, 2) + '\n');
  log(
    `pretrained ${result.steps} steps (${summary.tokens.toLocaleString()} tokens), loss ${summary.initialLoss.toFixed(3)} → ${loss.toFixed(3)}, ${summary.seconds.toFixed(0)} s; model folder ${out}`,
  );
  return summary;
}

export const PRETRAIN_DEFAULTS = {
  out: 'sentiment-out/pretrained',
  steps: 5000,
  vocab: 4096,
  layers: 2,
  modelDim: 128,
  heads: 4,
  context: 128,
  workers: Math.min(2, cpus().length),
  seed: 1,
  train: 1000,
  test: 2000,
  tokenizerReviews: 20000,
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: Object.fromEntries(
      ['out', 'steps', 'vocab', 'layers', 'd-model', 'heads', 'context', 'workers', 'seed', 'train', 'test', 'tokenizer-reviews', 'checkpoint-every'].map(
        (name) => [name, { type: 'string' }],
      ),
    ),
  });
  const settings = { ...PRETRAIN_DEFAULTS };
  for (const [name, value] of Object.entries(values)) {
    const key = name.replace(/-([a-z])/g, (_, c) => c.toUpperCase()).replace('dModel', 'modelDim');
    if (key === 'out') settings.out = value;
    else {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 1) {
        console.error(`finetune-node example: --${name}: expected a positive integer, got ${JSON.stringify(value)}`);
        process.exit(2);
      }
      settings[key] = number;
    }
  }
  await pretrain(settings);
}
