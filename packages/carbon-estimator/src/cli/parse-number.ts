import { argumentError } from '../errors';

/** Longest number text we read: a flag value is a few characters, never a file. */
export const MAX_NUMBER_TEXT = 64;

// Plain or scientific, then an optional count suffix: k (1e3), M (1e6), B or G (1e9), T (1e12).
const NUMBER = /^[+-]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?([kKmMbBgGtT])?$/;

const SUFFIX: Readonly<Record<string, number>> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12 };

export interface CliNumberOptions {
  /** Refuse 0. */
  readonly positive?: boolean;
  /** Refuse fractions (`--devices 1.5`). */
  readonly integer?: boolean;
}

/**
 * Parses a CLI number: plain or scientific (`175e9`, `3.1e23`, `0.4`, `1_000`), or with a count
 * suffix (`7B`, `2T`, `1.5k`, `350M`). Refuses anything else, non-finite and negative values, and
 * fractions where `integer`, with the flag named in the message. Linear in the text, which is
 * capped at MAX_NUMBER_TEXT characters before any pattern runs.
 */
export function parseCliNumber(flag: string, text: string | undefined, options: CliNumberOptions = {}): number {
  const raw = text ?? '';
  const shown = raw.length > MAX_NUMBER_TEXT ? `${raw.slice(0, MAX_NUMBER_TEXT)}… (${raw.length} characters)` : raw;
  const trimmed = raw.length > MAX_NUMBER_TEXT ? '' : raw.trim();
  const match = NUMBER.exec(trimmed);
  if (!match) {
    throw argumentError(
      'cli',
      `${flag} to be a number like 175e9, 7B, 2T or 0.4`,
      `'${shown}'`,
      `write ${flag} 175e9 (scientific notation and k/M/B/T suffixes are fine)`,
    );
  }
  const suffix = match[4];
  const body = suffix ? trimmed.slice(0, -1) : trimmed;
  const value = Number(body.replace(/_/g, '')) * (suffix ? (SUFFIX[suffix.toLowerCase()] ?? 1) : 1);
  if (!Number.isFinite(value))
    throw argumentError('cli', `${flag} to be finite`, `'${shown}'`, `${flag} counts something physical; 1e308 and beyond is not a training run`);
  if (value < 0 || (options.positive && value === 0)) {
    throw argumentError(
      'cli',
      `${flag} to be ${options.positive ? '> 0' : '>= 0'}`,
      `'${shown}'`,
      `${flag} counts something physical; pass a ${options.positive ? 'positive' : 'non-negative'} value`,
    );
  }
  if (options.integer && !Number.isSafeInteger(value)) {
    throw argumentError('cli', `${flag} to be a whole number`, `'${shown}'`, `${flag} counts whole things; pass e.g. ${Math.max(1, Math.round(value))}`);
  }
  return value;
}
