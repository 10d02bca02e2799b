import { TokenizerError } from '../errors';

/**
 * Translates a split pattern written for tiktoken (Rust `fancy-regex`) or HF `tokenizers`
 * (Oniguruma) into a JavaScript RegExp: possessive quantifiers become greedy (equivalent for
 * the GPT patterns, whose possessive parts never need to give back) and scoped `(?i:...)`
 * groups, which V8 in Node 20 lacks, are expanded letter by letter.
 */
export function toJsRegExp(pattern: string, op = 'pattern'): RegExp {
  let source = expandCaseInsensitiveGroups(pattern);
  // `?+ ++ *+ {m,n}+` are possessive; `\p{L}+` is not (its braces are a property, not a count).
  source = source.replace(/([?+*]|\{\d+(?:,\d*)?\})\+/g, (match, quantifier: string, offset: number) =>
    isEscaped(source, offset) ? match : quantifier,
  );
  try {
    return new RegExp(source, 'gu');
  } catch (error) {
    throw new TokenizerError('E_ARGUMENT', {
      op,
      expected: 'a regular expression JavaScript can compile with the u flag',
      got: `${JSON.stringify(pattern)} (${(error as Error).message})`,
      help: 'use a built-in pattern name (gpt2, cl100k, o200k) or plain ECMAScript regex syntax',
    });
  }
}

function isEscaped(source: string, offset: number): boolean {
  let backslashes = 0;
  for (let i = offset - 1; i >= 0 && source[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

function bothCases(ch: string): string {
  const lower = ch.toLowerCase();
  const upper = ch.toUpperCase();
  return lower === upper ? ch : lower + upper;
}

function expandCaseInsensitiveGroups(pattern: string): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    if (pattern.startsWith('(?i:', i) && !isEscaped(pattern, i)) {
      out += '(?:';
      i += 4;
      let depth = 1;
      let inClass = false;
      while (i < pattern.length && depth > 0) {
        const ch = pattern[i]!;
        if (ch === '\\') {
          out += pattern.slice(i, i + 2);
          i += 2;
          continue;
        }
        if (inClass) {
          if (ch === ']') inClass = false;
          out += /[a-z]/i.test(ch) ? bothCases(ch) : ch;
        } else if (ch === '[') {
          inClass = true;
          out += ch;
        } else if (ch === '(') {
          depth++;
          out += ch;
        } else if (ch === ')') {
          depth--;
          out += ch;
        } else {
          out += /[a-z]/i.test(ch) ? `[${bothCases(ch)}]` : ch;
        }
        i++;
      }
      continue;
    }
    out += pattern[i]!;
    i++;
  }
  return out;
}
