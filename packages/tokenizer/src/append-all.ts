/**
 * `out.push(...items)` without an argument spread: a spread passes every item as an argument,
 * which overflows the stack once items has some 100k entries (one long word, one long text).
 */
export function appendAll(out: number[], items: ArrayLike<number>): void {
  for (let k = 0; k < items.length; k++) out.push(items[k]!);
}
