// Reads the folder continue_training.py saved, as `wattformer generate --model DIR` does, and
// prints a sample streamed as it is generated.
//
//   node examples/continue-in-pytorch/read-back.mjs DIR [PROMPT]
import { setBackend } from '@wattformer/core';
import '@wattformer/backend-wasm';
import { loadTextGenerator } from '@wattformer/model/node';

const [dir, prompt = 'ROMEO:'] = process.argv.slice(2);
if (!dir) throw new Error('usage: node read-back.mjs DIR [PROMPT]');
await setBackend('wasm');
const generator = await loadTextGenerator(dir);
console.log(
  `${dir}: ${generator.config.layers} layers × ${generator.config.modelDim}, vocabulary ${generator.config.vocabSize}, defaults ${JSON.stringify(generator.defaults)}`,
);
process.stdout.write(prompt);
for await (const chunk of generator.stream(prompt, { seed: 1 })) process.stdout.write(chunk);
process.stdout.write('\n');
generator.dispose();
