/**
 * What `constrainUtf8` costs per generated token, next to what choosing a token costs anyway:
 * `Utf8Constraint.mask` with no character pending and with one pending, against `pickToken`
 * (top-k 40 sampling, which sorts the vocabulary every step) and greedy `argmax`, on the same
 * logits, for cl100k_base (100,277 ids) and GPT-2's r50k_base (50,257). Also the one-time build
 * (`Utf8Constraint.forTokenizer`). Interleaved rounds in one process; per operation, median
 * (min–max) microseconds of process CPU time (user + system: on a shared machine wall time mostly
 * measures the other processes) and ratios of medians. Nothing asserted.
 *
 *     npx tsx packages/model/scripts/utf8-constraint-cost.ts [rounds=9] [repeats=200]
 *
 * Writes packages/model/bench-results/utf8-constraint.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getEncoding, type EncodingName } from '@wattformer/tokenizer';
import { argmax, pickToken } from '../src/sampling';
import { UTF8_COMPLETE, Utf8Constraint } from '../src/utf8-constraint';

const [rounds = 9, repeats = 200] = process.argv.slice(2).map(Number);
const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = (xs: number[]) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });

const results: Record<string, unknown> = {};
for (const name of ['cl100k_base', 'r50k_base'] as EncodingName[]) {
  const encoding = await getEncoding(name);
  const V = encoding.vocabSize;
  const builds: number[] = [];
  let constraint: Utf8Constraint | null = null;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    constraint = Utf8Constraint.forTokenizer(encoding, V);
    builds.push(performance.now() - t0);
  }
  const c = constraint!;
  // A pending state: after the first byte of 你 (E4), if a token is exactly that byte.
  const lead = encoding.encode('你').length > 1 ? encoding.encode('你')[0]! : [...Array(V).keys()].find((id) => c.advance(UTF8_COMPLETE, id) > 0)!;
  const pending = c.advance(UTF8_COMPLETE, lead);
  let seed = 1;
  const logits = Float32Array.from({ length: V }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 8);
  const work = new Float32Array(V);
  const cases: Record<string, () => void> = {
    'mask, no character pending': () => {
      work.set(logits);
      c.mask(work, UTF8_COMPLETE, [0]);
    },
    'mask, character pending': () => {
      work.set(logits);
      c.mask(work, pending, [0]);
    },
    'copy only (baseline of the two above)': () => work.set(logits),
    'pickToken top-k 40': () => void pickToken(logits, { sample: true, topK: 40 }, 0.3),
    'argmax (greedy)': () => void argmax(logits),
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [label, run] of Object.entries(cases)) {
      const n = label.startsWith('pickToken') ? Math.max(1, Math.floor(repeats / 20)) : repeats;
      const t0 = cpuMicros();
      for (let i = 0; i < n; i++) run();
      times[label]!.push((cpuMicros() - t0) / n);
    }
  }
  const per = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, summary(xs)]));
  const pick = median(times['pickToken top-k 40']!);
  results[name] = {
    vocabSize: V,
    bannedWithNoCharacterPending: [...Array(V).keys()].filter((id) => !c.allows(UTF8_COMPLETE, id)).length,
    allowedInThePendingState: [...Array(V).keys()].filter((id) => c.allows(pending, id)).length,
    buildMs: summary(builds),
    microsecondsPerStep: per,
    ratioToArgmax: {
      'mask, no character pending': median(times['mask, no character pending']!) / median(times['argmax (greedy)']!),
      'mask, character pending': median(times['mask, character pending']!) / median(times['argmax (greedy)']!),
    },
    ratioToPickToken: {
      'mask, no character pending': median(times['mask, no character pending']!) / pick,
      'mask, character pending': median(times['mask, character pending']!) / pick,
    },
  };
  console.log(name, JSON.stringify(results[name], null, 1));
}

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench-results', 'utf8-constraint.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      command: `npx tsx packages/model/scripts/utf8-constraint-cost.ts ${rounds} ${repeats}`,
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg(), node: process.version },
      note: 'process CPU microseconds per operation, median (min–max) over interleaved rounds; mask times include copying the logits (see the copy-only row)',
      results,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${out}`);
