// What pretraining is for: with 1,000 labelled reviews, the same GPT and tokenizer fine-tuned
// (a) from scratch, (b) from weights pretrained on unlabelled review text, fully, and (c) with
// LoRA, each scored on 2,000 held-out reviews. Pretrains first unless --model names a folder
// written by pretrain.mjs. Writes the table's numbers to bench-results/sentiment-pretraining.json.
//
//   node examples/finetune-node/experiment.mjs [--model sentiment-out/pretrained] [--epochs 6]
//     [--pretrain-steps 800] [--runs scratch-full,pretrained-full,pretrained-lora] [--seed 1]
//     [--jobs 1]   (fine-tunings at once, each in its own process: main.mjs)
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NodeTracker, toEstimateJson } from '@wattformer/carbon-estimator/node';
import { IMDB_SOURCE } from '@wattformer/trainer/node';
import { sentimentData } from './data.mjs';
import { runFinetune } from './finetune.mjs';
import { pretrain, PRETRAIN_DEFAULTS } from './pretrain.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: options } = parseArgs({
  options: {
    model: { type: 'string' },
    epochs: { type: 'string', default: '6' },
    'pretrain-steps': { type: 'string', default: String(PRETRAIN_DEFAULTS.steps) },
    runs: { type: 'string', default: 'scratch-full,pretrained-full,pretrained-lora' },
    jobs: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    'full-lr': { type: 'string', default: '0.002' },
    'lora-lr': { type: 'string', default: '0.01' },
    results: { type: 'string', default: join(here, 'bench-results', 'sentiment-pretraining.json') },
  },
});
const seed = Number(options.seed);
const epochs = Number(options.epochs);
const RUNS = {
  'scratch-full': { scratch: true, mode: 'full', learningRate: Number(options['full-lr']) },
  'pretrained-full': { scratch: false, mode: 'full', learningRate: Number(options['full-lr']) },
  'pretrained-lora': { scratch: false, mode: 'lora', learningRate: Number(options['lora-lr']) },
  'pretrained-frozen': { scratch: false, mode: 'frozen', learningRate: Number(options['lora-lr']) },
};
const names = options.runs.split(',');
for (const name of names) {
  if (!(name in RUNS)) {
    console.error(`finetune-node example: --runs: expected names among ${Object.keys(RUNS).join(', ')}, got ${JSON.stringify(name)}`);
    process.exit(2);
  }
}

const tracker = new NodeTracker({ projectName: 'wattformer sentiment pretraining experiment', samplingIntervalMs: 5000 });
await tracker.start();
const started = performance.now();
const model = options.model ?? join('sentiment-out', 'pretrained');
let pretraining;
if (existsSync(join(model, 'config.json'))) {
  pretraining = existsSync(join(model, 'pretraining.json')) ? JSON.parse(readFileSync(join(model, 'pretraining.json'), 'utf8')) : { from: model };
  console.log(`pretrained model folder: ${model}`);
} else {
  pretraining = await pretrain({ ...PRETRAIN_DEFAULTS, out: model, steps: Number(options['pretrain-steps']), seed, workers: Math.min(2, cpus().length) });
}

const { train, test } = await sentimentData({ train: 1000, test: 2000, seed });
const jobs = Math.max(1, Math.min(names.length, Number(options.jobs) || 1));
/** One fine-tuning in a child process (main.mjs, same data and settings); its own tracker measures it. */
function runChild(name) {
  const run = RUNS[name];
  const out = join(dirname(options.results), `.${name}.${process.pid}.json`);
  const args = [join(here, 'main.mjs'), '--model', model, '--mode', run.mode, '--epochs', String(epochs), '--lr', String(run.learningRate), '--seed', String(seed), '--out', out, ...(run.scratch ? ['--scratch'] : [])];
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, args, { maxBuffer: 1 << 24 }, (error) => {
      if (error) return reject(error);
      const { model: _model, carbon: childCarbon, ...result } = JSON.parse(readFileSync(out, 'utf8'));
      rmSync(out, { force: true });
      resolve({ name, ...result, carbon: childCarbon });
    });
    child.stdout.on('data', (chunk) => process.stdout.write(chunk.toString().replace(/^(?=.)/gm, `[${name}] `)));
  });
}
let results = [];
if (jobs === 1) for (const name of names) results.push({ name, ...(await runFinetune({ model, ...RUNS[name], train, test, epochs, seed })) });
else {
  mkdirSync(dirname(options.results), { recursive: true });
  const queue = [...names];
  const workers = Array.from({ length: jobs }, async () => {
    while (queue.length > 0) {
      const name = queue.shift();
      results.push(await runChild(name));
    }
  });
  await Promise.all(workers);
  results = names.map((name) => results.find((r) => r.name === name));
}

const { report } = await tracker.stop();
// This process (pretraining, when it ran here) plus the child processes' own measurements.
const own = toEstimateJson(report);
const children = results.filter((r) => r.carbon).map((r) => r.carbon);
const carbon = {
  ...own,
  energyKWh: own.energyKWh + children.reduce((a, c) => a + c.energyKWh, 0),
  co2eKg: own.co2eKg + children.reduce((a, c) => a + c.co2eKg, 0),
  co2eKgLow: own.co2eKgLow + children.reduce((a, c) => a + c.co2eKgLow, 0),
  co2eKgHigh: own.co2eKgHigh + children.reduce((a, c) => a + c.co2eKgHigh, 0),
};
const table = results.map((r) => `| ${r.name} | ${r.trainable.toLocaleString()} | ${(r.test.accuracy * 100).toFixed(2)}% | ${r.test.macroF1.toFixed(4)} | ${r.seconds.toFixed(0)} s |`);
console.log(['', '| run | trainable | test accuracy | macro F1 | time |', '| --- | ---: | ---: | ---: | ---: |', ...table].join('\n'));
const scratch = results.find((r) => r.name === 'scratch-full');
if (scratch) for (const r of results.filter((x) => x !== scratch)) console.log(`${r.name} − scratch-full: ${((r.test.accuracy - scratch.test.accuracy) * 100).toFixed(2)} points`);
mkdirSync(dirname(options.results), { recursive: true });
writeFileSync(
  options.results,
  JSON.stringify(
    {
      command: `node examples/finetune-node/experiment.mjs ${process.argv.slice(2).join(' ')}`.trim(),
      date: new Date().toISOString(),
      data: { source: IMDB_SOURCE, labelledTrain: train.length, heldOutTest: test.length, seed },
      pretraining,
      runs: results,
      wallSeconds: (performance.now() - started) / 1000,
      jobs,
      carbon: { energyKWh: carbon.energyKWh, co2eKg: carbon.co2eKg, co2eKgLow: carbon.co2eKgLow, co2eKgHigh: carbon.co2eKgHigh, intensityGramsPerKWh: carbon.intensityGramsPerKWh },
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    },
    null,
    2,
  ) + '\n',
);
console.log(`results: ${options.results}`);
