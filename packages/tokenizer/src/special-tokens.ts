import { TokenizerError, preview } from './errors';
import { TokenMatcher } from './token-matcher';

/** tiktoken's `allowed_special` / `disallowed_special`: 'all' or a list of special-token strings. */
export type SpecialTokenSet = 'all' | Iterable<string>;

/** Options of `Encoding.encode` for special tokens: which may appear in the text and which are an error. */
export interface EncodeOptions {
  /** Special tokens that encode as their id when they appear in the text. Default: none. */
  readonly allowedSpecial?: SpecialTokenSet;
  /** Special tokens whose appearance in the text is an error. Default: 'all' (minus allowed). */
  readonly disallowedSpecial?: SpecialTokenSet;
}

/** A piece of input: ordinary text, or a special token's id. */
export type Segment = string | number;

/** Matchers kept per distinct token set (most programs use one or two). */
const MATCHER_CACHE_LIMIT = 16;

export class SpecialTokens {
  readonly ids: ReadonlyMap<string, number>;
  readonly byId: ReadonlyMap<number, string>;
  private readonly all: readonly string[];
  private readonly matchers = new Map<string, TokenMatcher>();

  constructor(tokens: Readonly<Record<string, number>>, op = 'Encoding') {
    this.ids = new Map(Object.entries(tokens));
    const byId = new Map<number, string>();
    for (const [text, id] of this.ids) {
      if (text.length === 0) {
        throw new TokenizerError('E_ARGUMENT', {
          op,
          expected: 'special tokens that are non-empty strings',
          got: `"" = ${String(id)}`,
          help: 'an empty special token would match between every two characters; remove it',
        });
      }
      byId.set(id, text);
    }
    this.byId = byId;
    this.all = [...this.ids.keys()];
  }

  /**
   * Splits text at allowed special tokens after checking that no disallowed one appears.
   * Returns null when the whole text is ordinary (the common, fast case). One pass per token
   * set, linear in the text.
   */
  split(text: string, options: EncodeOptions | undefined, op: string): Segment[] | null {
    const allowed = this.resolve(options?.allowedSpecial ?? [], op, 'allowedSpecial');
    const disallowedOption = options?.disallowedSpecial ?? 'all';
    const allowedSet = new Set(allowed);
    const disallowed = disallowedOption === 'all' ? this.all.filter((t) => !allowedSet.has(t)) : this.resolve(disallowedOption, op, 'disallowedSpecial');
    if (disallowed.length > 0) {
      const hit = this.matcher(disallowed).findFirst(text);
      if (hit) {
        const token = disallowed[hit.token]!;
        throw new TokenizerError('E_DISALLOWED_SPECIAL', {
          op,
          expected: 'text without disallowed special tokens',
          got: `${preview(token)} at index ${hit.start}`,
          help: `pass { allowedSpecial: [${preview(token)}] } to encode it as a special token, or { disallowedSpecial: [] } (or encodeOrdinary) to encode it as plain text`,
        });
      }
    }
    if (allowed.length === 0) return null;
    const segments: Segment[] = [];
    let pos = 0;
    for (const m of this.matcher(allowed).findAll(text)) {
      if (m.start > pos) segments.push(text.slice(pos, m.start));
      segments.push(this.ids.get(allowed[m.token]!)!);
      pos = m.end;
    }
    if (pos < text.length) segments.push(text.slice(pos));
    return segments;
  }

  private matcher(tokens: readonly string[]): TokenMatcher {
    const key = JSON.stringify(tokens);
    let matcher = this.matchers.get(key);
    if (!matcher) {
      if (this.matchers.size >= MATCHER_CACHE_LIMIT) this.matchers.clear();
      matcher = new TokenMatcher(tokens);
      this.matchers.set(key, matcher);
    }
    return matcher;
  }

  private resolve(set: SpecialTokenSet, op: string, name: string): string[] {
    if (set === 'all') return this.all.slice();
    const list = typeof set === 'string' ? [set] : Array.from(set);
    for (const token of list) {
      if (!this.ids.has(token)) {
        throw new TokenizerError('E_UNKNOWN_CHOICE', {
          op,
          expected: `${name} to hold special tokens of this encoding (${this.all.map((t) => `'${t}'`).join(', ') || 'none'}) or 'all'`,
          got: preview(token),
        });
      }
    }
    return list;
  }
}
