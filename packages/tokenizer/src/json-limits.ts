/**
 * Limits checked on outside JSON text *before* JSON.parse, so a hostile file costs time and
 * memory proportional to its size and never a deep recursion: its length, and how deeply its
 * arrays and objects nest (one linear scan that skips string contents).
 */

/** Deepest array/object nesting accepted (a real tokenizer.json nests fewer than 10 levels). */
export const MAX_JSON_DEPTH = 64;

/** The nesting depth of JSON text, or `limit + 1` as soon as it goes past `limit`. */
export function jsonNestingDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return deepest;
}
