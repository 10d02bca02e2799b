import { describe, expect, it } from 'vitest';
import { WattformerError, unknownChoiceError } from './errors';

describe('WattformerError', () => {
  it('formats `<package>: <op>: expected <x>, got <y>` with a help line', () => {
    const error = new WattformerError('E_SHAPE', {
      packageName: 'core',
      op: 'matmul',
      expected: 'rank 2',
      got: 'rank 4',
      help: 'reshape first',
    });
    expect(error.message).toBe('core: matmul: expected rank 2, got rank 4\nhelp: reshape first');
    expect(error.code).toBe('E_SHAPE');
    expect(error).toBeInstanceOf(Error);
  });

  it('lists the valid choices of an unknown choice', () => {
    const error = unknownChoiceError('core', 'setBackend', 'backend', 'tpu', ['cpu', 'wasm']);
    expect(error.message).toBe("core: setBackend: expected backend to be one of 'cpu', 'wasm', got 'tpu'");
    expect(error.code).toBe('E_UNKNOWN_CHOICE');
  });
});
