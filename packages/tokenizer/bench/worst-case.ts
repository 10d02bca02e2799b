// npm run bench:worst-case: every tokenizer path on adversarial inputs at 1 MB and 4 MB; prints
// the table and writes bench-results/worst-case.json. Timings only; nothing here is asserted.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { table } from './stats';
import { type WorstCaseRow, worstCaseTable } from './worst-case-bench';

const rounds = Number(process.env['BENCH_REPEATS'] ?? 3);
const f = (x: number, d = 0) => x.toFixed(d);
const cells = (r: WorstCaseRow) => [
  r.path,
  r.input,
  `${f(r.ms1MB.median)} (${f(r.ms1MB.min)}–${f(r.ms1MB.max)})`,
  `${f(r.ms4MB.median)} (${f(r.ms4MB.min)}–${f(r.ms4MB.max)})`,
  `${r.ratio.toFixed(2)}×`,
];
const outDir = fileURLToPath(new URL('../bench-results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
/** Written after every row, so an interrupted run keeps what it measured. */
function write(rows: readonly WorstCaseRow[], complete: boolean): void {
  writeFileSync(
    `${outDir}worst-case.json`,
    `${JSON.stringify({ command: 'npm run bench:worst-case -w @wattformer/tokenizer', commit, complete, date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadAverage: os.loadavg(), rounds, rows: rows.map((r) => ({ path: r.path, input: r.input, medianMs1MB: r.ms1MB.median, medianMs4MB: r.ms4MB.median, ms1MB: r.ms1MB.samples, ms4MB: r.ms4MB.samples, ratio: r.ratio })) }, null, 2)}\n`,
  );
}
const done: WorstCaseRow[] = [];
const rows = await worstCaseTable(rounds, (r) => {
  console.error(cells(r).join(' | '));
  done.push(r);
  write(done, false);
});
write(rows, true);
console.log(`\nWorst cases: median ms (min–max) of ${rounds} interleaved rounds; 4 MB ÷ 1 MB (4 = linear, bar ≤ 5)`);
console.log(table(['path', 'input', '1 MB ms', '4 MB ms', '4MB/1MB'], rows.map(cells)));
const worst = rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
console.log(`\nlargest ratio: ${worst.ratio.toFixed(2)}× (${worst.path}, ${worst.input}); all ≤ 5: ${rows.every((r) => r.ratio <= 5)}`);

console.log(`wrote ${outDir}worst-case.json`);
