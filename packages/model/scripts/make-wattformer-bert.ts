/**
 * Writes a small BERT sequence classifier with THIS package's saver, for the parity fixture:
 * make-encoder-fixtures.py then loads it with BertForSequenceClassification.from_pretrained.
 *
 *     npx tsx packages/model/scripts/make-wattformer-bert.ts <folder>
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBertParameters } from '../src/bert';
import { bertCheckpointToBytes } from '../src/bert-checkpoint';
import { wattformerBertConfig, wattformerBertHead, wattformerBertSeed } from '../src/__fixtures__/wattformer-bert-fixture';

const folder = process.argv[2];
if (folder === undefined) throw new Error('usage: make-wattformer-bert.ts <folder>');
const parameters = initBertParameters(wattformerBertConfig, wattformerBertHead, wattformerBertSeed);
const { weights, config } = await bertCheckpointToBytes(parameters, wattformerBertConfig, wattformerBertHead);
mkdirSync(folder, { recursive: true });
writeFileSync(join(folder, 'model.safetensors'), weights);
writeFileSync(join(folder, 'config.json'), config);
