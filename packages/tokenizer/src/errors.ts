/**
 * The tokenizer's one error class. It mirrors the wattformer message shape without depending on
 * `@wattformer/core`: `tokenizer: <op>: expected <x>, got <y>` and, when the fix is known,
 * a second line `help: <fix>`. Match on `code`, never on the message.
 */
export type TokenizerErrorCode =
  | 'E_ARGUMENT'
  | 'E_UNKNOWN_CHOICE'
  | 'E_MALFORMED_RANKS'
  | 'E_MALFORMED_TOKENIZER_JSON'
  | 'E_TOKEN_ID_OUT_OF_RANGE'
  | 'E_DISALLOWED_SPECIAL'
  | 'E_UNKNOWN_CHARACTER'
  | 'E_UNSUPPORTED';

export interface TokenizerErrorDetails {
  readonly op: string;
  readonly expected: string;
  readonly got: string;
  readonly help?: string;
}

/**
 * The error the tokenizer package throws: a `code`, and a `tokenizer: <op>: expected …, got …` message with a `help:` line.
 */
export class TokenizerError extends Error {
  readonly code: TokenizerErrorCode;
  readonly packageName = 'tokenizer';
  readonly op: string;
  readonly expected: string;
  readonly got: string;
  readonly help: string | undefined;

  constructor(code: TokenizerErrorCode, details: TokenizerErrorDetails) {
    super(formatTokenizerMessage(details));
    this.name = 'TokenizerError';
    this.code = code;
    this.op = details.op;
    this.expected = details.expected;
    this.got = details.got;
    this.help = details.help;
  }
}

export function formatTokenizerMessage(details: TokenizerErrorDetails): string {
  const head = `tokenizer: ${details.op}: expected ${details.expected}, got ${details.got}`;
  return details.help ? `${head}\nhelp: ${details.help}` : head;
}

/** A choice outside a fixed set; the message lists every valid choice. */
export function unknownChoiceError(op: string, what: string, got: string, valid: readonly string[], help?: string): TokenizerError {
  return new TokenizerError('E_UNKNOWN_CHOICE', {
    op,
    expected: `${what} to be one of ${valid.map((v) => `'${v}'`).join(', ')}`,
    got: `'${got}'`,
    ...(help ? { help } : {}),
  });
}

/** Short, printable preview of user input for error messages. */
export function preview(value: unknown, max = 40): string {
  if (typeof value !== 'string') return value === null ? 'null' : typeof value;
  const json = JSON.stringify(value);
  return json.length > max ? `${json.slice(0, max)}…" (${value.length} chars)` : json;
}
