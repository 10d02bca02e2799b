import type { JsonObject } from '../json-types';
import type { PreTokenizer } from '../stages';
import { type SplitMatcher, compileSplitPattern, literalMatcher } from '../../pre-tokenizers/split-pattern';
import { type SplitBehavior, splitByMatches } from './split-by-regex';

export type SplitPattern = { readonly Regex: string } | { readonly String: string };

/**
 * HF `Split`: a regex or a literal string. Regexes run on the built-in scanners when they are
 * a known GPT pattern, otherwise on a linear-time engine (see split-pattern.ts).
 */
export class SplitPreTokenizer implements PreTokenizer {
  private readonly matcher: SplitMatcher;

  constructor(
    readonly pattern: SplitPattern,
    readonly behavior: SplitBehavior,
    readonly invert: boolean,
  ) {
    this.matcher = 'Regex' in pattern ? compileSplitPattern(pattern.Regex, 'Tokenizer.fromJSON (Split pattern)') : literalMatcher(pattern.String);
  }

  preTokenize(pieces: string[]): string[] {
    const out: string[] = [];
    for (const p of pieces) for (const part of splitByMatches(p, this.matcher.spans(p), this.behavior, this.invert)) out.push(part);
    return out;
  }

  toJSON(): JsonObject {
    return { type: 'Split', pattern: this.pattern, behavior: this.behavior, invert: this.invert };
  }
}
