import { WattformerError, type ErrorCode } from '@wattformer/core';

export function backendError(code: ErrorCode, op: string, expected: string, got: string, help?: string): WattformerError {
  return new WattformerError(code, { packageName: 'backend-wasm', op, expected, got, ...(help ? { help } : {}) });
}
