/**
 * What two cores of this machine give a tiny-GPT train step at best, next to what the trainer's
 * data-parallel step gets from them, in one run:
 *   - alone: one child process training on one core (train-step-child.mjs, --replicas 1);
 *   - pair: two such children started together, no shared state at all: their summed tokens/s
 *     over one child alone is the ceiling of 2-core scaling here (shared caches, memory
 *     bandwidth, how the host schedules the two vCPUs), which no data-parallel design can beat;
 *   - data-parallel: one child with --replicas 2 (ParallelGptGradients, batch 16 split 8 + 8).
 * The three alternate within each round (order rotated each round). Ratios of medians and
 * per-round ratios; tokens/s are each child's median step (wall).
 *
 * npx tsx packages/benchmarks/src/two-core-ceiling.bench.ts [--rounds 7] [--steps 6] [--warmup 4]
 * Writes bench-results/two-core-ceiling.json at the repository root.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSummary, summarize } from './stats';
import { writeRepoResults } from './write-results';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const rounds = Number(option('rounds', '7'));
const steps = Number(option('steps', '6'));
const warmup = Number(option('warmup', '4'));

interface ChildResult {
  readonly rates: number[];
}

function runChild(replicas: number): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [resolve(here, 'train-step-child.mjs'), '--root', repoRoot, '--replicas', String(replicas), '--steps', String(steps), '--warmup', String(warmup)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (status !== 0 || line === undefined) {
        fail(new Error(`two-core ceiling: expected a RESULT line from the child (${replicas} replicas), got exit ${status}\n${stderr}`));
        return;
      }
      done(summarize((JSON.parse(line.slice('RESULT '.length)) as ChildResult).rates).median);
    });
  });
}

type Kind = 'alone' | 'pair' | 'data-parallel';
const KINDS: readonly Kind[] = ['alone', 'pair', 'data-parallel'];
const sample = async (kind: Kind): Promise<number> => {
  if (kind === 'alone') return runChild(1);
  if (kind === 'pair') return (await Promise.all([runChild(1), runChild(1)])).reduce((a, b) => a + b, 0);
  return runChild(2);
};

async function main(): Promise<void> {
  const load = loadavg();
  const samples: Record<Kind, number[]> = { alone: [], pair: [], 'data-parallel': [] };
  const perRound: { ceiling: number[]; scaling: number[]; ofCeiling: number[] } = { ceiling: [], scaling: [], ofCeiling: [] };
  for (let round = 0; round < rounds; round++) {
    const got: Partial<Record<Kind, number>> = {};
    for (let i = 0; i < KINDS.length; i++) {
      const kind = KINDS[(i + round) % KINDS.length]!;
      got[kind] = await sample(kind);
      samples[kind].push(got[kind]!);
    }
    perRound.ceiling.push(got.pair! / got.alone!);
    perRound.scaling.push(got['data-parallel']! / got.alone!);
    perRound.ofCeiling.push(got['data-parallel']! / got.pair!);
    console.log(`round ${round + 1}: alone ${got.alone!.toFixed(0)}, pair ${got.pair!.toFixed(0)}, data-parallel ${got['data-parallel']!.toFixed(0)} tokens/s`);
  }
  const table = Object.fromEntries(KINDS.map((k) => [k, summarize(samples[k])]));
  const median = (k: Kind) => table[k]!.median;
  const ratios = {
    ceilingPairVsAlone: median('pair') / median('alone'),
    dataParallelVsAlone: median('data-parallel') / median('alone'),
    dataParallelVsPair: median('data-parallel') / median('pair'),
  };
  const paired = {
    ceilingPairVsAlone: summarize(perRound.ceiling),
    dataParallelVsAlone: summarize(perRound.scaling),
    dataParallelVsPair: summarize(perRound.ofCeiling),
  };
  for (const k of KINDS) console.log(`${k}: ${formatSummary(table[k]!, 0)} tokens/s`);
  console.log(
    `ratios of medians: ${Object.entries(ratios)
      .map(([k, v]) => `${k} ${v.toFixed(3)}×`)
      .join(', ')}`,
  );
  console.log(
    `per round: ${Object.entries(paired)
      .map(([k, s]) => `${k} ${formatSummary(s, 3)}`)
      .join('; ')}`,
  );
  writeRepoResults('two-core-ceiling', {
    loadAverageBefore: load,
    loadAverageAfter: loadavg(),
    command: `npx tsx packages/benchmarks/src/two-core-ceiling.bench.ts --rounds ${rounds} --steps ${steps} --warmup ${warmup}`,
    method:
      'tiny GPT (gptPresets.tiny), batch 16, relaxed build, one fresh child process per sample (train-step-child.mjs): alone = one child on one core; pair = two one-core children started together (sum of their median step tokens/s): the 2-core ceiling; data-parallel = one child with 2 replicas (ParallelGptGradients). Kinds alternate within a round, order rotated each round; ratios of medians and per-round ratios',
    table,
    ratios,
    perRound: paired,
  });
}

await main();
