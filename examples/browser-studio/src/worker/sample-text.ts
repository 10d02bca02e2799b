/**
 * Text from the model, streamed as it is sampled, through the model package's `TextGenerator`:
 * past the context length the window slides (so samples can be longer than one context), and
 * a streamed piece never ends inside a character (with BPE a Chinese character's three bytes may
 * come in two tokens: the first waits for the second). `onChunk` receives the prompt, then the
 * new text piece by piece; the pieces join to the returned text.
 */
import { TextGenerator } from '@wattformer/model';
import type { StudioModel } from './studio-model';

export async function sampleText(
  model: StudioModel,
  prompt: string,
  length: number,
  temperature: number,
  seed: number,
  onChunk?: (text: string) => void | Promise<void>,
): Promise<string> {
  // Id 0 starts an empty prompt (the studio's tokenizers have no begin-of-text token).
  const generator = new TextGenerator(model.parameters, model.config, model.tokenizer, { bosTokenId: 0, eosTokenId: null });
  let text = prompt;
  await onChunk?.(prompt);
  for await (const chunk of generator.stream(prompt, { maxNewTokens: length, temperature, topK: 20, seed })) {
    text += chunk;
    await onChunk?.(chunk);
  }
  return text;
}
