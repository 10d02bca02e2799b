import { argumentError } from '../errors';

const NUMBER = /^[+-]?(\d[\d_]*(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Parses a CLI number: plain or scientific (`175e9`, `3.14e23`, `0.4`, `1_000`).
 * Refuses anything else, and negative values, with the flag named in the message.
 */
export function parseCliNumber(flag: string, text: string | undefined, options: { positive?: boolean } = {}): number {
  const trimmed = (text ?? '').trim();
  if (!NUMBER.test(trimmed)) {
    throw argumentError('cli', `${flag} to be a number like 175e9 or 0.4`, `'${text ?? ''}'`, `write ${flag} 175e9 (scientific notation is fine)`);
  }
  const value = Number(trimmed.replace(/_/g, ''));
  if (!Number.isFinite(value)) throw argumentError('cli', `${flag} to be finite`, `'${text}'`);
  if (value < 0 || (options.positive && value === 0)) {
    throw argumentError('cli', `${flag} to be ${options.positive ? '> 0' : '>= 0'}`, `'${text}'`, `${flag} counts something physical; pass a ${options.positive ? 'positive' : 'non-negative'} value`);
  }
  return value;
}
