import type { Vocabulary } from '../vocabulary';

/**
 * tiktoken's byte-pair merge: repeatedly merge the adjacent pair whose concatenation has the
 * lowest rank (leftmost on ties) until no pair is in the vocabulary. Short pieces use
 * tiktoken's O(n^2) array scan (fastest for the few-byte words of prose); long pieces (a long
 * run of one letter, a base64 blob, a whitespace run) use a heap over a linked list, which is
 * O(n log n) and gives the same result because it pops pairs in the same (rank, position) order.
 */
const NONE = 0x7fffffff;
const HEAP_THRESHOLD = 96;

let starts = new Int32Array(256);
let ranks = new Int32Array(256);

/** Appends the token ids of bytes[start, end) to `out`. */
export function rankBpe(vocab: Vocabulary, bytes: Uint8Array, start: number, end: number, out: number[]): void {
  const n = end - start;
  if (n === 1) {
    out.push(vocab.rankOf(bytes, start, end));
    return;
  }
  if (n > HEAP_THRESHOLD) {
    heapBpe(vocab, bytes, start, end, out);
    return;
  }
  if (starts.length < n + 2) {
    starts = new Int32Array(n * 2 + 2);
    ranks = new Int32Array(n * 2 + 2);
  }
  // parts: starts[0..m], starts[m] = end (sentinel); ranks[k] = rank of [starts[k], starts[k+2]).
  let m = n;
  for (let k = 0; k <= n; k++) starts[k] = start + k;
  for (let k = 0; k < n - 1; k++) {
    const r = vocab.rankOf(bytes, start + k, start + k + 2);
    ranks[k] = r < 0 ? NONE : r;
  }
  ranks[n - 1] = NONE;
  for (;;) {
    let best = NONE;
    let at = -1;
    for (let k = 0; k < m - 1; k++) {
      const r = ranks[k]!;
      if (r < best) {
        best = r;
        at = k;
      }
    }
    if (at < 0) break;
    // Merge part at+1 into part at.
    starts.copyWithin(at + 1, at + 2, m + 1);
    ranks.copyWithin(at + 1, at + 2, m);
    m--;
    ranks[at] = at + 2 <= m ? pairRank(vocab, bytes, starts[at]!, starts[at + 2]!) : NONE;
    if (at > 0) ranks[at - 1] = pairRank(vocab, bytes, starts[at - 1]!, starts[at + 1]!);
    ranks[m - 1] = NONE;
  }
  for (let k = 0; k < m; k++) out.push(vocab.rankOf(bytes, starts[k]!, starts[k + 1]!));
}

function pairRank(vocab: Vocabulary, bytes: Uint8Array, s: number, e: number): number {
  const r = vocab.rankOf(bytes, s, e);
  return r < 0 ? NONE : r;
}

/** Min-heap of (rank, position) packed into one double: rank * 2^32 + position. */
function heapBpe(vocab: Vocabulary, bytes: Uint8Array, start: number, end: number, out: number[]): void {
  const n = end - start;
  const next = new Int32Array(n + 1);
  const prev = new Int32Array(n + 1);
  const rankAt = new Int32Array(n + 1);
  const alive = new Uint8Array(n + 1);
  const heap = new Float64Array(n * 3 + 8);
  let size = 0;
  const push = (key: number): void => {
    let k = size++;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (heap[parent]! <= key) break;
      heap[k] = heap[parent]!;
      k = parent;
    }
    heap[k] = key;
  };
  const pop = (): number => {
    const top = heap[0]!;
    const last = heap[--size]!;
    let k = 0;
    for (;;) {
      let child = 2 * k + 1;
      if (child >= size) break;
      if (child + 1 < size && heap[child + 1]! < heap[child]!) child++;
      if (heap[child]! >= last) break;
      heap[k] = heap[child]!;
      k = child;
    }
    heap[k] = last;
    return top;
  };
  const TWO32 = 4294967296;
  // Positions are relative to `start`; position n is the end sentinel.
  for (let k = 0; k <= n; k++) {
    next[k] = k + 1;
    prev[k] = k - 1;
    alive[k] = 1;
  }
  const refresh = (p: number): void => {
    const q = next[p]!;
    if (q >= n) {
      rankAt[p] = NONE;
      return;
    }
    const r = pairRank(vocab, bytes, start + p, start + next[q]!);
    rankAt[p] = r;
    if (r !== NONE) push(r * TWO32 + p);
  };
  for (let k = 0; k < n; k++) refresh(k);
  while (size > 0) {
    const key = pop();
    const r = Math.floor(key / TWO32);
    const p = key - r * TWO32;
    if (alive[p] === 0 || rankAt[p] !== r) continue; // stale entry
    const q = next[p]!;
    alive[q] = 0;
    next[p] = next[q]!;
    prev[next[q]!] = p;
    refresh(p);
    if (p > 0) refresh(prev[p]!);
  }
  for (let p = 0; p < n; p = next[p]!) out.push(vocab.rankOf(bytes, start + p, start + next[p]!));
}
