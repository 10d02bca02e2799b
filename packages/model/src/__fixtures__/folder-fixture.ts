/**
 * The two model folders our writer makes for the Hugging Face folder parity fixtures
 * (scripts/make-folder-fixtures.py loads them with AutoModelForCausalLM / AutoTokenizer): one with a
 * character-level tokenizer, one with a byte-level BPE trained here. Test-only recipe.
 */
import { CharTokenizer, trainBpe, type Tokenizer } from '@wattformer/tokenizer';
import type { GptParameters } from '../gpt';
import type { GptConfig } from '../gpt-config';
import { randomGptParameters } from './random-gpt';

export const folderFixtureText =
  'To be, or not to be, that is the question:\nWhether tis nobler in the mind to suffer\n' +
  '床前明月光，疑是地上霜。举头望明月，低头思故乡。\n' +
  'Emoji too: 🙂🚀, and naïve café.\n';

/** Texts whose next-token probabilities transformers records (the char tokenizer covers them). */
export const folderFixtureTexts = ['To be, or not to be', '床前明月光，疑是', 'the mind 🙂 café'];

export interface FolderFixture {
  readonly name: 'folder-char' | 'folder-bpe';
  readonly tokenizer: Tokenizer | CharTokenizer;
  readonly config: GptConfig;
  readonly parameters: GptParameters;
}

export async function folderFixtures(): Promise<FolderFixture[]> {
  const char = CharTokenizer.fromText(folderFixtureText, { specialTokens: ['<|endoftext|>'] });
  const bpe = await trainBpe(folderFixtureText, { vocabSize: 300, specialTokens: ['<|endoftext|>'], minFrequency: 1 });
  const charConfig: GptConfig = { vocabSize: char.vocabSize, contextLength: 24, modelDim: 16, layers: 2, heads: 2, mlpDim: 40, tiedEmbeddings: true };
  const bpeConfig: GptConfig = { vocabSize: bpe.vocabSize, contextLength: 24, modelDim: 16, layers: 2, heads: 2, mlpDim: 40, tiedEmbeddings: false };
  return [
    { name: 'folder-char', tokenizer: char, config: charConfig, parameters: randomGptParameters(charConfig, 31) },
    { name: 'folder-bpe', tokenizer: bpe, config: bpeConfig, parameters: randomGptParameters(bpeConfig, 32) },
  ];
}
