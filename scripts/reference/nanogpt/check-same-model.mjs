// Checks that train_torch.py trains the same model the same way as train-wattformer.mjs, so the
// reference compares frameworks and not architectures: wattformer's initial parameters (seed 1)
// and its first N batches go to check_same_model.py, which runs the PyTorch GPT and AdamW step on
// them; per-step losses and gradient norms must agree within --tolerance (relative).
//
//   node scripts/reference/nanogpt/check-same-model.mjs [--steps 20] [--tolerance 1e-4] [--python PATH]
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setBackend, tensor } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { encodeSafetensors, gptLoss, initGptParameters } from '@wattformer/model';
import { createOptimizer, trainLoop, TokenBatches } from '@wattformer/trainer';
import { exportShakespeareChars, readExportedChars } from './export-data.mjs';
import { resolveTorchPython } from './python-env.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values: options } = parseArgs({
  options: { steps: { type: 'string', default: '20' }, tolerance: { type: 'string', default: '1e-4' }, python: { type: 'string' } },
});
const steps = Number(options.steps);
const tolerance = Number(options.tolerance);
const settings = JSON.parse(await readFile(join(here, 'nanogpt-config.json'), 'utf8'));
const dataDir = join(here, '.data');
const checkDir = join(dataDir, 'check');
await exportShakespeareChars(dataDir);
const { meta, train } = await readExportedChars(dataDir);

await setBackend('wasm');
const config = {
  vocabSize: meta.vocabSize,
  contextLength: settings.contextLength,
  modelDim: settings.modelDim,
  layers: settings.layers,
  heads: settings.heads,
  mlpDim: settings.mlpDim,
  tiedEmbeddings: true,
};
const [B, T] = [settings.batchSize, settings.contextLength];
const parameters = initGptParameters(config, 1);
await mkdir(checkDir, { recursive: true });
await writeFile(join(checkDir, 'init.safetensors'), encodeSafetensors([...parameters].map(([name, p]) => [name, { shape: p.shape, data: p.dataSync() }])));
const source = new TokenBatches(train, { batchSize: B, contextLength: T, seed: 1 });
const batches = Array.from({ length: steps }, () => source.next());
await writeFile(
  join(checkDir, 'batches.json'),
  JSON.stringify({ settings, meta: { vocabSize: meta.vocabSize }, batches: batches.map((b) => ({ tokens: [...b.tokens], targets: [...b.targets] })) }),
);

const ours = { losses: [], gradNorms: [] };
let next = 0;
await trainLoop({
  model: { parameters, loss: (b) => gptLoss(parameters, config, tensor(b.tokens, [B, T], 'i32'), tensor(b.targets, [B, T], 'i32')) },
  optimizer: createOptimizer(parameters, {
    kind: 'adamw',
    learningRate: settings.learningRate,
    beta1: settings.beta1,
    beta2: settings.beta2,
    epsilon: settings.epsilon,
    weightDecay: settings.weightDecay,
  }),
  batches: { next: () => batches[next++] },
  steps,
  schedule: {
    kind: 'cosine',
    learningRate: settings.learningRate,
    minLearningRate: settings.minLearningRate,
    warmupSteps: settings.warmupIters,
    totalSteps: settings.lrDecayIters,
  },
  gradientClip: settings.gradClip,
  onEvent: (e) => {
    if (e.type === 'step') ours.losses.push(e.loss), ours.gradNorms.push(e.gradNorm);
  },
});

const { python } = resolveTorchPython(options.python);
const theirs = JSON.parse(
  execFileSync(python, [join(here, 'check_same_model.py'), '--dir', checkDir], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .at(-1),
);
let worst = 0;
console.log('step | loss wattformer | loss torch | grad norm wattformer | grad norm torch');
for (let i = 0; i < steps; i++) {
  const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
  worst = Math.max(worst, rel(ours.losses[i], theirs.losses[i]), rel(ours.gradNorms[i], theirs.gradNorms[i]));
  console.log(`${i + 1} | ${ours.losses[i].toFixed(6)} | ${theirs.losses[i].toFixed(6)} | ${ours.gradNorms[i].toFixed(6)} | ${theirs.gradNorms[i].toFixed(6)}`);
}
console.log(`largest relative difference over ${steps} steps: ${worst.toExponential(2)} (tolerance ${tolerance})`);
if (!(worst <= tolerance)) {
  console.error(`reference: check-same-model: expected losses and gradient norms within ${tolerance} (relative), got ${worst.toExponential(2)}`);
  process.exit(1);
}
