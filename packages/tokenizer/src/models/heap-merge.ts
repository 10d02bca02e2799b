/**
 * The byte-pair merge loop shared by tiktoken-style BPE (`rank-bpe.ts`) and the Hugging Face
 * `BPE` model: repeatedly join the adjacent pair of symbols with the lowest merge rank (leftmost
 * on ties) until no pair merges. A min-heap of (rank, position) over a linked list of symbols
 * makes it O(n log n) for a piece of n symbols; the naive rescan after every merge is O(n^2),
 * which a long run of one letter or of spaces turns into minutes.
 *
 * Positions are 0..n-1 (the symbols in order); position n is the end sentinel. A merge keeps the
 * left position and drops the right one, so positions keep their order and the heap's
 * (rank, position) order is exactly the scan's "lowest rank, then leftmost" order.
 */
export const NO_MERGE = 0x7fffffff;

export interface MergeRules {
  /** Rank of joining symbol p with the symbol q after it (`after` follows q), or NO_MERGE. */
  rank(p: number, q: number, after: number): number;
  /** Joins symbol q into symbol p (p keeps its position). */
  join(p: number, q: number): void;
}

/** Merges and returns `next`: from position 0, next[p] is the position after p; n ends the list. */
export function heapMerge(n: number, rules: MergeRules): Int32Array {
  const next = new Int32Array(n + 1);
  const prev = new Int32Array(n + 1);
  const rankAt = new Int32Array(n + 1);
  const alive = new Uint8Array(n + 1);
  // At most n - 1 initial pairs plus 2 per merge; start at n and grow, as most pushes are stale-free.
  let heapRank = new Int32Array(n + 8);
  let heapPos = new Int32Array(n + 8);
  let size = 0;
  const less = (ra: number, pa: number, rb: number, pb: number): boolean => ra < rb || (ra === rb && pa < pb);
  const push = (rank: number, pos: number): void => {
    if (size === heapRank.length) {
      const grownRank = new Int32Array(size * 2);
      grownRank.set(heapRank);
      heapRank = grownRank;
      const grownPos = new Int32Array(size * 2);
      grownPos.set(heapPos);
      heapPos = grownPos;
    }
    let k = size++;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!less(rank, pos, heapRank[parent]!, heapPos[parent]!)) break;
      heapRank[k] = heapRank[parent]!;
      heapPos[k] = heapPos[parent]!;
      k = parent;
    }
    heapRank[k] = rank;
    heapPos[k] = pos;
  };
  /** Removes the top; the caller read it from index 0 first. */
  const popTop = (): void => {
    size--;
    const lastRank = heapRank[size]!;
    const lastPos = heapPos[size]!;
    let k = 0;
    for (;;) {
      let child = 2 * k + 1;
      if (child >= size) break;
      if (child + 1 < size && less(heapRank[child + 1]!, heapPos[child + 1]!, heapRank[child]!, heapPos[child]!)) child++;
      if (!less(heapRank[child]!, heapPos[child]!, lastRank, lastPos)) break;
      heapRank[k] = heapRank[child]!;
      heapPos[k] = heapPos[child]!;
      k = child;
    }
    heapRank[k] = lastRank;
    heapPos[k] = lastPos;
  };
  for (let k = 0; k <= n; k++) {
    next[k] = k + 1;
    prev[k] = k - 1;
    alive[k] = 1;
  }
  const refresh = (p: number): void => {
    const q = next[p]!;
    const r = q >= n ? NO_MERGE : rules.rank(p, q, next[q]!);
    rankAt[p] = r;
    if (r !== NO_MERGE) push(r, p);
  };
  for (let k = 0; k < n; k++) refresh(k);
  while (size > 0) {
    const r = heapRank[0]!;
    const p = heapPos[0]!;
    popTop();
    if (alive[p] === 0 || rankAt[p] !== r) continue; // stale entry
    const q = next[p]!;
    rules.join(p, q);
    alive[q] = 0;
    next[p] = next[q]!;
    prev[next[q]!] = p;
    refresh(p);
    if (p > 0) refresh(prev[p]!);
  }
  return next;
}
