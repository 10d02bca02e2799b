// Prints, as JSON, what wattformer computes for a text on a model folder: the token ids, and the
// next-token probabilities (causal LM folder) or the class logits (--classifier, last-token
// pooling as GPT2ForSequenceClassification). Used by check-hf-folders.py.
//   node scripts/folder-outputs.mjs DIR TEXT [--classifier]
import { readFileSync } from 'node:fs';
import { setBackend, softmax, tensor } from '@wattformer/core';
import { decodeSafetensors, gptClassifierLogits, gptConfigFromHf, gptLogits, loadGptCheckpoint } from '@wattformer/model/node';
import { Tokenizer } from '@wattformer/tokenizer';

await setBackend('cpu');
const [dir, text, mode] = process.argv.slice(2);
const tokenizer = Tokenizer.fromJSON(readFileSync(`${dir}/tokenizer.json`, 'utf8'));
const ids = tokenizer.encode(text, { addSpecialTokens: false });
const tokens = tensor(Int32Array.from(ids), [1, ids.length], 'i32');
if (mode === '--classifier') {
  const config = gptConfigFromHf(JSON.parse(readFileSync(`${dir}/config.json`, 'utf8')));
  const parameters = new Map([...decodeSafetensors(readFileSync(`${dir}/model.safetensors`)).tensors].map(([name, t]) => [name, tensor(t.data, t.shape)]));
  const logits = gptClassifierLogits(parameters, config, tokens, tensor(new Float32Array(ids.length).fill(1), [1, ids.length]), 'last');
  console.log(JSON.stringify({ ids, values: Array.from(await logits.data()) }));
} else {
  const { parameters, config } = await loadGptCheckpoint(dir);
  const last = gptLogits(parameters, config, tokens).slice([ids.length - 1, 0], [1, config.vocabSize]);
  console.log(JSON.stringify({ ids, values: Array.from(await softmax(last).data()) }));
}
