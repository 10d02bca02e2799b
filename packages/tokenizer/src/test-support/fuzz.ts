import fc from 'fast-check';
import { TokenizerError } from '../errors';
import { wellFormed } from './corpus';

/** The shared fuzz convention: WATTFORMER_FUZZ_RUNS / WATTFORMER_FUZZ_SEED override the defaults. */
export function fuzzParameters(defaultRuns: number): { numRuns: number; seed: number; endOnFailure: boolean } {
  const runs = Number(process.env['WATTFORMER_FUZZ_RUNS'] ?? defaultRuns);
  const seed = Number(process.env['WATTFORMER_FUZZ_SEED'] ?? 20261206);
  // No shrinking: mutated multi-KB files shrink for minutes; the seed and path replay the case.
  return { numRuns: runs, seed, endOnFailure: true };
}

/** Runs fn; a TokenizerError is an accepted outcome (returns undefined); any other throw fails the case. */
export function loadsOrRefuses<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (error instanceof TokenizerError) return undefined;
    throw new Error(`expected a result or a TokenizerError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
}

/** Slowest case seen per suite, printed at the end (measured, never asserted). */
export class CaseTimer {
  private worst = 0;
  private worstLabel = '';
  time<T>(label: string, fn: () => T): T {
    const start = performance.now();
    try {
      return fn();
    } finally {
      const ms = performance.now() - start;
      if (ms > this.worst) {
        this.worst = ms;
        this.worstLabel = label;
      }
    }
  }
  report(suite: string): void {
    console.log(`${suite}: slowest case ${this.worst.toFixed(1)} ms (${this.worstLabel})`);
  }
}

const EDGE = [
  'a',
  'Z',
  'é',
  '中',
  '文',
  'ア',
  '\u0301',
  '1',
  '٣',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\u00a0',
  '\u3000',
  "'s",
  "'LL",
  '!',
  '.',
  '👍',
  '👩‍💻',
  '<|',
  '|>',
  '<|endoftext|>',
  '<|pad|>',
  '[CLS]',
  '##',
  'Ġ',
];

/** Text for encode round trips: edge pieces, random code points, graphemes (well-formed: no lone surrogates). */
export const fuzzText = fc
  .oneof(
    fc.array(fc.constantFrom(...EDGE), { maxLength: 30 }).map((p) => p.join('')),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
  )
  .map(wellFormed);
