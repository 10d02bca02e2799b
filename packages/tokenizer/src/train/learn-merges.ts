import { PairTable } from './pair-table';
import type { WordCounter } from './word-counter';

export interface LearnedMerges {
  /** merges[k] = [left id, right id] creating id 256 + k; ids 0..255 are the bytes. */
  readonly merges: Array<[number, number]>;
  /** Bytes of every id (256 + merges.length entries). */
  readonly tokenBytes: Uint8Array[];
}

/**
 * Byte-level BPE training (Sennrich et al.), incremental like HF's trainer: each distinct word
 * is an int32 symbol array weighted by its count; pair counts and, per pair, the words that hold
 * it are kept up to date on each merge, so a merge costs time proportional to the words it
 * touches rather than to the corpus. A max-heap with lazy re-insertion picks the next pair:
 * highest count, ties to the smallest (left, right) ids, which makes training deterministic.
 */
export function learnMerges(words: WordCounter, mergeCount: number, minFrequency: number): LearnedMerges {
  const table = words.table;
  const wordCount = table.size;
  const wordStart = new Int32Array(wordCount);
  const wordLength = new Int32Array(wordCount);
  const symbols = new Int32Array(table.arenaLength);
  for (let w = 0; w < wordCount; w++) {
    const start = table.keyStart[w]!;
    wordStart[w] = start;
    wordLength[w] = table.keyLength[w]!;
    for (let k = 0; k < table.keyLength[w]!; k++) symbols[start + k] = table.arena[start + k]!;
  }
  const freq = words.counts;

  const pairs = new PairTable();
  let count = new Float64Array(1 << 16);
  let lastWord = new Int32Array(1 << 16).fill(-1);
  let touchedAt = new Int32Array(1 << 16).fill(-1);
  const where: number[][] = [];
  const ensure = (id: number) => {
    if (id < count.length) return;
    const n = count.length * 2;
    const c = new Float64Array(n);
    c.set(count);
    count = c;
    const l = new Int32Array(n).fill(-1);
    l.set(lastWord);
    lastWord = l;
    const t = new Int32Array(n).fill(-1);
    t.set(touchedAt);
    touchedAt = t;
  };
  const addPair = (a: number, b: number, w: number, delta: number): number => {
    const id = pairs.idOf(a, b);
    ensure(id);
    if (id === where.length) where.push([]);
    count[id]! += delta;
    if (delta > 0 && lastWord[id] !== w) {
      where[id]!.push(w);
      lastWord[id] = w;
    }
    return id;
  };
  for (let w = 0; w < wordCount; w++) {
    const s = wordStart[w]!;
    for (let k = 0; k + 1 < wordLength[w]!; k++) addPair(symbols[s + k]!, symbols[s + k + 1]!, w, freq[w]!);
  }

  // Max-heap of (count when pushed, pair id).
  let heapCount = new Float64Array(Math.max(16, pairs.size * 2));
  let heapPair = new Int32Array(heapCount.length);
  let heapSize = 0;
  const better = (i: number, j: number): boolean => {
    const ci = heapCount[i]!;
    const cj = heapCount[j]!;
    if (ci !== cj) return ci > cj;
    const pi = heapPair[i]!;
    const pj = heapPair[j]!;
    const ai = pairs.left[pi]!;
    const aj = pairs.left[pj]!;
    return ai !== aj ? ai < aj : pairs.right[pi]! < pairs.right[pj]!;
  };
  const swap = (i: number, j: number) => {
    const c = heapCount[i]!;
    heapCount[i] = heapCount[j]!;
    heapCount[j] = c;
    const p = heapPair[i]!;
    heapPair[i] = heapPair[j]!;
    heapPair[j] = p;
  };
  const push = (c: number, pair: number) => {
    if (heapSize === heapCount.length) {
      const hc = new Float64Array(heapSize * 2);
      hc.set(heapCount);
      heapCount = hc;
      const hp = new Int32Array(heapSize * 2);
      hp.set(heapPair);
      heapPair = hp;
    }
    let k = heapSize++;
    heapCount[k] = c;
    heapPair[k] = pair;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!better(k, parent)) break;
      swap(k, parent);
      k = parent;
    }
  };
  const popTop = () => {
    heapSize--;
    swap(0, heapSize);
    let k = 0;
    for (;;) {
      const l = 2 * k + 1;
      if (l >= heapSize) break;
      let best = l;
      if (l + 1 < heapSize && better(l + 1, l)) best = l + 1;
      if (!better(best, k)) break;
      swap(best, k);
      k = best;
    }
  };
  for (let id = 0; id < pairs.size; id++) if (count[id]! > 0) push(count[id]!, id);

  const merges: Array<[number, number]> = [];
  const tokenBytes: Uint8Array[] = [];
  for (let b = 0; b < 256; b++) tokenBytes.push(Uint8Array.of(b));
  const touched: number[] = [];

  while (merges.length < mergeCount && heapSize > 0) {
    const pair = heapPair[0]!;
    const pushedCount = heapCount[0]!;
    popTop();
    const current = count[pair]!;
    if (pushedCount !== current) {
      if (current > 0) push(current, pair);
      continue;
    }
    if (current < minFrequency || current <= 0) break;
    const a = pairs.left[pair]!;
    const b = pairs.right[pair]!;
    const c = 256 + merges.length;
    const step = merges.length;
    merges.push([a, b]);
    const ab = new Uint8Array(tokenBytes[a]!.length + tokenBytes[b]!.length);
    ab.set(tokenBytes[a]!);
    ab.set(tokenBytes[b]!, tokenBytes[a]!.length);
    tokenBytes.push(ab);
    touched.length = 0;
    const note = (id: number) => {
      if (touchedAt[id] !== step) {
        touchedAt[id] = step;
        touched.push(id);
      }
    };
    for (const w of where[pair]!) {
      const s = wordStart[w]!;
      const len = wordLength[w]!;
      const f = freq[w]!;
      // One compacting pass (read -> write): a word of n symbols costs O(n) per merge, not O(n)
      // per occurrence (a 1 MB run of one letter used to take minutes).
      let read = 0;
      let write = 0;
      while (read < len) {
        if (read + 1 < len && symbols[s + read] === a && symbols[s + read + 1] === b) {
          if (write > 0) {
            const prev = symbols[s + write - 1]!;
            addPair(prev, a, w, -f);
            note(addPair(prev, c, w, f));
          }
          if (read + 2 < len) {
            const next = symbols[s + read + 2]!;
            addPair(b, next, w, -f);
            note(addPair(c, next, w, f));
          }
          symbols[s + write++] = c;
          read += 2;
        } else symbols[s + write++] = symbols[s + read++]!;
      }
      wordLength[w] = write;
    }
    count[pair] = 0;
    where[pair] = [];
    for (const id of touched) if (count[id]! > 0) push(count[id]!, id);
  }
  return { merges, tokenBytes };
}
