/** How a Split keeps the matched parts: HF's `SplitDelimiterBehavior`. */
export type SplitBehavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';
export const SPLIT_BEHAVIORS: readonly SplitBehavior[] = ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'];

/**
 * Splits `text` at the matches of a split pattern, as HF `split(pattern, behavior)` does.
 * `matches` is flat [start, end, ...] of non-empty, ordered, non-overlapping matches.
 */
export function splitByMatches(text: string, matches: readonly number[], behavior: SplitBehavior, invert = false): string[] {
  // Mark every span as (start, end, isMatch), covering the whole text.
  const spans: Array<[number, number, boolean]> = [];
  let pos = 0;
  for (let k = 0; k < matches.length; k += 2) {
    const start = matches[k]!;
    const end = matches[k + 1]!;
    if (start > pos) spans.push([pos, start, invert]);
    spans.push([start, end, !invert]);
    pos = end;
  }
  if (pos < text.length) spans.push([pos, text.length, invert]);
  const out: string[] = [];
  switch (behavior) {
    case 'Removed':
      for (const [s, e, isMatch] of spans) if (!isMatch) out.push(text.slice(s, e));
      break;
    case 'Isolated':
      for (const [s, e] of spans) out.push(text.slice(s, e));
      break;
    case 'MergedWithPrevious': {
      let pending = '';
      for (const [s, e, isMatch] of spans) {
        if (isMatch) {
          out.push(pending + text.slice(s, e));
          pending = '';
        } else {
          if (pending) out.push(pending);
          pending = text.slice(s, e);
        }
      }
      if (pending) out.push(pending);
      break;
    }
    case 'MergedWithNext': {
      let pending = '';
      for (const [s, e, isMatch] of spans) {
        if (isMatch) {
          if (pending) out.push(pending);
          pending = text.slice(s, e);
        } else {
          out.push(pending + text.slice(s, e));
          pending = '';
        }
      }
      if (pending) out.push(pending);
      break;
    }
    case 'Contiguous': {
      let last: boolean | null = null;
      for (const [s, e, isMatch] of spans) {
        if (isMatch && last === true) out[out.length - 1] += text.slice(s, e);
        else out.push(text.slice(s, e));
        last = isMatch;
      }
      break;
    }
  }
  return out;
}
