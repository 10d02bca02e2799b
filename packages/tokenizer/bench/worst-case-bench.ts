import { randomBytes } from 'node:crypto';
import { getEncoding } from '../src/get-encoding';
import { summarize, time } from './stats';

export interface ScalingRow {
  readonly shape: string;
  readonly chars: number;
  readonly medianMs: number;
  /** Time per char relative to the 10k-char input: ~1 means linear. */
  readonly perCharVs10k: number;
}

const SHAPES: Record<string, (n: number) => string> = {
  'repeated letter': (n) => 'a'.repeat(n),
  'base64 blob': (n) => randomBytes(n).toString('base64').slice(0, n),
  'whitespace run': (n) => `x${' '.repeat(n)}y`,
};

/** cl100k encode time of each pathological shape at growing sizes. */
export async function worstCaseScaling(repeats: number): Promise<ScalingRow[]> {
  const enc = await getEncoding('cl100k_base');
  const rows: ScalingRow[] = [];
  for (const [shape, make] of Object.entries(SHAPES)) {
    let base = 0;
    for (const chars of [10_000, 100_000, 1_000_000]) {
      const text = make(chars);
      enc.encode(text);
      const ms = summarize(Array.from({ length: repeats }, () => time(() => enc.encode(text)) * 1000)).median;
      if (chars === 10_000) base = ms / chars;
      rows.push({ shape, chars, medianMs: ms, perCharVs10k: ms / chars / base });
    }
  }
  return rows;
}
