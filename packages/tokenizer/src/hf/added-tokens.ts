import { type JsonObject, asBoolean, asInteger, asObject, asString } from './json-types';

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
    id: asInteger(json['id'], `${path}.id`),
    content: asString(json['content'], `${path}.content`),
    singleWord: asBoolean(json['single_word'], `${path}.single_word`, false),
    lstrip: asBoolean(json['lstrip'], `${path}.lstrip`, false),
    rstrip: asBoolean(json['rstrip'], `${path}.rstrip`, false),
    normalized: asBoolean(json['normalized'], `${path}.normalized`, false),
    special: asBoolean(json['special'], `${path}.special`, false),
  };
}

export function addedTokenToJSON(t: AddedToken): JsonObject {
  return { id: t.id, content: t.content, single_word: t.singleWord, lstrip: t.lstrip, rstrip: t.rstrip, normalized: t.normalized, special: t.special };
}

/**
 * Splits raw text at added tokens (leftmost, then longest), as HF does before normalizing.
 * lstrip/rstrip tokens also swallow the whitespace beside them.
 */
export function splitOnAddedTokens(text: string, tokens: readonly AddedToken[]): Array<string | AddedToken> {
  if (tokens.length === 0 || text.length === 0) return text ? [text] : [];
  const out: Array<string | AddedToken> = [];
  let pos = 0;
  let textStart = 0;
  while (pos < text.length) {
    let best: AddedToken | null = null;
    let bestAt = -1;
    for (const t of tokens) {
      const at = text.indexOf(t.content, pos);
      if (at < 0) continue;
      if (bestAt < 0 || at < bestAt || (at === bestAt && t.content.length > best!.content.length)) {
        best = t;
        bestAt = at;
      }
    }
    if (!best) break;
    let start = bestAt;
    let end = bestAt + best.content.length;
    if (best.lstrip) while (start > textStart && /\s/u.test(text[start - 1]!)) start--;
    if (best.rstrip) while (end < text.length && /\s/u.test(text[end]!)) end++;
    if (start > textStart) out.push(text.slice(textStart, start));
    out.push(best);
    pos = textStart = end;
  }
  if (textStart < text.length) out.push(text.slice(textStart));
  return out;
}
