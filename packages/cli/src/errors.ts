import { WattformerError, type ErrorCode } from '@wattformer/core';

/** `cli: <op>: expected <x>, got <y>` (+ `help:`), with core's stable codes. */
export function cliError(code: ErrorCode, op: string, expected: string, got: string, help?: string): WattformerError {
  return new WattformerError(code, { packageName: 'cli', op, expected, got, ...(help ? { help } : {}) });
}
