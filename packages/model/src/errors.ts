import { WattformerError, type ErrorCode } from '@wattformer/core';

/** `model: <op>: expected <x>, got <y>` (+ `help:`), as every wattformer package words its errors. */
export function modelError(op: string, expected: string, got: string, help?: string, code: ErrorCode = 'E_ARGUMENT'): WattformerError {
  return new WattformerError(code, { packageName: 'model', op, expected, got, ...(help === undefined ? {} : { help }) });
}
