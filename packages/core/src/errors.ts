/**
 * One error class for every wattformer package. The message always reads
 * `<package>: <op>: expected <x>, got <y>` and, when the fix is known, a second
 * line `help: <fix>`. `code` is stable: match on it, not on the message.
 */
export type ErrorCode =
  | 'E_SHAPE'
  | 'E_DTYPE'
  | 'E_ARGUMENT'
  | 'E_OUT_OF_MEMORY'
  | 'E_NOT_INITIALIZED'
  | 'E_UNKNOWN_CHOICE'
  | 'E_UNSUPPORTED'
  /** A loss or gradient became NaN or infinite (training stops; parameters are left as they were). */
  | 'E_NON_FINITE';

/** The parts of a `WattformerError` message. */
export interface WattformerErrorDetails {
  /** Package short name without scope, e.g. `backend-wasm`. */
  readonly packageName: string;
  /** The operation that refused its input, e.g. `matmul`. */
  readonly op: string;
  readonly expected: string;
  readonly got: string;
  readonly help?: string;
}

/** Marks errors of every copy of core in the process (ESM and CJS builds). */
const ERROR_BRAND = Symbol.for('wattformer.core.error');

/**
 * The error every wattformer package throws for bad input or state: a `code` to branch on, and the op, expectation and actual value that make up its message.
 */
export class WattformerError extends Error {
  /**
   * `e instanceof WattformerError` holds for errors thrown by any copy of `@wattformer/core` in
   * the process (a backend imported as ESM throws through the ESM copy while the app required
   * the CJS one). Subclasses keep the ordinary prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== WattformerError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ERROR_BRAND] === true;
  }

  readonly code: ErrorCode;
  readonly packageName: string;
  readonly op: string;
  readonly expected: string;
  readonly got: string;
  readonly help: string | undefined;

  constructor(code: ErrorCode, details: WattformerErrorDetails) {
    super(formatErrorMessage(details));
    this.name = 'WattformerError';
    this.code = code;
    this.packageName = details.packageName;
    this.op = details.op;
    this.expected = details.expected;
    this.got = details.got;
    this.help = details.help;
  }
}

Object.defineProperty(WattformerError.prototype, ERROR_BRAND, { value: true });

/**
 * The one-line-plus-help message every wattformer error uses: `<package>: <op>: expected <x>, got <y>` then `help: <fix>`.
 */
export function formatErrorMessage(details: WattformerErrorDetails): string {
  const head = `${details.packageName}: ${details.op}: expected ${details.expected}, got ${details.got}`;
  return details.help ? `${head}\nhelp: ${details.help}` : head;
}

/** Error for a choice outside a fixed set; the valid choices are listed in the message. */
export function unknownChoiceError(packageName: string, op: string, what: string, got: string, valid: readonly string[]): WattformerError {
  return new WattformerError('E_UNKNOWN_CHOICE', {
    packageName,
    op,
    expected: `${what} to be one of ${valid.map((v) => `'${v}'`).join(', ')}`,
    got: `'${got}'`,
  });
}
