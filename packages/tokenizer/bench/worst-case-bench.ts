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
      // A fresh text per repeat (the base64 blobs differ), so the piece cache cannot serve a
      // repeat from the previous one and small inputs do not look cheaper than they are.
      enc.encode(make(chars));
      const ms = summarize(
        Array.from({ length: repeats }, () => {
          const text = make(chars);
          return time(() => enc.encode(text)) * 1000;
        }),
      ).median;
      if (chars === 10_000) base = ms / chars;
      rows.push({ shape, chars, medianMs: ms, perCharVs10k: ms / chars / base });
    }
  }
  return rows;
}
