// Writes src/__fixtures__/trained-bpe.tokenizer.json (a tokenizer trained by our code) and
// src/__fixtures__/hf-samples.json (the texts), the inputs of scripts/make-hf-fixtures.py.
// Run: npx tsx scripts/write-trained-fixture.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TRAINED_FIXTURE_OPTIONS, hfSampleTexts, trainedFixtureCorpus } from '../src/test-support/hf-fixture-spec';
import { trainBpe } from '../src/train/train-bpe';

const dir = fileURLToPath(new URL('../src/__fixtures__/', import.meta.url));
const tokenizer = await trainBpe(trainedFixtureCorpus(), TRAINED_FIXTURE_OPTIONS);
writeFileSync(`${dir}trained-bpe.tokenizer.json`, tokenizer.toString() + '\n');
writeFileSync(`${dir}hf-samples.json`, JSON.stringify(hfSampleTexts(), null, 2) + '\n');
console.log(`wrote trained-bpe.tokenizer.json (vocab ${tokenizer.vocabSize}) and hf-samples.json`);
