// Sentiment fine-tuning on IMDB from a model folder (written by pretrain.mjs, or any GPT folder
// with a tokenizer.json): the folder's tokenizer, its pretrained weights or (`--scratch`) fresh
// ones of the same shape; `--mode full|lora|frozen`; test accuracy and F1 on held-out reviews,
// the time taken, and the energy and CO2e.
//
//   node examples/finetune-node/pretrain.mjs                       # writes sentiment-out/pretrained
//   node examples/finetune-node/main.mjs --model sentiment-out/pretrained [--mode full|lora|frozen]
//     [--scratch] [--train 1000] [--test 2000] [--epochs 6] [--lr 0.002] [--pooling mean|last] [--truncation end|start] [--validation]
//     [--lora-rank 8] [--seed 1] [--region WORLD] [--out sentiment-out/finetune.json]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { NodeTracker, toEstimateJson } from '@wattformer/carbon-estimator/node';
import { sentimentData, validationSplit } from './data.mjs';
import { runFinetune } from './finetune.mjs';

const { values: options } = parseArgs({
  options: {
    model: { type: 'string', default: 'sentiment-out/pretrained' },
    mode: { type: 'string', default: 'full' },
    scratch: { type: 'boolean', default: false },
    train: { type: 'string', default: '1000' },
    test: { type: 'string', default: '2000' },
    epochs: { type: 'string', default: '6' },
    lr: { type: 'string' },
    pooling: { type: 'string', default: 'mean' },
    truncation: { type: 'string', default: 'end' },
    validation: { type: 'boolean', default: false },
    'lora-rank': { type: 'string', default: '8' },
    seed: { type: 'string', default: '1' },
    'data-seed': { type: 'string' },
    region: { type: 'string', default: 'WORLD' },
    out: { type: 'string', default: 'sentiment-out/finetune.json' },
  },
});
const number = (flag, integer = true) => {
  const value = Number(options[flag]);
  if (!(value > 0) || (integer && !Number.isInteger(value))) {
    console.error(`finetune-node example: --${flag}: expected a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(options[flag])}`);
    process.exit(2);
  }
  return value;
};
if (!['full', 'lora', 'frozen'].includes(options.mode)) {
  console.error(`finetune-node example: --mode: expected full, lora or frozen, got ${JSON.stringify(options.mode)}`);
  process.exit(2);
}
const tracker = new NodeTracker({ projectName: 'wattformer finetune-node example', region: options.region, samplingIntervalMs: 2000 });
await tracker.start();
const seed = number('seed');
if (!['start', 'end'].includes(options.truncation)) {
  console.error(`finetune-node example: --truncation: expected start or end, got ${JSON.stringify(options.truncation)}`);
  process.exit(2);
}
// --data-seed (default: --seed) picks the labelled/test split; a pretrained folder must come from
// the same split (its unlabelled text excludes that split's test reviews).
const dataSeed = options['data-seed'] === undefined ? seed : number('data-seed');
const data = await sentimentData({ train: number('train'), test: number('test'), seed: dataSeed });
// --validation: train on 80% of the labelled reviews, score the other 20% after every epoch (for
// choosing the learning rate and epochs); the test reviews are not read.
const { train, test } = options.validation ? validationSplit(data.train, dataSeed) : data;
const result = await runFinetune({
  model: options.model,
  scratch: options.scratch,
  mode: options.mode,
  train,
  test,
  epochs: number('epochs'),
  learningRate: options.lr ? number('lr', false) : options.mode === 'full' ? 0.002 : 0.01,
  pooling: options.pooling,
  truncation: options.truncation,
  evaluateEveryEpoch: options.validation,
  loraRank: number('lora-rank'),
  seed,
});
const { report } = await tracker.stop();
const carbon = toEstimateJson(report);
console.log(
  `carbon: ${(carbon.energyKWh * 1000).toPrecision(3)} Wh, ${(carbon.co2eKg * 1000).toPrecision(3)} g CO2e (${(carbon.co2eKgLow * 1000).toPrecision(3)}–${(carbon.co2eKgHigh * 1000).toPrecision(3)} g) at ${carbon.intensityGramsPerKWh} gCO2e/kWh (${report.location.name})`,
);
mkdirSync(dirname(options.out), { recursive: true });
writeFileSync(options.out, JSON.stringify({ model: options.model, ...result, carbon }, null, 2) + '\n');
console.log(`results: ${options.out}`);
