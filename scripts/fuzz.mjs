#!/usr/bin/env node
/**
 * `npm run fuzz -- --runs N [--seed S] [--filter text]`: finds every `*.fuzz.test.ts` in every
 * workspace (the root package.json's `workspaces` globs), runs each workspace's files with vitest
 * and WATTFORMER_FUZZ_RUNS=N (WATTFORMER_FUZZ_SEED=S when given), prints a summary, and exits 1
 * when any case fails (2 on bad arguments). The fuzz suites read those two variables (see the
 * fuzz convention in docs/ARCHITECTURE.md); in CI they run with their small defaults as part of
 * each package's `vitest run`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeAll as writeKernelGlue } from './gen-kernels.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const usage = 'usage: npm run fuzz -- --runs N [--seed S] [--filter text]';

function parseArgs(argv) {
  const options = { runs: 1000, seed: undefined, filter: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[++i];
    if (flag === '--help' || flag === '-h') {
      console.log(usage);
      process.exit(0);
    }
    if (!['--runs', '--seed', '--filter'].includes(flag)) fail(`expected one of --runs, --seed, --filter, got '${argv[i - (inline === undefined ? 1 : 0)]}'`);
    if (value === undefined) fail(`expected a value after ${flag}, got none`);
    if (flag === '--filter') options.filter = value;
    else {
      const number = Number(value);
      if (!Number.isSafeInteger(number) || number < (flag === '--runs' ? 1 : 0))
        fail(`expected ${flag} ${flag === '--runs' ? 'an integer ≥ 1' : 'a non-negative integer'}, got '${value}'`);
      options[flag.slice(2)] = number;
    }
  }
  return options;
}

function fail(message) {
  console.error(`fuzz: ${message}\nhelp: ${usage}`);
  process.exit(2);
}

/** Workspace folders from the root package.json (`dir/*` globs and plain paths). */
function workspaces() {
  const globs = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces ?? [];
  const dirs = [];
  for (const glob of globs) {
    if (glob.endsWith('/*')) {
      const parent = join(root, glob.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const name of readdirSync(parent).sort()) dirs.push(join(parent, name));
    } else dirs.push(join(root, glob));
  }
  return dirs.filter((dir) => existsSync(join(dir, 'package.json')));
}

/** `*.fuzz.test.ts` files under `dir`, skipping dependencies and build output. */
function fuzzFiles(dir) {
  const found = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.fuzz.test.ts')) found.push(path);
    }
  };
  walk(dir);
  return found.sort();
}

const options = parseArgs(process.argv.slice(2));
// The backends' suites import the fused-kernel glue, a git-ignored build output: write it first.
writeKernelGlue();
const plan = workspaces()
  .map((dir) => ({ dir, files: fuzzFiles(dir).filter((file) => options.filter === undefined || relative(root, file).includes(options.filter)) }))
  .filter(({ files }) => files.length > 0);
if (plan.length === 0) fail(`expected at least one *.fuzz.test.ts${options.filter ? ` matching '${options.filter}'` : ''}, got none`);

const env = { ...process.env, WATTFORMER_FUZZ_RUNS: String(options.runs) };
if (options.seed !== undefined) env.WATTFORMER_FUZZ_SEED = String(options.seed);
console.log(
  `fuzz: ${plan.reduce((n, p) => n + p.files.length, 0)} files in ${plan.length} workspaces, ${options.runs} runs per property, seed ${options.seed ?? 'each suite’s default (20261206)'}`,
);

const reports = mkdtempSync(join(tmpdir(), 'wattformer-fuzz-'));
const summary = [];
for (const { dir, files } of plan) {
  const name = relative(root, dir);
  const report = join(reports, `${name.replaceAll('/', '-')}.json`);
  const started = Date.now();
  console.log(`\n── ${name}: ${files.map((f) => relative(dir, f)).join(', ')}`);
  const result = spawnSync(
    'npx',
    ['vitest', 'run', ...files.map((f) => relative(dir, f)), '--testTimeout=3600000', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    { cwd: dir, env, stdio: 'inherit' },
  );
  const seconds = (Date.now() - started) / 1000;
  let passed = 0;
  let failed = 0;
  const failures = [];
  if (existsSync(report) && statSync(report).size > 0) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed = json.numPassedTests ?? 0;
    failed = json.numFailedTests ?? 0;
    for (const file of json.testResults ?? []) {
      for (const test of file.assertionResults ?? []) if (test.status === 'failed') failures.push(`${relative(root, file.name)} › ${test.title}`);
    }
  }
  const ok = result.status === 0 && failed === 0;
  summary.push({ name, files: files.length, passed, failed, seconds, ok, failures, status: result.status ?? result.signal });
}
rmSync(reports, { recursive: true, force: true });

console.log(`\nfuzz summary (${options.runs} runs per property, seed ${options.seed ?? 'default'}):`);
for (const s of summary) {
  console.log(
    `  ${s.ok ? 'ok  ' : 'FAIL'} ${s.name.padEnd(28)} ${String(s.files).padStart(2)} files  ${String(s.passed).padStart(3)} passed  ${String(s.failed).padStart(3)} failed  ${s.seconds.toFixed(1).padStart(7)} s`,
  );
  for (const f of s.failures) console.log(`         ✗ ${f}`);
  if (!s.ok && s.failures.length === 0) console.log(`         ✗ vitest exited with ${s.status}`);
}
const bad = summary.filter((s) => !s.ok);
console.log(bad.length === 0 ? 'fuzz: no failures' : `fuzz: ${bad.length} workspace(s) failed`);
process.exit(bad.length === 0 ? 0 : 1);
