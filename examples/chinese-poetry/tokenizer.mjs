// The example's tokenizer: byte-level BPE trained on the poems themselves (trainBpe, GPT-4's
// pre-tokenization), so common characters and pairs become single tokens and every other
// character still round-trips through its UTF-8 bytes.
import { trainBpe } from '@wattformer/tokenizer';
import { poemText } from './poems.mjs';

export async function trainPoetryTokenizer(poems, vocabSize) {
  return trainBpe(
    (function* () {
      for (const poem of poems) yield poemText(poem);
    })(),
    { vocabSize, minFrequency: 2 },
  );
}
