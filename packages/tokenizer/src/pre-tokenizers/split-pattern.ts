import { RE2JS } from 're2js';
import { TokenizerError } from '../errors';
import { utf8Scratch } from '../utf8';
import { type PieceEnd, findBuiltInPattern } from './patterns';
import { toRe2Source } from './tiktoken-regex';

/**
 * A compiled split pattern: the [start, end) spans (UTF-16 indices) of its non-empty matches.
 * Built-in patterns (GPT-2, cl100k, o200k, in any of their known spellings) run on the
 * hand-compiled scanners; any other pattern runs on re2js, a linear-time regex engine, so a
 * pattern from a downloaded tokenizer.json such as `(a+)+$` cannot take exponential time.
 * Patterns RE2 cannot run (lookaround, backreferences) are refused with a clear error.
 */
export interface SplitMatcher {
  /** Flat [start0, end0, start1, end1, ...] of the non-empty matches of text, in order. */
  spans(text: string): number[];
}

export function compileSplitPattern(pattern: string, op: string): SplitMatcher {
  const builtIn = findBuiltInPattern(pattern);
  if (builtIn) return scannerMatcher(builtIn.pieceEnd);
  return re2Matcher(pattern, op);
}

/** Matches of a literal string (HF `Split` with `{ "String": ... }`), by indexOf. */
export function literalMatcher(literal: string): SplitMatcher {
  return {
    spans(text) {
      const out: number[] = [];
      if (literal.length === 0) return out;
      for (let at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + literal.length)) out.push(at, at + literal.length);
      return out;
    },
  };
}

/** The scanner works on UTF-8; spans are mapped back to UTF-16 (4-byte chars are 2 units). */
export function scannerMatcher(pieceEnd: PieceEnd): SplitMatcher {
  return {
    spans(text) {
      const out: number[] = [];
      const { bytes, length } = utf8Scratch(text);
      let unit = 0;
      for (let pos = 0; pos < length; ) {
        const end = pieceEnd(bytes, pos, length);
        let units = 0;
        for (let i = pos; i < end; i++) {
          const b = bytes[i]!;
          if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
        }
        out.push(unit, unit + units);
        unit += units;
        pos = end;
      }
      return out;
    },
  };
}

/**
 * `\s+(?!\S)|\s+` (every GPT-style pattern ends with it) needs a lookahead, which RE2 lacks. It
 * means "a whitespace run, less its last char when a non-space follows (that char then starts the
 * next piece)", so it runs as a named group `\s+` and the match is shortened here. Any other
 * lookaround is refused.
 */
const WHITESPACE_RUN_IDIOM = '\\s+(?!\\S)|\\s+';
const WS_GROUP = 'h1ws';
const WHITE_SPACE = /[\t\n\v\f\r\x85\p{Z}]/u;

function re2Matcher(pattern: string, op: string): SplitMatcher {
  const idiom = pattern.includes(WHITESPACE_RUN_IDIOM);
  const source = idiom ? pattern.split(WHITESPACE_RUN_IDIOM).join(`(?P<${WS_GROUP}>\\s+)`) : pattern;
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(toRe2Source(source));
  } catch (error) {
    throw new TokenizerError('E_UNSUPPORTED', {
      op,
      expected: 'a split pattern a linear-time (RE2) regex engine can run',
      got: `${JSON.stringify(pattern.length > 80 ? `${pattern.slice(0, 80)}…` : pattern)} (${(error as Error).message})`,
      help: 'lookaround (?= ?! ?<= ?<!) other than the GPT idiom \\s+(?!\\S)|\\s+, and backreferences (\\1), can take exponential time and are refused; use a built-in pattern (gpt2, cl100k, o200k) or rewrite the pattern without them',
    });
  }
  if (!idiom) {
    return {
      spans(text) {
        const out: number[] = [];
        for (const m of compiled.matchAll(text)) {
          const length = m[0].length;
          if (length > 0) out.push(m.index!, m.index! + length);
        }
        return out;
      },
    };
  }
  return {
    spans(text) {
      const out: number[] = [];
      const matcher = compiled.matcher(text);
      let pos = 0;
      while (pos <= text.length && matcher.find(pos)) {
        const start = matcher.start();
        let end = matcher.end();
        if (end === start) {
          // Empty match: step one character (a surrogate pair is one).
          const code = text.charCodeAt(start);
          pos = start + (code >= 0xd800 && code < 0xdc00 && start + 1 < text.length ? 2 : 1);
          continue;
        }
        if (end - start >= 2 && end < text.length && matcher.start(WS_GROUP) >= 0 && !WHITE_SPACE.test(text[end]!)) end--;
        out.push(start, end);
        pos = end;
      }
      return out;
    },
  };
}
