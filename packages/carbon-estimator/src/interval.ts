/**
 * A value with the low/high ends that the spread of its inputs allows. Every range in this
 * package comes from published observations (several MFUs, measured draw vs TDP, several grid
 * intensity figures), never from a fixed ±X%.
 */
export interface Range {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/** A range whose central value, low and high are all `value`. */
export function exact(value: number): Range {
  return { value, low: value, high: value };
}

/** A range with central `value`; the ends widen to include it if needed. */
export function range(value: number, low: number, high: number): Range {
  return { value, low: Math.min(low, value), high: Math.max(high, value) };
}

/**
 * Product of non-negative ranges. The ends are the envelope: every factor at its low end
 * together, and at its high end together. That is a bound on what the inputs allow, not a
 * confidence interval; the report says so.
 */
export function multiply(...factors: readonly Range[]): Range {
  return factors.reduce<Range>((acc, factor) => ({ value: acc.value * factor.value, low: acc.low * factor.low, high: acc.high * factor.high }), exact(1));
}

/** Sum of ranges (ends add). */
export function add(...terms: readonly Range[]): Range {
  return terms.reduce<Range>((acc, term) => ({ value: acc.value + term.value, low: acc.low + term.low, high: acc.high + term.high }), exact(0));
}

/** 1 / x for a positive range: the low end becomes the high end. */
export function reciprocal(x: Range): Range {
  return { value: 1 / x.value, low: 1 / x.high, high: 1 / x.low };
}

/** `x` with its value and both ends multiplied by a non-negative `factor`. */
export function scale(x: Range, factor: number): Range {
  return { value: x.value * factor, low: x.low * factor, high: x.high * factor };
}

/** min/max of a set of observations with a chosen central value. */
export function fromObservations(value: number, observations: readonly number[]): Range {
  return range(value, Math.min(value, ...observations), Math.max(value, ...observations));
}

/** A multiplicative spread around a central value: low <= 1 <= high. */
export interface Spread {
  readonly low: number;
  readonly high: number;
}

export const NO_SPREAD: Spread = { low: 1, high: 1 };

/** The spread of a range relative to its central value (1 when the value is 0). */
export function spreadOf(x: Range): Spread {
  if (!(x.value > 0)) return NO_SPREAD;
  return { low: Math.min(1, x.low / x.value), high: Math.max(1, x.high / x.value) };
}

/**
 * Spread of a product of independent uncertain factors: each side's log-spreads add in
 * quadrature (root sum of squares) instead of all factors sitting at their ends together, as
 * for independent errors. One factor comes back unchanged; exact factors (1, 1) add nothing.
 */
export function combineIndependent(...spreads: readonly Spread[]): Spread {
  let low = 0;
  let high = 0;
  for (const s of spreads) {
    low += Math.log(s.low) ** 2;
    high += Math.log(s.high) ** 2;
  }
  return { low: Math.exp(-Math.sqrt(low)), high: Math.exp(Math.sqrt(high)) };
}

/** A central value with a spread applied. */
export function withSpread(value: number, spread: Spread): Range {
  return { value, low: value * spread.low, high: value * spread.high };
}
