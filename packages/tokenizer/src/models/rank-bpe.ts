import type { Vocabulary } from '../vocabulary';
import { NO_MERGE, heapMerge } from './heap-merge';

/**
 * tiktoken's byte-pair merge: repeatedly merge the adjacent pair whose concatenation has the
 * lowest rank (leftmost on ties) until no pair is in the vocabulary. Short pieces use
 * tiktoken's O(n^2) array scan (fastest for the few-byte words of prose); long pieces (a long
 * run of one letter, a base64 blob, a whitespace run) use the heap merge shared with the HF BPE
 * model (`heap-merge.ts`), which is O(n log n) and gives the same result.
 */
const NONE = NO_MERGE;
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
  const pairRanks = vocab.pairRanks;
  for (let k = 0; k < n - 1; k++) {
    const r = pairRanks[(bytes[start + k]! << 8) | bytes[start + k + 1]!]!;
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

/** Long pieces: the shared heap merge (O(n log n)); a symbol is the bytes up to the next position. */
function heapBpe(vocab: Vocabulary, bytes: Uint8Array, start: number, end: number, out: number[]): void {
  const n = end - start;
  const next = heapMerge(n, {
    rank: (p, _q, after) => pairRank(vocab, bytes, start + p, start + after),
    join: () => {},
  });
  for (let p = 0; p < n; p = next[p]!) out.push(vocab.rankOf(bytes, start + p, start + next[p]!));
}
