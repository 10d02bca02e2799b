/**
 * Translates a split pattern written for tiktoken (Rust `fancy-regex`) or HF `tokenizers`
 * (Oniguruma) into RE2 syntax for re2js, the linear-time engine user patterns run on:
 * possessive quantifiers become greedy (equivalent for the GPT-style patterns, whose possessive
 * parts never need to give back; RE2 has no backtracking to prevent anyway) and `\s` / `\S`
 * become Unicode White_Space, as in those engines (RE2's own `\s` is ASCII only).
 */
const WHITE_SPACE = '\\t\\n\\x{0B}\\f\\r\\x{85}\\p{Z}';

export function toRe2Source(pattern: string): string {
  let out = '';
  let inClass = false;
  let afterQuantifier = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const escaped = pattern[i + 1];
      if (escaped === 's') out += inClass ? WHITE_SPACE : `[${WHITE_SPACE}]`;
      else if (escaped === 'S' && !inClass) out += `[^${WHITE_SPACE}]`;
      else if ((escaped === 'p' || escaped === 'P' || escaped === 'x') && pattern[i + 2] === '{') {
        const close = pattern.indexOf('}', i + 2);
        const end = close < 0 ? pattern.length : close + 1;
        out += pattern.slice(i, end);
        i = end - 2;
      } else out += pattern.slice(i, i + 2);
      i++;
      afterQuantifier = false;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      // A ']' right after '[' or '[^' is a literal member.
      if (pattern[i + 1] === '^') out += pattern[++i]!;
      if (pattern[i + 1] === ']') out += pattern[++i]!;
      afterQuantifier = false;
      continue;
    }
    if (ch === '?' || ch === '*' || ch === '+') {
      // `?+ ++ *+ {m,n}+` are possessive: drop the '+'; `+?` etc. are lazy: keep the '?'.
      if (afterQuantifier) {
        if (ch !== '+') out += ch;
        afterQuantifier = false;
        continue;
      }
      out += ch;
      afterQuantifier = true;
      continue;
    }
    if (ch === '{') {
      const count = /^\{\d+(?:,\d*)?\}/.exec(pattern.slice(i, i + 24));
      if (count) {
        out += count[0];
        i += count[0].length - 1;
        afterQuantifier = true;
        continue;
      }
    }
    out += ch;
    afterQuantifier = false;
  }
  return out;
}
