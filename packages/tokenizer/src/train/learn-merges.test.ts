import { describe, expect, it } from 'vitest';
import { BUILT_IN_PATTERNS } from '../pre-tokenizers/patterns';
import { gutenbergBook } from '../test-support/corpus';
import { learnMerges } from './learn-merges';
import { WordCounter } from './word-counter';

/**
 * Textbook BPE training, written for clarity: recount every pair of every word after each merge.
 * Same tie-break as learnMerges (highest count, then smallest left id, then smallest right id).
 */
function naiveMerges(words: Map<string, number>, mergeCount: number, minFrequency: number): Array<[number, number]> {
  const seqs = [...words].map(([w, c]) => ({ symbols: [...Buffer.from(w, 'latin1')], count: c }));
  const merges: Array<[number, number]> = [];
  while (merges.length < mergeCount) {
    const counts = new Map<string, number>();
    for (const { symbols, count } of seqs) {
      for (let k = 0; k + 1 < symbols.length; k++) {
        const key = `${symbols[k]},${symbols[k + 1]}`;
        counts.set(key, (counts.get(key) ?? 0) + count);
      }
    }
    let best: [number, number] | null = null;
    let bestCount = 0;
    for (const [key, c] of counts) {
      const [a, b] = key.split(',').map(Number) as [number, number];
      if (c > bestCount || (c === bestCount && best && (a < best[0] || (a === best[0] && b < best[1])))) {
        best = [a, b];
        bestCount = c;
      }
    }
    if (!best || bestCount < minFrequency) break;
    const id = 256 + merges.length;
    merges.push(best);
    for (const seq of seqs) {
      const out: number[] = [];
      for (let k = 0; k < seq.symbols.length; k++) {
        if (k + 1 < seq.symbols.length && seq.symbols[k] === best[0] && seq.symbols[k + 1] === best[1]) {
          out.push(id);
          k++;
        } else out.push(seq.symbols[k]!);
      }
      seq.symbols = out;
    }
  }
  return merges;
}

describe('learnMerges', () => {
  it('picks exactly the merges of textbook BPE (recount everything each step)', () => {
    const text = gutenbergBook('carroll-alice').slice(0, 30_000) + ' aaaa aaaaa abab ababab';
    const counter = new WordCounter(BUILT_IN_PATTERNS['cl100k']!.pieceEnd, null);
    counter.add(text);
    const words = new Map<string, number>();
    for (let w = 0; w < counter.table.size; w++) {
      const start = counter.table.keyStart[w]!;
      const bytes = counter.table.arena.subarray(start, start + counter.table.keyLength[w]!);
      words.set(Buffer.from(bytes).toString('latin1'), counter.counts[w]!);
    }
    const fast = learnMerges(counter, 300, 2);
    expect(fast.merges.length).toBe(300);
    expect(fast.merges).toEqual(naiveMerges(words, 300, 2));
  });
});
