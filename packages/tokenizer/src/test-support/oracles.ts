import * as gptCl100k from 'gpt-tokenizer/encoding/cl100k_base';
import * as gptO200k from 'gpt-tokenizer/encoding/o200k_base';
import * as gptP50k from 'gpt-tokenizer/encoding/p50k_base';
import * as gptP50kEdit from 'gpt-tokenizer/encoding/p50k_edit';
import * as gptR50k from 'gpt-tokenizer/encoding/r50k_base';
import { getEncoding as jsTiktokenEncoding } from 'js-tiktoken';

/** Independent reference encoders (devDependencies only). */
export const GPT_TOKENIZER: Record<string, (text: string) => number[]> = {
  r50k_base: (t) => gptR50k.encode(t),
  p50k_base: (t) => gptP50k.encode(t),
  p50k_edit: (t) => gptP50kEdit.encode(t),
  cl100k_base: (t) => gptCl100k.encode(t),
  o200k_base: (t) => gptO200k.encode(t),
};

const jsTiktokenCache = new Map<string, ReturnType<typeof jsTiktokenEncoding>>();

export function jsTiktoken(name: string): (text: string) => number[] {
  let enc = jsTiktokenCache.get(name);
  if (!enc) {
    enc = jsTiktokenEncoding(name as 'cl100k_base');
    jsTiktokenCache.set(name, enc);
  }
  return (t) => enc.encode(t);
}

/** Index of the first difference, or -1. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
