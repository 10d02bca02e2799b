/**
 * Writes a small GPT checkpoint with THIS package's saver (for the HF parity fixture: Python then
 * loads it with GPT2LMHeadModel.from_pretrained). Called by make-hf-fixtures.py:
 *
 *     npx tsx packages/model/scripts/make-wattformer-checkpoint.ts <folder>
 */
import { saveGptCheckpoint } from '../src/checkpoint-node';
import { randomGptParameters } from '../src/__fixtures__/random-gpt';
import { wattformerFixtureConfig, wattformerFixtureSeed } from '../src/__fixtures__/wattformer-fixture';

const folder = process.argv[2];
if (folder === undefined) throw new Error('usage: make-wattformer-checkpoint.ts <folder>');
await saveGptCheckpoint(folder, randomGptParameters(wattformerFixtureConfig, wattformerFixtureSeed), wattformerFixtureConfig);
