import type { CharTokenizer } from '../char-tokenizer';
import { TokenizerError, preview } from '../errors';
import { createCharTokenizer } from '../hf-char-tokenizer';
import type { Tokenizer } from './tokenizer';

/**
 * The same character-level tokenizer as a Hugging Face `tokenizer.json` pipeline (the form
 * `createCharTokenizer` builds), so `AutoTokenizer.from_pretrained` and this package's `Tokenizer`
 * read it with the same ids. For CharTokenizers made by `fromText` (characters in code-point
 * order, then the special tokens); any other order is refused rather than renumbered.
 */
export function charTokenizerToHf(tokenizer: CharTokenizer): Tokenizer {
  const specials = new Set(tokenizer.specialTokens);
  const hf = createCharTokenizer(
    tokenizer.vocab.filter((t) => !specials.has(t)),
    { specialTokens: tokenizer.specialTokens },
  );
  tokenizer.vocab.forEach((token, id) => {
    const ids = hf.encode(token);
    if (ids.length !== 1 || ids[0] !== id) {
      throw new TokenizerError('E_ARGUMENT', {
        op: 'charTokenizerToHf',
        expected: 'a CharTokenizer with its characters in code-point order, then its special tokens (as fromText makes it)',
        got: `${preview(token)} at id ${id}`,
        help: 'make the tokenizer with CharTokenizer.fromText or createCharTokenizer',
      });
    }
  });
  return hf;
}
