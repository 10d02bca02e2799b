// Prints the README's Markdown tables from the committed bench results:
//   node scripts/bench-tables.mjs
import { readFileSync } from 'node:fs';

const read = (name) => JSON.parse(readFileSync(new URL(`../bench-results/${name}`, import.meta.url), 'utf8'));
const f = (x, d = 2) => x.toFixed(d);

const worst = read('worst-case.json');
const after = worst.loadAverageAfter ? `, after ${worst.loadAverageAfter.map((x) => f(x, 1)).join('/')}` : '';
console.log(
  `Worst cases (\`${worst.command}\`, commit ${worst.commit}, ${worst.date.slice(0, 10)}, ${worst.cpus} cores, load average ${worst.loadAverage.map((x) => f(x, 1)).join('/')} at the start${after}; ${worst.rounds} rounds, every timing in a fresh child process, 1 MB and 4 MB alternating; **ratio of the minima** (each size's least-disturbed run), ratio of the medians beside${worst.complete ? '' : '; run cut short: rows measured so far'}):\n`,
);
console.log('| path | input | 1 MB ms min (median) | 4 MB ms min (median) | 4 MB ÷ 1 MB (minima) | (medians) |');
console.log('|---|---|--:|--:|--:|--:|');
for (const r of worst.rows)
  console.log(
    `| ${r.path} | ${r.input} | ${f(r.minMs1MB, 0)} (${f(r.medianMs1MB, 0)}) | ${f(r.minMs4MB, 0)} (${f(r.medianMs4MB, 0)}) | ${f(r.ratio)}× | ${f(r.medianRatio)}× |`,
  );
const largest = worst.rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
console.log(
  `\nLargest ratio of the minima ${f(largest.ratio)}× (${largest.path}, ${largest.input}); rows over 5× by minima: ${worst.rows.filter((r) => r.ratio > 5).length} of ${worst.rows.length}, by medians: ${worst.rows.filter((r) => r.medianRatio > 5).length}.\n`,
);

const zh = read('chinese-encode.json');
const zhAfter = zh.loadAverageAfter ? `, after ${zh.loadAverageAfter.map((x) => f(x, 1)).join('/')}` : '';
console.log(
  `Encode MB/s (\`${zh.command}\`${zh.commit ? `, commit ${zh.commit}` : ''}, ${zh.date.slice(0, 10)}, ${zh.node}, native tiktoken ${zh.nativeTiktoken}, ${zh.cpus} cores, load average ${zh.loadAverage.map((x) => f(x, 1)).join('/')} at the start${zhAfter}, median (min–max) of ${zh.rounds} interleaved rounds of ${zh.samplesPerRound} fresh ${zh.sampleBytes / 1000} kB samples; ids identical to native tiktoken):\n`,
);
console.log('| encoding | text | caches | implementation | MB/s | ÷ native |');
console.log('|---|---|---|---|--:|--:|');
for (const r of zh.rows) {
  const native = zh.rows.find((n) => n.encoding === r.encoding && n.corpus === r.corpus && n.mode === r.mode && n.implementation.startsWith('native'));
  const m = r.mbPerSecond;
  console.log(
    `| ${r.encoding} | ${r.corpus} | ${r.mode} | ${r.implementation} | ${f(m.median)} (${f(m.min)}–${f(m.max)}) | ${r === native ? '' : `${f(m.median / native.mbPerSecond.median)}×`} |`,
  );
}
