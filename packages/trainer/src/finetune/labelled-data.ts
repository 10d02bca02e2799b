/**
 * Labelled texts for sequence classification: a seeded shuffle, a class-balanced train/test split
 * with no text on both sides, and JSONL (`{"text": …, "label": …}` per line) parsing.
 */
import { trainerError } from '../errors';

/** A text with its class index. */
export interface LabelledText {
  readonly text: string;
  /** Class index, 0 … numLabels − 1. */
  readonly label: number;
}

/** Options of `balancedSplit`: training and test sizes (split evenly over labels) and the seed. */
export interface BalancedSplitOptions {
  /** Examples in the training set; split evenly over the labels. */
  readonly trainSize: number;
  /** Examples in the test set; split evenly over the labels. */
  readonly testSize: number;
  readonly seed: number;
}

/** mulberry32: a seeded generator for shuffles (one 32-bit state). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates on a copy, driven by `seededRandom(seed)`. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = items.slice();
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Number of labels: one more than the largest; every label must be an integer ≥ 0. */
export function countLabels(examples: readonly LabelledText[]): number {
  let max = -1;
  for (const { label } of examples) max = Math.max(max, label);
  return max + 1;
}

/**
 * A seeded, class-balanced train/test split: exact duplicate texts are dropped first (so no text
 * is in both sets), each label's examples are shuffled, trainSize/L and testSize/L of each are
 * taken without overlap, and each set is shuffled again (sources sorted by label stay mixed).
 */
export function balancedSplit(examples: readonly LabelledText[], options: BalancedSplitOptions): { train: LabelledText[]; test: LabelledText[] } {
  const { trainSize, testSize, seed } = options;
  const numLabels = countLabels(examples);
  for (const [name, value] of [
    ['trainSize', trainSize],
    ['testSize', testSize],
  ] as const) {
    if (!Number.isInteger(value) || value < numLabels || value % numLabels !== 0) {
      throw trainerError('E_ARGUMENT', 'balancedSplit', `${name} to be a positive multiple of the ${numLabels} labels`, String(value));
    }
  }
  const seen = new Set<string>();
  const byLabel: LabelledText[][] = Array.from({ length: numLabels }, () => []);
  for (const example of examples) {
    if (seen.has(example.text)) continue;
    seen.add(example.text);
    byLabel[example.label]!.push(example);
  }
  const train: LabelledText[] = [];
  const test: LabelledText[] = [];
  const [trainEach, testEach] = [trainSize / numLabels, testSize / numLabels];
  byLabel.forEach((group, label) => {
    if (group.length < trainEach + testEach) {
      throw trainerError(
        'E_ARGUMENT',
        'balancedSplit',
        `at least ${trainEach + testEach} distinct texts with label ${label}`,
        String(group.length),
        'ask for smaller trainSize/testSize',
      );
    }
    const shuffled = seededShuffle(group, seed + 7919 * (label + 1));
    train.push(...shuffled.slice(0, trainEach));
    test.push(...shuffled.slice(trainEach, trainEach + testEach));
  });
  return { train: seededShuffle(train, seed), test: seededShuffle(test, seed + 1) };
}

/** Checks one example's shape; `where` names it in the error. */
export function checkLabelled(value: unknown, where: string): LabelledText {
  const v = value as { text?: unknown; label?: unknown } | null;
  if (v === null || typeof v !== 'object' || typeof v.text !== 'string' || !Number.isInteger(v.label) || (v.label as number) < 0) {
    throw trainerError(
      'E_ARGUMENT',
      'labelledData',
      `${where} to be {"text": string, "label": integer ≥ 0}`,
      JSON.stringify(value)?.slice(0, 80) ?? String(value),
    );
  }
  return { text: v.text, label: v.label as number };
}

/** Parses JSONL text, one `{"text": …, "label": …}` per non-empty line. */
export function parseLabelledJsonl(text: string): LabelledText[] {
  const out: LabelledText[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw trainerError('E_ARGUMENT', 'labelledData', `line ${i + 1} to be JSON`, line.slice(0, 80));
    }
    out.push(checkLabelled(value, `line ${i + 1}`));
  });
  if (out.length === 0) throw trainerError('E_ARGUMENT', 'labelledData', 'at least one {"text", "label"} line', 'none');
  return out;
}
