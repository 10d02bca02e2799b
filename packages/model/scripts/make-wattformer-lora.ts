/**
 * Writes a LoRA adapter folder with THIS package's saver (for the PEFT parity fixture: Python then
 * loads it with PeftModel.from_pretrained on the `wattformer-gpt` base). Called by
 * make-peft-fixtures.py:
 *
 *     npx tsx packages/model/scripts/make-wattformer-lora.ts <folder>
 */
import { saveLoraAdapter } from '../src/lora-node';
import { peftWattformerAdapter } from '../src/__fixtures__/peft-wattformer-adapter';

const folder = process.argv[2];
if (folder === undefined) throw new Error('usage: make-wattformer-lora.ts <folder>');
await saveLoraAdapter(folder, peftWattformerAdapter(), { taskType: 'CAUSAL_LM' });
