/**
 * Train-step A/B: the tiny-GPT training step (4 layers × d 128, context 128, batch 16; valueAndGrad
 * + fused AdamW) of this checkout against a build of a base commit, on one core and on two
 * (ParallelGptGradients, 2 replicas), in the same run. Each sample is a fresh child process
 * (train-step-child.mjs) running warm-up steps then timed steps on one build; the builds alternate
 * (order flipped each round), so load swings of a shared machine hit both alike, and each child's
 * peak RSS is its own. Each child also measures the SIMD peak of the kernel build it loaded
 * (simd-peak.mjs: independent f32x4 multiply-add chains, relaxed madd on the relaxed build) right
 * before and after its steps, so "% of peak" compares numbers taken under the same load.
 * FLOPs: gptFlopsPerToken(config).training (6·N + attention, PaLM's count) per token. Besides
 * wall-clock tokens/s it records tokens per CPU-second of the child (all threads), which a loaded
 * machine's time slicing barely moves: the A/B figure to read when the machine is shared.
 *
 * Run: `npx tsx packages/benchmarks/src/train-step-ab.bench.ts [--base <commit>] [--rounds 5] [--steps 4] [--warmup 2] [--quick]`
 * The base (default acba2d9, main when this bench was written) is built once in .tmp/ab-base
 * (ab-base.ts) and reused. Writes bench-results/train-step.json at the repository root.
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBaseBuild } from './ab-base';
import { formatSummary, summarize, type Summary } from './stats';
import { writeRepoResults } from './write-results';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const quick = args.includes('--quick');
const baseRevision = option('base', 'acba2d9');
const rounds = Number(option('rounds', quick ? '1' : '5'));
const steps = Number(option('steps', quick ? '2' : '4'));
const warmup = Number(option('warmup', quick ? '1' : '2'));
const REPLICAS = [1, 2] as const; // keys and fractionOfPeak below assume exactly these

interface ChildResult {
  readonly build: string;
  readonly rates: number[];
  readonly cpuRates: number[];
  readonly losses: number[];
  readonly peaks: number[];
  readonly cpuPeaks: number[];
  readonly flopsPerToken: number;
  readonly maxRssMiB: number;
  readonly wasmMemoryMiB: number;
}

function runChild(root: string, replicas: number): ChildResult {
  const child = spawnSync(
    process.execPath,
    [resolve(here, 'train-step-child.mjs'), '--root', root, '--replicas', String(replicas), '--steps', String(steps), '--warmup', String(warmup)],
    { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 },
  );
  const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (child.status !== 0 || line === undefined) {
    throw new Error(`train-step A/B: expected a RESULT line from the child (${root}, ${replicas} replicas), got exit ${child.status}\n${child.stderr}`);
  }
  return JSON.parse(line.slice('RESULT '.length)) as ChildResult;
}

function main(): void {
  const base = ensureBaseBuild(repoRoot, baseRevision);
  const impls = { base: base.dir, current: repoRoot } as const;
  type Impl = keyof typeof impls;
  const key = (impl: Impl, replicas: number) => `${impl}, ${replicas === 1 ? '1 core' : `${replicas} workers`}`;
  const results = new Map<string, ChildResult[]>();
  for (let round = 0; round < rounds; round++) {
    for (const replicas of REPLICAS) {
      const order: Impl[] = (round + replicas) % 2 ? ['current', 'base'] : ['base', 'current'];
      for (const impl of order) {
        const result = runChild(impls[impl], replicas);
        const k = key(impl, replicas);
        results.set(k, [...(results.get(k) ?? []), result]);
        console.log(
          `round ${round + 1}/${rounds} ${k.padEnd(22)} tokens/s ${result.rates.map((r) => r.toFixed(0)).join(' ')}  peak ${result.peaks.map((p) => p.toFixed(1)).join('/')} GFLOP/s  RSS ${result.maxRssMiB.toFixed(0)} MiB`,
        );
      }
    }
  }

  const table: Record<
    string,
    {
      tokensPerSecond: Summary;
      tokensPerCpuSecond: Summary;
      gflops: Summary;
      peakGflops: Summary;
      fractionOfPeak: Summary;
      cpuPeakGflops: Summary;
      cpuFractionOfPeak: Summary;
      maxRssMiB: Summary;
      wasmMemoryMiB: Summary;
      build: string;
    }
  > = {};
  for (const [k, list] of results) {
    const flops = list[0]!.flopsPerToken;
    // Per child: its median step against the better of the two peaks it measured around them,
    // times the cores it ran on (n replicas can reach n single-core peaks).
    const cores = k.endsWith('1 core') ? 1 : 2;
    const fractions = list.map((r) => (summarize(r.rates).median * flops) / 1e9 / (Math.max(...r.peaks) * cores));
    // The same per CPU-second: the step's tokens per CPU-second against the peak per CPU-second.
    const cpuFractions = list.map((r) => (summarize(r.cpuRates).median * flops) / 1e9 / Math.max(...r.cpuPeaks));
    table[k] = {
      build: list[0]!.build,
      tokensPerSecond: summarize(list.flatMap((r) => r.rates)),
      tokensPerCpuSecond: summarize(list.flatMap((r) => r.cpuRates)),
      gflops: summarize(list.flatMap((r) => r.rates.map((rate) => (rate * flops) / 1e9))),
      peakGflops: summarize(list.map((r) => Math.max(...r.peaks))),
      fractionOfPeak: summarize(fractions),
      cpuPeakGflops: summarize(list.map((r) => Math.max(...r.cpuPeaks))),
      cpuFractionOfPeak: summarize(cpuFractions),
      maxRssMiB: summarize(list.map((r) => r.maxRssMiB)),
      wasmMemoryMiB: summarize(list.map((r) => r.wasmMemoryMiB)),
    };
  }
  const med = (k: string) => table[k]!.tokensPerSecond.median;
  const cpuMed = (k: string) => table[k]!.tokensPerCpuSecond.median;
  // Current / base per round, from the two children of that round: less exposed to load swings.
  const paired = (replicas: number) => {
    const [b, c] = [results.get(key('base', replicas))!, results.get(key('current', replicas))!];
    return {
      wall: summarize(c.map((r, i) => summarize(r.rates).median / summarize(b[i]!.rates).median)),
      cpu: summarize(c.map((r, i) => summarize(r.cpuRates).median / summarize(b[i]!.cpuRates).median)),
    };
  };
  const ratios = {
    currentVsBase1Core: med(key('current', 1)) / med(key('base', 1)),
    currentVsBase2Workers: med(key('current', 2)) / med(key('base', 2)),
    scaling2WorkersCurrent: med(key('current', 2)) / med(key('current', 1)),
    scaling2WorkersBase: med(key('base', 2)) / med(key('base', 1)),
    // Per CPU-second: robust to a loaded machine's time slicing (1 core); for 2 workers, the
    // work the data-parallel path adds (1.0 = none; wall-clock scaling needs idle cores).
    cpuCurrentVsBase1Core: cpuMed(key('current', 1)) / cpuMed(key('base', 1)),
    cpuCurrentVsBase2Workers: cpuMed(key('current', 2)) / cpuMed(key('base', 2)),
    cpuEfficiency2WorkersCurrent: cpuMed(key('current', 2)) / cpuMed(key('current', 1)),
    cpuEfficiency2WorkersBase: cpuMed(key('base', 2)) / cpuMed(key('base', 1)),
  };
  const pairedRatios = { currentVsBase1Core: paired(1), currentVsBase2Workers: paired(2) };
  // 2 workers / 1 core of the same build within each round (children minutes apart at most): on a
  // shared machine most rounds have another job on one core; the max shows a round that had both.
  const scalingPerRound = (impl: Impl) => {
    const [one, two] = [results.get(key(impl, 1))!, results.get(key(impl, 2))!];
    return summarize(two.map((r, i) => summarize(r.rates).median / summarize(one[i]!.rates).median));
  };
  const pairedScaling = { current: scalingPerRound('current'), base: scalingPerRound('base') };

  console.log('\n(medians, min–max)');
  for (const [k, s] of Object.entries(table)) {
    console.log(
      `${k.padEnd(22)} ${s.build.padEnd(8)} tokens/s ${formatSummary(s.tokensPerSecond)}  per CPU-s ${formatSummary(s.tokensPerCpuSecond)}  GFLOP/s ${formatSummary(s.gflops, 1)}  peak ${formatSummary(s.peakGflops, 1)}  of peak ${formatSummary(s.fractionOfPeak, 2)}  per CPU-s: peak ${formatSummary(s.cpuPeakGflops, 1)}, of peak ${formatSummary(s.cpuFractionOfPeak, 2)}  RSS MiB ${formatSummary(s.maxRssMiB)}  wasm MiB ${formatSummary(s.wasmMemoryMiB)}`,
    );
  }
  console.log(
    'ratios of medians:',
    Object.entries(ratios)
      .map(([k, r]) => `${k} ${r.toFixed(3)}×`)
      .join(', '),
  );
  console.log(
    'paired (per round) current/base:',
    Object.entries(pairedRatios)
      .map(([k, s]) => `${k} wall ${formatSummary(s.wall, 3)}, CPU ${formatSummary(s.cpu, 3)}`)
      .join('; '),
  );
  console.log(
    'paired (per round) 2 workers / 1 core:',
    Object.entries(pairedScaling)
      .map(([k, s]) => `${k} ${formatSummary(s, 3)}`)
      .join('; '),
  );

  const command = `npx tsx packages/benchmarks/src/train-step-ab.bench.ts --base ${baseRevision} --rounds ${rounds} --steps ${steps} --warmup ${warmup}${quick ? ' --quick' : ''}`;
  writeRepoResults('train-step', {
    command,
    base: base.commit,
    method: `one child process per sample, builds alternating (order flipped each round); each child: ${warmup} warm-up steps then ${steps} timed steps, SIMD peak measured before and after; tokens/s (wall) and tokens per CPU-second of the child process (all its threads) and GFLOP/s over all timed steps; fractionOfPeak per child = its median step GFLOP/s / (the better of its two single-core peaks × the replicas it ran) (cpuFractionOfPeak: the same per CPU-second; with workers it counts every thread's CPU against one thread's peak, so it reads as efficiency); maxRssMiB = each child's peak RSS (workers are threads of that process); ratios = ratio of medians; pairedRatios = per-round current/base of child medians (wall and CPU); pairedScaling = per-round 2 workers / 1 core of one build (wall; its max is a round where no other job held a core)`,
    config: { model: 'gptPresets.tiny', batch: 16 },
    table,
    ratios,
    pairedRatios,
    pairedScaling,
    losses: Object.fromEntries([...results].map(([k, list]) => [k, list[0]!.losses])),
  });
}

main();
