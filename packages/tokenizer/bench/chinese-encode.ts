// npm run bench:chinese: encode throughput on Chinese (Tang poems from the chinese-poetry
// package) and English prose, ours vs native tiktoken (Rust core via its Python API, PyPI,
// pinned in scripts/setup-tiktoken-python.sh) and vs this package before the branch
// (scripts/prepare-baseline.sh), interleaved in one run: each round encodes fresh samples with
// every implementation in turn. Warm: one Encoding for all samples. Cold: a fresh Encoding per
// sample (built untimed), so no piece cache. Ids are checked identical to native tiktoken's.
// Writes bench-results/chinese-encode.json. Timings only; nothing is asserted but the ids.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Encoding } from '../src/encoding';
import type { EncodingSpec } from '../src/encodings/encoding-spec';
import { findBuiltInPattern } from '../src/pre-tokenizers/patterns';
import { chinesePoetry } from './chinese-corpus';
import { englishProse } from './corpora';
import { type Summary, summarize, table } from './stats';

const rounds = Number(process.env['BENCH_REPEATS'] ?? 5);
const samplesPerRound = Number(process.env['BENCH_SAMPLES'] ?? 4);
const sampleBytes = Number(process.env['BENCH_SAMPLE_BYTES'] ?? 128_000);
const baselineCommit = process.env['BENCH_BASELINE'] ?? '9095e21';
const here = fileURLToPath(new URL('.', import.meta.url));
const loadBefore = os.loadavg();
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const repoRoot = join(here, '../../..');
const tmp = join(repoRoot, '.tmp', 'chinese-bench');
mkdirSync(tmp, { recursive: true });

/** Splits text into `count` samples of ~`bytes` UTF-8 bytes each, on line boundaries. */
function samples(text: string, count: number, bytes: number): string[] {
  const out: string[] = [];
  let pos = 0;
  while (out.length < count) {
    let end = pos;
    let size = 0;
    while (size < bytes) {
      const nl = text.indexOf('\n', end + 1);
      const next = nl < 0 ? text.length : nl + 1;
      size += Buffer.byteLength(text.slice(end, next));
      end = next;
      if (end >= text.length) break;
    }
    if (end <= pos) throw new Error('corpus too small for the requested samples');
    out.push(text.slice(pos, end));
    pos = end;
  }
  return out;
}

const total = rounds * samplesPerRound + 1;
const corpora: Record<string, string[]> = {
  Chinese: samples(chinesePoetry(total * sampleBytes * 1.2), total, sampleBytes),
  English: samples(englishProse(), total, sampleBytes),
};

// --- ours, and the package before this branch (same spec objects, other Encoding class) -------
const require = createRequire(import.meta.url);
type EncodingClass = new (spec: EncodingSpec) => { encode(text: string): number[] };
async function specOf(name: string): Promise<EncodingSpec> {
  return ((await import(`../src/encodings/${name}.ts`)) as { default: EncodingSpec }).default;
}
const baselineDir = join(repoRoot, '.tmp', 'tokenizer-baseline', baselineCommit, 'packages', 'tokenizer', 'src');
const Baseline: EncodingClass | null = existsSync(join(baselineDir, 'encoding.ts'))
  ? ((await import(pathToFileURL(join(baselineDir, 'encoding.ts')).href)) as { Encoding: EncodingClass }).Encoding
  : null;
if (!Baseline) console.error(`no baseline at ${baselineDir}: run scripts/prepare-baseline.sh ${baselineCommit} for the A/B rows`);

// --- native tiktoken as a child process --------------------------------------------------------
const python = join(repoRoot, '.tmp', 'tiktoken-venv', 'bin', 'python');
if (!existsSync(python)) throw new Error(`no ${python}: run packages/tokenizer/scripts/setup-tiktoken-python.sh first`);
const child = spawn(python, [join(here, 'tiktoken_native.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
const replies = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
async function ask(command: object): Promise<Record<string, unknown>> {
  child.stdin!.write(`${JSON.stringify(command)}\n`);
  const { value, done } = await replies.next();
  if (done) throw new Error('tiktoken child exited');
  return JSON.parse(value as string) as Record<string, unknown>;
}
const dataDir = join(dirname(require.resolve('gpt-tokenizer/package.json')), 'data');
let nativeVersion = '';

interface Row {
  encoding: string;
  corpus: string;
  mode: 'warm' | 'cold';
  implementation: string;
  mbPerSecond: Summary;
}
const rows: Row[] = [];
const mb = (samplesText: string[]) => samplesText.reduce((a, s) => a + Buffer.byteLength(s), 0) / 1e6;
const now = () => Number(process.hrtime.bigint()) / 1e6;

for (const name of ['cl100k_base', 'o200k_base']) {
  const spec = await specOf(name);
  const pattern = findBuiltInPattern(spec.pattern)!.source;
  const reply = await ask({ cmd: 'load', name, ranks: join(dataDir, `${name}.tiktoken`), pattern, special: spec.specialTokens });
  nativeVersion = String(reply['version']);
  const ours = new Encoding(spec);
  const baseline = Baseline ? new Baseline(spec) : null;
  for (const [corpus, texts] of Object.entries(corpora)) {
    // Sample 0 warms every implementation (JIT, caches) and checks ids against native tiktoken.
    const files = texts.map((text, i) => {
      const file = join(tmp, `${corpus}-${i}.txt`);
      writeFileSync(file, text);
      return file;
    });
    const idsFile = join(tmp, 'ids.bin');
    await ask({ cmd: 'encode', name, file: files[0], cold: false, ids_out: idsFile });
    const native0 = Array.from(new Uint32Array(new Uint8Array(readFileSync(idsFile)).buffer));
    const ours0 = ours.encode(texts[0]!);
    if (JSON.stringify(native0) !== JSON.stringify(ours0)) throw new Error(`${name} ${corpus}: ids differ from native tiktoken`);
    baseline?.encode(texts[0]!);
    const times: Record<string, number[]> = {};
    const add = (key: string, ms: number) => (times[key] ??= []).push(ms);
    for (let r = 0; r < rounds; r++) {
      const index = Array.from({ length: samplesPerRound }, (_, k) => 1 + r * samplesPerRound + k);
      const roundMB = mb(index.map((i) => texts[i]!));
      for (const mode of ['warm', 'cold'] as const) {
        let sum = 0;
        for (const i of index) {
          const encoding = mode === 'warm' ? ours : new Encoding(spec);
          const t = now();
          const ids = encoding.encode(texts[i]!);
          sum += now() - t;
          if (r === 0 && mode === 'cold') {
            await ask({ cmd: 'encode', name, file: files[i], cold: false, ids_out: idsFile });
            const native = new Uint32Array(new Uint8Array(readFileSync(idsFile)).buffer);
            if (native.length !== ids.length || native.some((id, k) => id !== ids[k]))
              throw new Error(`${name} ${corpus} sample ${i}: ids differ from native tiktoken`);
          }
        }
        add(`${mode}|ours`, roundMB / (sum / 1000));
        sum = 0;
        for (const i of index) sum += Number((await ask({ cmd: 'encode', name, file: files[i], cold: mode === 'cold', ids_out: null }))['ms']);
        add(`${mode}|native tiktoken ${nativeVersion} (Rust, Python API)`, roundMB / (sum / 1000));
        if (baseline && Baseline) {
          sum = 0;
          for (const i of index) {
            const encoding = mode === 'warm' ? baseline : new Baseline(spec);
            const t = now();
            encoding.encode(texts[i]!);
            sum += now() - t;
          }
          add(`${mode}|ours before (${baselineCommit})`, roundMB / (sum / 1000));
        }
      }
    }
    for (const [key, values] of Object.entries(times)) {
      const [mode, implementation] = key.split('|') as ['warm' | 'cold', string];
      rows.push({ encoding: name, corpus, mode, implementation, mbPerSecond: summarize(values) });
    }
    console.error(`${name} ${corpus}: done`);
  }
}
child.stdin!.end();

const f = (x: number) => x.toFixed(2);
const lines = rows.map((r) => {
  const native = rows.find((n) => n.encoding === r.encoding && n.corpus === r.corpus && n.mode === r.mode && n.implementation.startsWith('native'))!;
  return [
    r.encoding,
    r.corpus,
    r.mode,
    r.implementation,
    `${f(r.mbPerSecond.median)} (${f(r.mbPerSecond.min)}–${f(r.mbPerSecond.max)})`,
    r === native ? '' : `${f(r.mbPerSecond.median / native.mbPerSecond.median)}×`,
  ];
});
console.log(
  `\nEncode MB/s, median (min–max) of ${rounds} interleaved rounds of ${samplesPerRound} fresh ${sampleBytes / 1000} kB samples; ids identical to native tiktoken`,
);
console.log(table(['encoding', 'text', 'caches', 'implementation', 'MB/s', '÷ native'], lines));

const outDir = join(here, '..', 'bench-results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'chinese-encode.json'),
  `${JSON.stringify(
    {
      command:
        'bash packages/tokenizer/scripts/setup-tiktoken-python.sh && bash packages/tokenizer/scripts/prepare-baseline.sh && npm run bench:chinese -w @wattformer/tokenizer',
      commit,
      date: new Date().toISOString(),
      node: process.version,
      nativeTiktoken: nativeVersion,
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      loadAverage: loadBefore,
      loadAverageAfter: os.loadavg(),
      rounds,
      samplesPerRound,
      sampleBytes,
      rows,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${join(outDir, 'chinese-encode.json')}`);
