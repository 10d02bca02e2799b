import { TokenizerError, preview } from './errors';

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

export class SpecialTokens {
  readonly ids: ReadonlyMap<string, number>;
  readonly byId: ReadonlyMap<number, string>;
  private readonly all: readonly string[];

  constructor(tokens: Readonly<Record<string, number>>) {
    this.ids = new Map(Object.entries(tokens));
    this.byId = new Map([...this.ids].map(([text, id]) => [id, text]));
    this.all = [...this.ids.keys()];
  }

  /**
   * Splits text at allowed special tokens after checking that no disallowed one appears.
   * Returns null when the whole text is ordinary (the common, fast case).
   */
  split(text: string, options: EncodeOptions | undefined, op: string): Segment[] | null {
    const allowed = this.resolve(options?.allowedSpecial ?? [], op, 'allowedSpecial');
    const disallowedOption = options?.disallowedSpecial ?? 'all';
    const disallowed =
      disallowedOption === 'all'
        ? this.all.filter((t) => !allowed.includes(t))
        : this.resolve(disallowedOption, op, 'disallowedSpecial');
    for (const token of disallowed) {
      if (text.includes(token)) {
        throw new TokenizerError('E_DISALLOWED_SPECIAL', {
          op,
          expected: 'text without disallowed special tokens',
          got: `${preview(token)} at index ${text.indexOf(token)}`,
          help: `pass { allowedSpecial: [${preview(token)}] } to encode it as a special token, or { disallowedSpecial: [] } (or encodeOrdinary) to encode it as plain text`,
        });
      }
    }
    if (allowed.length === 0) return null;
    const segments: Segment[] = [];
    let pos = 0;
    for (;;) {
      let best = -1;
      let bestToken = '';
      for (const token of allowed) {
        const at = text.indexOf(token, pos);
        if (at >= 0 && (best < 0 || at < best || (at === best && token.length > bestToken.length))) {
          best = at;
          bestToken = token;
        }
      }
      if (best < 0) break;
      if (best > pos) segments.push(text.slice(pos, best));
      segments.push(this.ids.get(bestToken)!);
      pos = best + bestToken.length;
    }
    if (pos < text.length) segments.push(text.slice(pos));
    return segments;
  }

  private resolve(set: SpecialTokenSet, op: string, name: string): string[] {
    if (set === 'all') return this.all.slice();
    const list = typeof set === 'string' ? [set] : [...set];
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
