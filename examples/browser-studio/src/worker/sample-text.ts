/**
 * Text from the model, streamed as it is sampled. Longer samples than one context window are
 * generated in rounds, each prompted with the last half window (the KV cache holds prompt + new
 * tokens). `onChunk` receives the prompt, then the new text piece by piece; a piece never ends
 * inside a character (with BPE a Chinese character's three bytes may come in two tokens: the
 * first waits for the second), and the pieces join to the returned text.
 */
import { generateStream } from '@wattformer/model';
import type { StudioModel } from './studio-model';

/** Holds back tokens until their bytes end on a whole character. */
export class TextChunker {
  private pending: number[] = [];
  constructor(private readonly decode: (ids: readonly number[]) => string) {}

  /** Text completed by this token ('' while a character is incomplete). */
  push(id: number): string {
    this.pending.push(id);
    const text = this.decode(this.pending);
    if (text.endsWith('\uFFFD')) return '';
    this.pending = [];
    return text;
  }

  /** What is left (an incomplete character decodes as U+FFFD, as `decode` of all ids would). */
  flush(): string {
    const text = this.pending.length > 0 ? this.decode(this.pending) : '';
    this.pending = [];
    return text;
  }
}

export async function sampleText(
  model: StudioModel,
  prompt: string,
  length: number,
  temperature: number,
  seed: number,
  onChunk?: (text: string) => void | Promise<void>,
): Promise<string> {
  const window = model.config.contextLength;
  const keep = Math.floor(window / 2);
  let ids = model.tokenizer.encode(prompt);
  if (ids.length === 0) ids = [0];
  const start = ids.length;
  const chunker = new TextChunker((part) => model.tokenizer.decode(part));
  await onChunk?.(model.tokenizer.decode(ids));
  for (let round = 0; ids.length - start < length; round++) {
    const context = ids.slice(-keep);
    const maxNewTokens = Math.min(window - context.length, length - (ids.length - start));
    for await (const { token } of generateStream(model.parameters, model.config, [context], { maxNewTokens, sample: true, temperature, topK: 20, seed: seed + round })) {
      ids.push(token);
      const text = chunker.push(token);
      if (text && onChunk) await onChunk(text);
    }
  }
  const rest = chunker.flush();
  if (rest && onChunk) await onChunk(rest);
  return model.tokenizer.decode(ids);
}
