/**
 * The estimator's one error class. It mirrors the house shape of `@wattformer/core`
 * (`<package>: <op>: expected <x>, got <y>` then `help: <fix>`) without depending on it,
 * because this package must stand alone. `code` is stable: match on it, not on the message.
 */
export type CarbonErrorCode = 'E_ARGUMENT' | 'E_UNKNOWN_CHOICE' | 'E_MISSING_INPUT' | 'E_UNSUPPORTED' | 'E_STATE';

/** The parts of a `CarbonEstimatorError` message. */
export interface CarbonErrorDetails {
  readonly op: string;
  readonly expected: string;
  readonly got: string;
  readonly help?: string;
}

export const PACKAGE_SHORT_NAME = 'carbon-estimator';

/**
 * The error the carbon estimator throws: a `code`, and a `carbon-estimator: <op>: expected …, got …` message with a `help:` line.
 */
export class CarbonEstimatorError extends Error {
  readonly code: CarbonErrorCode;
  readonly op: string;
  readonly expected: string;
  readonly got: string;
  readonly help: string | undefined;

  constructor(code: CarbonErrorCode, details: CarbonErrorDetails) {
    super(formatCarbonErrorMessage(details));
    this.name = 'CarbonEstimatorError';
    this.code = code;
    this.op = details.op;
    this.expected = details.expected;
    this.got = details.got;
    this.help = details.help;
  }
}

export function formatCarbonErrorMessage(details: CarbonErrorDetails): string {
  const head = `${PACKAGE_SHORT_NAME}: ${details.op}: expected ${details.expected}, got ${details.got}`;
  return details.help ? `${head}\nhelp: ${details.help}` : head;
}

export function argumentError(op: string, expected: string, got: string, help?: string): CarbonEstimatorError {
  return new CarbonEstimatorError('E_ARGUMENT', { op, expected, got, ...(help ? { help } : {}) });
}

/** Shows a value the way a user typed it: strings quoted, numbers plain. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}

/** A finite number >= 0 (or > 0 when `strictlyPositive`), else an E_ARGUMENT error naming the field. */
export function requireNonNegative(op: string, name: string, value: unknown, strictlyPositive = false): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (strictlyPositive ? value > 0 : value >= 0);
  if (!ok) {
    throw argumentError(
      op,
      `${name} to be a finite number ${strictlyPositive ? '> 0' : '>= 0'}`,
      describeValue(value),
      `pass ${name} as a plain number, e.g. 175e9`,
    );
  }
  return value as number;
}
