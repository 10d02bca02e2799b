import { TokenizerError } from '../../errors';

/** Token ids are packed into 21 bits (merge table keys, id tables); larger ids are refused. */
export const MAX_TOKEN_ID = 2 ** 21 - 1;

/**
 * A model vocabulary maps each token to its own id: integers in 0..MAX_TOKEN_ID, no id used by
 * two tokens (that would make decode ambiguous and, packed, encode wrong ids).
 */
export function checkVocabIds(vocab: ReadonlyMap<string, number>, path: string): void {
  const owner = new Map<number, string>();
  for (const [token, id] of vocab) {
    if (!Number.isInteger(id) || id < 0 || id > MAX_TOKEN_ID) {
      throw new TokenizerError('E_MALFORMED_TOKENIZER_JSON', {
        op: 'Tokenizer.fromJSON',
        expected: `${path} ids to be integers in 0..${MAX_TOKEN_ID}`,
        got: `${String(id)} for ${JSON.stringify(token.length > 40 ? `${token.slice(0, 40)}…` : token)}`,
        help: 'vocabularies of up to 2M tokens are supported; renumber the ids from 0',
      });
    }
    const other = owner.get(id);
    if (other !== undefined) {
      throw new TokenizerError('E_MALFORMED_TOKENIZER_JSON', {
        op: 'Tokenizer.fromJSON',
        expected: `${path} to give each token its own id`,
        got: `id ${id} for both ${JSON.stringify(other)} and ${JSON.stringify(token)}`,
        help: 'each id must appear once in the vocab; fix or regenerate the tokenizer.json',
      });
    }
    owner.set(id, token);
  }
}
