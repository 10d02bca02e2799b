import { TokenizerError } from '../errors';
import { TokenMatcher } from '../token-matcher';
import { field, type JsonObject, asBoolean, asInteger, asObject, asString } from './json-types';

/**
 * A token added on top of the model's vocabulary (`added_tokens` in tokenizer.json), with its matching flags.
 */
export interface AddedToken {
  readonly id: number;
  readonly content: string;
  readonly singleWord: boolean;
  readonly lstrip: boolean;
  readonly rstrip: boolean;
  readonly normalized: boolean;
  readonly special: boolean;
}

export function parseAddedToken(value: unknown, path: string): AddedToken {
  const json = asObject(value, path);
  return {
    id: asInteger(field(json, 'id'), `${path}.id`),
    content: asString(field(json, 'content'), `${path}.content`),
    singleWord: asBoolean(field(json, 'single_word'), `${path}.single_word`, false),
    lstrip: asBoolean(field(json, 'lstrip'), `${path}.lstrip`, false),
    rstrip: asBoolean(field(json, 'rstrip'), `${path}.rstrip`, false),
    normalized: asBoolean(field(json, 'normalized'), `${path}.normalized`, false),
    special: asBoolean(field(json, 'special'), `${path}.special`, false),
  };
}

export function addedTokenToJSON(t: AddedToken): JsonObject {
  return { id: t.id, content: t.content, single_word: t.singleWord, lstrip: t.lstrip, rstrip: t.rstrip, normalized: t.normalized, special: t.special };
}

/** An added token's content must be non-empty: an empty one would match everywhere. */
export function checkAddedTokens(tokens: readonly AddedToken[], op: string): void {
  tokens.forEach((t, i) => {
    if (t.content.length === 0) {
      throw new TokenizerError('E_MALFORMED_TOKENIZER_JSON', {
        op,
        expected: `added_tokens[${i}].content to be a non-empty string`,
        got: `"" (id ${t.id})`,
        help: 'an empty added or special token would match between every two characters; remove it',
      });
    }
  });
}

/**
 * Splits raw text at added tokens (leftmost, then longest), as HF does before normalizing.
 * lstrip/rstrip tokens also swallow the whitespace beside them. One pass (see TokenMatcher).
 */
export class AddedTokenSplitter {
  private readonly matcher: TokenMatcher;

  constructor(private readonly tokens: readonly AddedToken[]) {
    this.matcher = new TokenMatcher(tokens.map((t) => t.content));
  }

  split(text: string): Array<string | AddedToken> {
    if (this.tokens.length === 0 || text.length === 0) return text ? [text] : [];
    const out: Array<string | AddedToken> = [];
    let textStart = 0;
    for (const m of this.matcher.findAll(text)) {
      if (m.start < textStart) continue; // swallowed by the previous token's rstrip
      const token = this.tokens[m.token]!;
      let start = m.start;
      let end = m.end;
      if (token.lstrip) while (start > textStart && WHITESPACE.test(text[start - 1]!)) start--;
      if (token.rstrip) while (end < text.length && WHITESPACE.test(text[end]!)) end++;
      if (start > textStart) out.push(text.slice(textStart, start));
      out.push(token);
      textStart = end;
    }
    if (textStart < text.length) out.push(text.slice(textStart));
    return out;
  }
}

const WHITESPACE = /\s/u;
