// One training run in its own process, so its peak RSS is its own. Prints one JSON line.
import { trainBpe } from '../src/train/train-bpe';
import { trainingText } from './corpora';

const vocabSize = Number(process.argv[2]);
const text = trainingText(10_000_000);
const rssBefore = process.memoryUsage().rss;
const start = process.hrtime.bigint();
const tokenizer = await trainBpe(text, { vocabSize, specialTokens: ['<|endoftext|>'] });
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const sample = text.slice(0, 1_000_000);
const ids = tokenizer.encode(sample);
console.log(
  JSON.stringify({
    vocabSize,
    learnedVocab: tokenizer.vocabSize,
    trainingBytes: Buffer.byteLength(text),
    seconds,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    rssBeforeTrainingMB: rssBefore / 1e6,
    bytesPerTokenOnFirstMB: Buffer.byteLength(sample) / ids.length,
  }),
);
