import { describe, expect, it } from 'vitest';
import { TokenizerError, unknownChoiceError } from './errors';

describe('TokenizerError', () => {
  it('has the wattformer message shape and a stable code', () => {
    const e = new TokenizerError('E_ARGUMENT', { op: 'trainBpe', expected: 'x', got: 'y', help: 'z' });
    expect(e.message).toBe('tokenizer: trainBpe: expected x, got y\nhelp: z');
    expect([e.code, e.name, e.packageName, e.op]).toEqual(['E_ARGUMENT', 'TokenizerError', 'tokenizer', 'trainBpe']);
    expect(e).toBeInstanceOf(Error);
  });

  it('lists valid choices', () => {
    expect(unknownChoiceError('op', 'kind', 'c', ['a', 'b']).message).toBe("tokenizer: op: expected kind to be one of 'a', 'b', got 'c'");
  });
});
