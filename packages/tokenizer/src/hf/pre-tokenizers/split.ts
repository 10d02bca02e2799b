import type { JsonObject } from '../json-types';
import type { PreTokenizer } from '../stages';
import { toJsRegExp } from '../../pre-tokenizers/tiktoken-regex';
import { type SplitBehavior, splitByRegex } from './split-by-regex';

export type SplitPattern = { readonly Regex: string } | { readonly String: string };

/** HF `Split`: a regex (tiktoken/Oniguruma syntax, translated) or a literal string. */
export class SplitPreTokenizer implements PreTokenizer {
  private readonly regex: RegExp;

  constructor(
    readonly pattern: SplitPattern,
    readonly behavior: SplitBehavior,
    readonly invert: boolean,
  ) {
    this.regex =
      'Regex' in pattern
        ? toJsRegExp(pattern.Regex, 'Split')
        : new RegExp(pattern.String.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gu');
  }

  preTokenize(pieces: string[]): string[] {
    return pieces.flatMap((p) => splitByRegex(p, this.regex, this.behavior, this.invert));
  }

  toJSON(): JsonObject {
    return { type: 'Split', pattern: this.pattern, behavior: this.behavior, invert: this.invert };
  }
}
