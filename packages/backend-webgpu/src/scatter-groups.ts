/**
 * Groups update positions by target row for the grouped scatterAdd kernel: `starts[a]` ..
 * `starts[a + 1]` index the positions c (ascending) whose index is a. Indices are already checked
 * to lie in [0, axisSize).
 */
export function groupByIndex(indices: Int32Array, count: number, axisSize: number): { starts: Int32Array; positions: Int32Array } {
  const starts = new Int32Array(axisSize + 1);
  for (let c = 0; c < count; c++) starts[indices[c]! + 1]! += 1;
  for (let a = 0; a < axisSize; a++) starts[a + 1]! += starts[a]!;
  const next = starts.slice(0, axisSize);
  const positions = new Int32Array(Math.max(count, 1));
  for (let c = 0; c < count; c++) positions[next[indices[c]!]!++] = c;
  return { starts, positions };
}
