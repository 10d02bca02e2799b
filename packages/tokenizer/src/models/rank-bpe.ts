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

// Scratch for the short-piece merge: part starts (plus the end sentinel), the rank of each
// part's token and the rank of each adjacent pair (NONE where the pair is not a token).
let starts = new Int32Array(256);
let parts = new Int32Array(256);
let pairs = new Int32Array(256);

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
    parts = new Int32Array(n * 2 + 2);
    pairs = new Int32Array(n * 2 + 2);
  }
  const st = starts;
  const tr = parts;
  const pr = pairs;
  const pairRanks = vocab.pairRanks;
  const byteRanks = vocab.byteRanks;
  // Every single byte is a token (checked when the Encoding is built), so parts start as bytes
  // with their ranks; a merged part's rank is the pair rank that merged it, so no lookup is
  // needed at the end. Removal shifts the (short) arrays by hand: no builtin call per merge.
  let m = n;
  let prevByte = bytes[start]!;
  for (let k = 0; k < n - 1; k++) {
    const b = bytes[start + k + 1]!;
    st[k] = start + k;
    tr[k] = byteRanks[prevByte]!;
    const r = pairRanks[(prevByte << 8) | b]!;
    pr[k] = r < 0 ? NONE : r;
    prevByte = b;
  }
  st[n - 1] = end - 1;
  tr[n - 1] = byteRanks[prevByte]!;
  st[n] = end;
  pr[n - 1] = NONE;
  for (;;) {
    let best = NONE;
    let at = -1;
    for (let k = 0; k < m - 1; k++) {
      const r = pr[k]!;
      if (r < best) {
        best = r;
        at = k;
      }
    }
    if (at < 0) break;
    // Merge part at+1 into part at.
    tr[at] = best;
    for (let k = at + 1; k < m; k++) {
      st[k] = st[k + 1]!;
      tr[k] = tr[k + 1]!;
      pr[k] = pr[k + 1]!;
    }
    m--;
    st[m] = end;
    pr[m - 1] = NONE;
    if (at + 1 < m) pr[at] = pairRank(vocab, bytes, st[at]!, st[at + 2]!);
    if (at > 0) pr[at - 1] = pairRank(vocab, bytes, st[at - 1]!, st[at + 1]!);
  }
  for (let k = 0; k < m; k++) out.push(tr[k]!);
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
