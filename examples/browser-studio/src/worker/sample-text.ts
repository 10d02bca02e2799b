/**
 * Longer samples than one context window: generate in rounds, each prompted with the last half
 * window, so the text can run past `contextLength` (the KV cache holds prompt + new tokens).
 */
import { generate } from '@wattformer/model';
import type { StudioModel } from './studio-model';

export async function sampleText(model: StudioModel, prompt: string, length: number, temperature: number, seed: number): Promise<string> {
  const window = model.config.contextLength;
  const keep = Math.floor(window / 2);
  let ids = model.tokenizer.encode(prompt);
  if (ids.length === 0) ids = [0];
  const start = ids.length;
  for (let round = 0; ids.length - start < length; round++) {
    const context = ids.slice(-keep);
    const maxNewTokens = Math.min(window - context.length, length - (ids.length - start));
    const [row] = await generate(model.parameters, model.config, [context], { maxNewTokens, sample: true, temperature, topK: 20, seed: seed + round });
    ids = ids.concat(row!.tokens);
  }
  return model.tokenizer.decode(ids);
}
