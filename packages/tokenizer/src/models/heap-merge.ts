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

/**
 * Merges and returns `next`: from position 0, next[p] is the position after p; n ends the list.
 * The heap is 4-ary with (rank, position) interleaved in one Int32Array, so each step touches
 * about half the cache lines of a binary heap over two arrays: at 4 MB pieces the heap no
 * longer fits in cache and that, not the log factor, is what would make time superlinear.
 */
export function heapMerge(n: number, rules: MergeRules): Int32Array {
  const next = new Int32Array(n + 1);
  const prev = new Int32Array(n + 1);
  /** Rank of the pair starting at p; -1 once p has been merged away (its heap entries are stale). */
  const rankAt = new Int32Array(n + 1);
  // Pairs are (rank, position) at [2k, 2k + 1]. At most n - 1 initial pairs plus 2 per merge;
  // start at n and grow.
  let heap = new Int32Array(2 * (n + 8));
  let size = 0;
  const push = (rank: number, pos: number): void => {
    if (2 * size === heap.length) {
      const grown = new Int32Array(heap.length * 2);
      grown.set(heap);
      heap = grown;
    }
    let k = size++;
    while (k > 0) {
      const parent = (k - 1) >> 2;
      const pr = heap[2 * parent]!;
      if (pr < rank || (pr === rank && heap[2 * parent + 1]! < pos)) break;
      heap[2 * k] = pr;
      heap[2 * k + 1] = heap[2 * parent + 1]!;
      k = parent;
    }
    heap[2 * k] = rank;
    heap[2 * k + 1] = pos;
  };
  /** Removes the top; the caller read it from heap[0], heap[1] first. */
  const popTop = (): void => {
    size--;
    const lastRank = heap[2 * size]!;
    const lastPos = heap[2 * size + 1]!;
    let k = 0;
    for (;;) {
      const first = 4 * k + 1;
      if (first >= size) break;
      let best = first;
      let bestRank = heap[2 * first]!;
      let bestPos = heap[2 * first + 1]!;
      const end = Math.min(first + 4, size);
      for (let c = first + 1; c < end; c++) {
        const cr = heap[2 * c]!;
        if (cr < bestRank || (cr === bestRank && heap[2 * c + 1]! < bestPos)) {
          best = c;
          bestRank = cr;
          bestPos = heap[2 * c + 1]!;
        }
      }
      if (lastRank < bestRank || (lastRank === bestRank && lastPos < bestPos)) break;
      heap[2 * k] = bestRank;
      heap[2 * k + 1] = bestPos;
      k = best;
    }
    heap[2 * k] = lastRank;
    heap[2 * k + 1] = lastPos;
  };
  for (let k = 0; k <= n; k++) {
    next[k] = k + 1;
    prev[k] = k - 1;
  }
  const refresh = (p: number): void => {
    const q = next[p]!;
    const r = q >= n ? NO_MERGE : rules.rank(p, q, next[q]!);
    rankAt[p] = r;
    if (r !== NO_MERGE) push(r, p);
  };
  for (let k = 0; k < n; k++) refresh(k);
  while (size > 0) {
    const r = heap[0]!;
    const p = heap[1]!;
    popTop();
    if (rankAt[p] !== r) continue; // stale: p was merged away, or its pair changed
    const q = next[p]!;
    rules.join(p, q);
    rankAt[q] = -1;
    next[p] = next[q]!;
    prev[next[q]!] = p;
    refresh(p);
    if (p > 0) refresh(prev[p]!);
  }
  return next;
}
