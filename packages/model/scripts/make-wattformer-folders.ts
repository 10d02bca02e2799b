/**
 * Writes the model folders of the folder parity fixture with THIS package's `saveModelFolder`
 * (make-folder-fixtures.py then opens them with AutoModelForCausalLM / AutoTokenizer):
 *
 *     npx tsx packages/model/scripts/make-wattformer-folders.ts <parent folder>
 */
import { join } from 'node:path';
import { setBackend } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { saveModelFolder } from '../src/model-folder-node';
import { folderFixtures } from '../src/__fixtures__/folder-fixture';

const parent = process.argv[2];
if (parent === undefined) throw new Error('usage: make-wattformer-folders.ts <parent folder>');
await setBackend('wasm');
for (const { name, tokenizer, config, parameters } of await folderFixtures()) {
  await saveModelFolder(join(parent, name), { parameters, config, tokenizer, generation: { maxNewTokens: 16 } });
}
