import { WattformerError, type ErrorCode } from '@wattformer/core';

/** `trainer: <op>: expected <x>, got <y>` (+ `help:`), with core's stable codes. */
export function trainerError(code: ErrorCode, op: string, expected: string, got: string, help?: string): WattformerError {
  return new WattformerError(code, { packageName: 'trainer', op, expected, got, ...(help ? { help } : {}) });
}
