// What pretraining is for: with 1,000 labelled reviews, the same GPT and tokenizer fine-tuned
// (a) from scratch, (b) from weights pretrained on unlabelled review text, fully, and (c) with
// LoRA, each scored on 2,000 held-out reviews. Pretrains first unless --model names a folder
// written by pretrain.mjs. Each run's learning rate and epochs are chosen on a validation split of
// the labelled reviews (800 fit, 200 scored after every epoch, for each rate of the grid), then
// the run trains on all 1,000 and is scored once on the test reviews. Finished runs are cached in
// --cache (keyed by the folder's files and the settings), so a rerun reuses them. Writes the
// table's numbers and the whole search to bench-results/sentiment-pretraining.json.
//
//   node examples/finetune-node/experiment.mjs [--model sentiment-out/pretrained] [--max-epochs 6]
//     [--full-lrs 0.0003,0.001,0.003] [--lora-lrs 0.001,0.003,0.01] [--pretrain-steps 5000]
//     [--runs scratch-full,pretrained-full,pretrained-lora] [--seed 1] [--cache sentiment-out/runs]
//     [--jobs 1]   (fine-tunings at once, each in its own process: main.mjs)
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NodeTracker, toEstimateJson } from '@wattformer/carbon-estimator/node';
import { IMDB_SOURCE } from '@wattformer/trainer/node';
import { sentimentData } from './data.mjs';
import { pretrain, PRETRAIN_DEFAULTS } from './pretrain.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: options } = parseArgs({
  options: {
    model: { type: 'string' },
    'max-epochs': { type: 'string', default: '6' },
    'pretrain-steps': { type: 'string', default: String(PRETRAIN_DEFAULTS.steps) },
    runs: { type: 'string', default: 'scratch-full,pretrained-full,pretrained-lora' },
    jobs: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    'data-seed': { type: 'string', default: '1' },
    'full-lrs': { type: 'string', default: '0.0003,0.001,0.003' },
    'lora-lrs': { type: 'string', default: '0.001,0.003,0.01' },
    cache: { type: 'string', default: join('sentiment-out', 'runs') },
    results: { type: 'string', default: join(here, 'bench-results', 'sentiment-pretraining.json') },
  },
});
const seed = Number(options.seed);
// The data split's seed stays 1 with another --seed (fine-tuning initialisation and batch order):
// the pretraining text excludes the test reviews of split 1 only.
const dataSeed = Number(options['data-seed']);
const maxEpochs = Number(options['max-epochs']);
const lrs = (flag) => options[flag].split(',').map(Number);
for (const flag of ['full-lrs', 'lora-lrs']) {
  if (!lrs(flag).every((lr) => lr > 0)) {
    console.error(`finetune-node example: --${flag}: expected comma-separated positive numbers, got ${JSON.stringify(options[flag])}`);
    process.exit(2);
  }
}
const RUNS = {
  'scratch-full': { scratch: true, mode: 'full', learningRates: lrs('full-lrs') },
  'pretrained-full': { scratch: false, mode: 'full', learningRates: lrs('full-lrs') },
  'scratch-lora': { scratch: true, mode: 'lora', learningRates: lrs('lora-lrs') },
  'pretrained-lora': { scratch: false, mode: 'lora', learningRates: lrs('lora-lrs') },
  'pretrained-frozen': { scratch: false, mode: 'frozen', learningRates: lrs('lora-lrs') },
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
const { train, test } = await sentimentData({ train: 1000, test: 2000, seed: dataSeed });

// A run's cache key: what it depends on (the folder's files it reads, the settings), so a rerun of
// the command reuses finished runs (delete the cache folder to run everything again).
const hashFile = (name) =>
  createHash('sha256')
    .update(readFileSync(join(model, name)))
    .digest('hex');
const folderKey = {
  scratch: hashFile('config.json') + hashFile('tokenizer.json'),
  pretrained: hashFile('config.json') + hashFile('tokenizer.json') + hashFile('model.safetensors'),
};
/** One fine-tuning in a child process (main.mjs, its own carbon tracker); cached by its settings. */
function runChild(label, run, { learningRate, epochs, validation }) {
  const args = [
    '--model',
    model,
    '--mode',
    run.mode,
    '--epochs',
    String(epochs),
    '--lr',
    String(learningRate),
    '--seed',
    String(seed),
    ...(dataSeed === seed ? [] : ['--data-seed', String(dataSeed)]),
    ...(run.scratch ? ['--scratch'] : []),
    ...(validation ? ['--validation'] : []),
  ];
  const key = createHash('sha256')
    .update(JSON.stringify({ args: args.slice(2), folder: folderKey[run.scratch ? 'scratch' : 'pretrained'], v: 2 }))
    .digest('hex')
    .slice(0, 16);
  const out = join(options.cache, `${key}.json`);
  const done = (result) => {
    const { model: _model, ...rest } = result;
    return { label, ...rest };
  };
  if (existsSync(out)) {
    console.log(`[${label}] cached: ${out}`);
    return Promise.resolve({ ...done(JSON.parse(readFileSync(out, 'utf8'))), cached: true });
  }
  mkdirSync(options.cache, { recursive: true });
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [join(here, 'main.mjs'), ...args, '--out', out], { maxBuffer: 1 << 24 }, (error) => {
      if (error) return reject(error);
      resolve(done(JSON.parse(readFileSync(out, 'utf8'))));
    });
    child.stdout.on('data', (chunk) => process.stdout.write(chunk.toString().replace(/^(?=.)/gm, `[${label}] `)));
  });
}
/** Runs tasks `jobs` at a time, results in task order. */
async function pool(tasks, jobs) {
  const results = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}
const jobs = Math.max(1, Number(options.jobs) || 1);

// 1. Hyper-parameter search on the validation split (800 of the labelled reviews fit, 200 score,
//    after every epoch): for each run, each learning rate; the test reviews are not read.
const searchTasks = names.flatMap((name) =>
  RUNS[name].learningRates.map(
    (learningRate) => () => runChild(`${name} lr ${learningRate} (validation)`, RUNS[name], { learningRate, epochs: maxEpochs, validation: true }),
  ),
);
const searchResults = await pool(searchTasks, jobs);
const search = {};
const chosen = {};
for (const name of names) {
  const mine = searchResults.filter((r) => r.label.startsWith(`${name} lr `));
  search[name] = mine.map((r) => ({ learningRate: r.learningRate, byEpoch: r.byEpoch, seconds: r.seconds, cached: r.cached ?? false }));
  // Best validation accuracy; ties to fewer epochs, then the lower rate.
  let best;
  for (const r of mine)
    for (const e of r.byEpoch) {
      if (
        !best ||
        e.accuracy > best.accuracy ||
        (e.accuracy === best.accuracy && (e.epoch < best.epochs || (e.epoch === best.epochs && r.learningRate < best.learningRate)))
      )
        best = { learningRate: r.learningRate, epochs: e.epoch, accuracy: e.accuracy };
    }
  chosen[name] = best;
  console.log(`${name}: chosen on validation: lr ${best.learningRate}, ${best.epochs} epochs (validation accuracy ${(best.accuracy * 100).toFixed(1)}%)`);
}

// 2. The final runs: all 1,000 labelled reviews, the chosen rate and epochs, scored once on the 2,000 test reviews.
const results = await pool(
  names.map(
    (name) => () =>
      runChild(name, RUNS[name], { learningRate: chosen[name].learningRate, epochs: chosen[name].epochs, validation: false }).then((r) => ({
        name,
        validationAccuracy: chosen[name].accuracy,
        ...r,
      })),
  ),
  jobs,
);

const { report } = await tracker.stop();
// This process (pretraining, when it ran here) plus the child processes' own measurements.
const own = toEstimateJson(report);
// (cached runs count what they measured when they ran)
const children = [...searchResults, ...results].filter((r) => r.carbon).map((r) => r.carbon);
const carbon = {
  ...own,
  energyKWh: own.energyKWh + children.reduce((a, c) => a + c.energyKWh, 0),
  co2eKg: own.co2eKg + children.reduce((a, c) => a + c.co2eKg, 0),
  co2eKgLow: own.co2eKgLow + children.reduce((a, c) => a + c.co2eKgLow, 0),
  co2eKgHigh: own.co2eKgHigh + children.reduce((a, c) => a + c.co2eKgHigh, 0),
};
const table = results.map(
  (r) =>
    `| ${r.name} | ${r.trainable.toLocaleString()} | ${r.learningRate} | ${r.epochs} | ${(r.validationAccuracy * 100).toFixed(1)}% | ${(r.test.accuracy * 100).toFixed(2)}% | ${r.test.macroF1.toFixed(4)} | ${r.seconds.toFixed(0)} s |`,
);
console.log(
  [
    '',
    '| run | trainable | lr | epochs | validation accuracy | test accuracy | macro F1 | time |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...table,
  ].join('\n'),
);
const scratch = results.find((r) => r.name === 'scratch-full');
if (scratch)
  for (const r of results.filter((x) => x !== scratch))
    console.log(`${r.name} − scratch-full: ${((r.test.accuracy - scratch.test.accuracy) * 100).toFixed(2)} points`);
mkdirSync(dirname(options.results), { recursive: true });
writeFileSync(
  options.results,
  JSON.stringify(
    {
      command: `node examples/finetune-node/experiment.mjs ${process.argv.slice(2).join(' ')}`.trim(),
      date: new Date().toISOString(),
      data: {
        source: IMDB_SOURCE,
        labelledTrain: train.length,
        heldOutTest: test.length,
        dataSeed,
        validation: 'a balanced 800/200 split of the labelled training reviews (data.mjs validationSplit)',
        seed,
      },
      pretraining,
      search: {
        maxEpochs,
        learningRates: Object.fromEntries(names.map((n) => [n, RUNS[n].learningRates])),
        rule: 'best validation accuracy after any epoch; ties to fewer epochs, then the lower rate',
        runs: search,
        chosen,
      },
      runs: results,
      wallSeconds: (performance.now() - started) / 1000,
      jobs,
      carbon: {
        energyKWh: carbon.energyKWh,
        co2eKg: carbon.co2eKg,
        co2eKgLow: carbon.co2eKgLow,
        co2eKgHigh: carbon.co2eKgHigh,
        intensityGramsPerKWh: carbon.intensityGramsPerKWh,
      },
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    },
    null,
    2,
  ) + '\n',
);
console.log(`results: ${options.results}`);
