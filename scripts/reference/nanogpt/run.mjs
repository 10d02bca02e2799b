// The nanoGPT CPU reference (issue 7): trains nanoGPT's shakespeare_char CPU config with
// wattformer (train-wattformer.mjs) and with a PyTorch implementation of the same GPT
// (train_torch.py) on the same exported data, one process at a time, each measured by
// @wattformer/carbon-estimator; writes results/<name>.json and results/<name>.md.
//
//   npm run reference:nanogpt                                   # 2,000 iterations, torch 3 seeds, ours 1
//   npm run reference:nanogpt -- --iters 200 --seeds 1          # a quick run (results/quick/)
//   options: --iters N  --seeds N (both sides)  --torch-seeds N  --ours-seeds N  --threads 1
//            --parallel N (runs at a time; default 1, each trainer alone)  --first-seed N (seeds N, N+1, …)
//            --collect (train nothing: rebuild the summary from every finished run in OUT/runs)
//            --python PATH (else $WATTFORMER_TORCH_PYTHON, else a venv in .venv)  --region ISO  --out DIR
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { exportShakespeareChars } from './export-data.mjs';
import { resolveTorchPython } from './python-env.mjs';
import { runTracked } from './run-tracked.mjs';
import { renderSummary, summarize } from './summary.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values: options } = parseArgs({
  options: {
    iters: { type: 'string' },
    seeds: { type: 'string' },
    'torch-seeds': { type: 'string' },
    'ours-seeds': { type: 'string' },
    threads: { type: 'string', default: '1' },
    parallel: { type: 'string', default: '1' },
    'first-seed': { type: 'string', default: '1' },
    collect: { type: 'boolean', default: false },
    python: { type: 'string' },
    region: { type: 'string', default: 'WORLD' },
    out: { type: 'string' },
  },
});
const settings = JSON.parse(await readFile(join(here, 'nanogpt-config.json'), 'utf8'));
const count = (name, value, fallback) => {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 0) throw new Error(`reference: nanogpt: expected --${name} to be an integer ≥ 0, got ${value}`);
  return n;
};
const iters = count('iters', options.iters, settings.maxIters);
if (iters < 1) throw new Error(`reference: nanogpt: expected --iters ≥ 1, got ${iters}`);
const torchSeeds = count('torch-seeds', options['torch-seeds'] ?? options.seeds, 3);
const oursSeeds = count('ours-seeds', options['ours-seeds'] ?? options.seeds, 1);
const threads = count('threads', options.threads, 1);
if (threads !== 1)
  throw new Error(`reference: nanogpt: expected --threads 1, got ${threads}\nhelp: our trainLoop runs on one thread; both sides use the same count`);
const parallel = count('parallel', options.parallel, 1);
if (parallel < 1) throw new Error(`reference: nanogpt: expected --parallel ≥ 1, got ${parallel}`);
const firstSeed = count('first-seed', options['first-seed'], 1);
const full = iters === settings.maxIters && options.iters === undefined;
const outDir = options.out ?? join(here, 'results', full ? '' : 'quick');
const name = `nanogpt-${iters}iters`;

const { python, torch } = torchSeeds > 0 && !options.collect ? resolveTorchPython(options.python) : { python: undefined, torch: undefined };
const dataDir = join(here, '.data');
const data = await exportShakespeareChars(dataDir);
console.log(
  `data: ${data.source}, ${data.characters.toLocaleString('en-US')} characters, vocabulary ${data.vocabSize}, ${data.trainTokens} train / ${data.validationTokens} validation tokens (sha256 ${data.sha256.slice(0, 12)}…)`,
);
if (options.collect) console.log(`collect: the finished ${iters}-iteration runs in ${join(outDir, 'runs')}`);
else
  console.log(
    `plan: ${iters} iterations; PyTorch ${torch ?? '-'} × ${torchSeeds} seeds, wattformer × ${oursSeeds} seeds; ${threads} thread each, ${parallel} process(es) at a time; ${cpus().length} logical CPUs, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );

// Order: ours 1 and torch 1 first, then the other torch seeds, then the other ours seeds (the
// longest runs last, so an interrupted run still holds a comparison; results are written after
// each run). With --parallel N, N runs go at a time, each taking the next in this order.
const seedList = (n, from = 0) => Array.from({ length: Math.max(0, n - from) }, (_, i) => firstSeed + from + i);
const plan = options.collect
  ? []
  : [
      ...seedList(Math.min(oursSeeds, 1)).map((seed) => ({ side: 'wattformer', seed })),
      ...seedList(torchSeeds).map((seed) => ({ side: 'torch', seed })),
      ...seedList(oursSeeds, 1).map((seed) => ({ side: 'wattformer', seed })),
    ];
await mkdir(join(outDir, 'runs'), { recursive: true });
const startedAt = new Date().toISOString();
const machine = { nproc: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', loadAverageBefore: loadavg() };
const started = performance.now();
const runs = [];
let nextRun = 0;
async function lane() {
  while (nextRun < plan.length) {
    const { side, seed } = plan[nextRun++];
    const file = join(outDir, 'runs', `${name}-${side}-seed${seed}.json`);
    const common = ['--data', dataDir, '--seed', String(seed), '--out', file, ...(full ? [] : ['--iters', String(iters)])];
    const [command, args] =
      side === 'torch'
        ? [python, [join(here, 'train_torch.py'), ...common, '--threads', String(threads)]]
        : [process.execPath, [join(here, 'train-wattformer.mjs'), ...common]];
    console.log(`\n== ${side}, seed ${seed} ==`);
    const measured = await runTracked(`${side}-seed${seed}`, command, args, { region: options.region });
    const run = { ...JSON.parse(await readFile(file, 'utf8')), process: measured, concurrentRuns: parallel };
    await writeFile(file, `${JSON.stringify(run, null, 2)}\n`);
    runs.push(run);
    console.log(
      `${side} seed ${seed}: process ${measured.wallSeconds.toFixed(0)} s, CPU ${measured.cpuSeconds.toFixed(0)} s, ${(measured.energyKWh * 1000).toFixed(2)} Wh, ${measured.co2eGrams.toFixed(3)} g CO2e`,
    );
    await writeResults(runs.length === plan.length);
  }
}
await Promise.all(Array.from({ length: Math.min(parallel, plan.length) }, lane));
if (options.collect) {
  const files = (await readdir(join(outDir, 'runs'))).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.json')).sort();
  for (const f of files) {
    const run = JSON.parse(await readFile(join(outDir, 'runs', f), 'utf8'));
    if (run.process) runs.push(run);
  }
  if (!runs.length) throw new Error(`reference: nanogpt: --collect: expected finished runs in ${join(outDir, 'runs')}, got none`);
  const loads = runs.flatMap((r) => [r.process.loadAverageBefore[0], r.process.loadAverageAfter[0]]);
  machine.loadAverageRange = [Math.min(...loads), Math.max(...loads)];
  delete machine.loadAverageBefore;
  await writeResults(true);
}

/** Writes results/<name>.json and .md from the runs so far (after every run). */
async function writeResults(complete) {
  if (complete && !options.collect) machine.loadAverageAfter = loadavg();
  const result = {
    schema: 'wattformer.reference.nanogpt/1',
    command: `npm run reference:nanogpt${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    complete,
    plannedRuns: options.collect ? runs.length : plan.length,
    ...(options.collect ? { collectedFrom: join(outDir, 'runs') } : {}),
    startedAt,
    wallSeconds: (performance.now() - started) / 1000,
    machine,
    settings: {
      ...settings,
      iters,
      lrDecayIters: full ? settings.lrDecayIters : iters,
      threads,
      parallel: options.collect ? Math.max(...runs.map((r) => r.concurrentRuns ?? 1)) : parallel,
    },
    data: { ...data, tokenizer: undefined },
    summary: summarize(runs),
    runs: runs.map(({ curve, ...rest }) => rest),
  };
  const markdown = renderSummary(result);
  await writeFile(join(outDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(join(outDir, `${name}.md`), markdown);
  if (complete) console.log(`\n${markdown}\nwrote ${join(outDir, `${name}.json`)} and .md (per-seed curves in ${join(outDir, 'runs')})`);
}
