// The poems of a saved model folder with and without TextGenerator's UTF-8 constraint, for seeds
// 1..N with main.mjs's sampling options: how many have U+FFFD (bytes the model sampled that are
// not UTF-8 together), and the first few that differ.
//
//   node examples/chinese-poetry/compare-utf8.mjs [model folder = poetry-out/model] [seeds = 40] [--prompt 《春夜》]
import { parseArgs } from 'node:util';
import { setBackend } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { loadTextGenerator } from '@wattformer/model/node';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { prompt: { type: 'string', default: '《春夜》' } } });
const [folder = 'poetry-out/model', count = '40'] = positionals;
const seeds = Number(count);
if (!Number.isInteger(seeds) || seeds < 1) {
  console.error(`chinese-poetry compare-utf8: seeds: expected a positive integer, got ${JSON.stringify(count)}\nhelp: e.g. 40`);
  process.exit(2);
}
await setBackend('wasm');
const generator = await loadTextGenerator(folder);
const prompt = `${values.prompt}\n`;
let [withReplacement, constrainedWithReplacement, shown] = [0, 0, 0];
for (let seed = 1; seed <= seeds; seed++) {
  const options = { maxNewTokens: 120, temperature: 0.8, topK: 40, seed, stop: '\n\n' };
  const constrained = await generator.generate(prompt, options);
  const free = await generator.generate(prompt, { ...options, constrainUtf8: false });
  if (free.includes('\uFFFD')) withReplacement++;
  if (constrained.includes('\uFFFD')) constrainedWithReplacement++;
  if (free !== constrained && shown++ < 3)
    console.log(`seed ${seed}\n  constrainUtf8 (default): ${JSON.stringify(constrained)}\n  constrainUtf8: false:    ${JSON.stringify(free)}`);
}
console.log(`seeds 1–${seeds}: U+FFFD in ${withReplacement} poems with constrainUtf8: false, in ${constrainedWithReplacement} with the constraint`);
generator.dispose();
