// npm run bench:worst-case: every tokenizer path on adversarial inputs at 1 MB and 4 MB; prints
// the table and writes bench-results/worst-case.json. Timings only; nothing here is asserted.
//
// Robust on a shared machine without weakening the bar: every (path, input, size) timing runs in
// a fresh child process (no heap, JIT state or GC debt carried between cases), the 1 MB and 4 MB
// runs alternate within each of BENCH_REPEATS (≥ 3) rounds, and the headline ratio is that of
// the MINIMA (each size's least-disturbed run: noise from other processes only ever adds time),
// reported beside the ratio of the medians. The load average is recorded before and after.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Summary, summarize, table } from './stats';
import { WORST_CASE_INPUTS, WORST_CASE_MB, WORST_CASE_PATHS } from './worst-case-bench';

interface Row {
  readonly path: string;
  readonly input: string;
  readonly ms1MB: Summary;
  readonly ms4MB: Summary;
  /** min(4 MB) / min(1 MB): the headline ratio */
  readonly ratio: number;
  /** median(4 MB) / median(1 MB) */
  readonly medianRatio: number;
}

const rounds = Math.max(3, Number(process.env['BENCH_REPEATS'] ?? 3));
const f = (x: number, d = 0) => x.toFixed(d);
const cells = (r: Row) => [
  r.path,
  r.input,
  `${f(r.ms1MB.min)} / ${f(r.ms1MB.median)}`,
  `${f(r.ms4MB.min)} / ${f(r.ms4MB.median)}`,
  `${r.ratio.toFixed(2)}×`,
  `${r.medianRatio.toFixed(2)}×`,
];
const outDir = fileURLToPath(new URL('../bench-results/', import.meta.url));
const caseScript = fileURLToPath(new URL('./worst-case-case.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));
mkdirSync(outDir, { recursive: true });
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const loadBefore = os.loadavg();

/** One timing in a fresh Node process. */
function timeInChild(path: string, input: string, bytes: number): number {
  const child = spawnSync(process.execPath, [tsx, caseScript, path, input, String(bytes)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`worst-case bench: ${path} / ${input} / ${bytes} B failed (exit ${child.status}):\n${child.stderr}`);
  const last = child.stdout.trim().split('\n').pop() ?? '';
  return (JSON.parse(last) as { ms: number }).ms;
}

/** Written after every row, so an interrupted run keeps what it measured. */
function write(rows: readonly Row[], complete: boolean): void {
  writeFileSync(
    `${outDir}worst-case.json`,
    `${JSON.stringify(
      {
        command: 'npm run bench:worst-case -w @wattformer/tokenizer',
        method: `each (path, input, size) timed in a fresh child process after a 10 kB warm-up; ${rounds} rounds, 1 MB and 4 MB alternating in each; ratio = min(4 MB) / min(1 MB) (least-disturbed runs), medianRatio = median(4 MB) / median(1 MB)`,
        commit,
        complete,
        date: new Date().toISOString(),
        node: process.version,
        cpus: os.cpus().length,
        cpu: os.cpus()[0]?.model,
        loadAverage: loadBefore,
        loadAverageAfter: os.loadavg(),
        rounds,
        bytes1MB: WORST_CASE_MB,
        rows: rows.map((r) => ({
          path: r.path,
          input: r.input,
          minMs1MB: r.ms1MB.min,
          minMs4MB: r.ms4MB.min,
          medianMs1MB: r.ms1MB.median,
          medianMs4MB: r.ms4MB.median,
          ms1MB: r.ms1MB.samples,
          ms4MB: r.ms4MB.samples,
          ratio: r.ratio,
          medianRatio: r.medianRatio,
        })),
      },
      null,
      2,
    )}\n`,
  );
}

const only = process.env['WORST_CASE_ONLY']; // substring filter on "path / input", for a quick look
const rows: Row[] = [];
for (const path of Object.keys(WORST_CASE_PATHS)) {
  for (const input of Object.keys(WORST_CASE_INPUTS)) {
    if (only && !`${path} / ${input}`.includes(only)) continue;
    const small: number[] = [];
    const large: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate which size goes first, so a slow spell of the machine hits both alike.
      if (r % 2 === 0) {
        small.push(timeInChild(path, input, WORST_CASE_MB));
        large.push(timeInChild(path, input, 4 * WORST_CASE_MB));
      } else {
        large.push(timeInChild(path, input, 4 * WORST_CASE_MB));
        small.push(timeInChild(path, input, WORST_CASE_MB));
      }
    }
    const ms1MB = summarize(small);
    const ms4MB = summarize(large);
    const row: Row = { path, input, ms1MB, ms4MB, ratio: ms4MB.min / ms1MB.min, medianRatio: ms4MB.median / ms1MB.median };
    rows.push(row);
    console.error(cells(row).join(' | '));
    write(rows, false);
  }
}
write(rows, true);
const header = ['path', 'input', '1 MB ms min / median', '4 MB ms min / median', '4MB/1MB (minima)', '(medians)'];
console.log(`\nWorst cases: ${rounds} rounds, each timing a fresh process; ratio of the minima (least-disturbed runs), medians beside (4 = linear, bar ≤ 5)`);
console.log(table(header, rows.map(cells)));
const worst = rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
console.log(`\nlargest ratio (minima): ${worst.ratio.toFixed(2)}× (${worst.path}, ${worst.input}); all ≤ 5: ${rows.every((r) => r.ratio <= 5)}`);
console.log(
  `load average before ${loadBefore.map((x) => x.toFixed(1)).join('/')}, after ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join('/')}`,
);
console.log(`wrote ${outDir}worst-case.json`);
