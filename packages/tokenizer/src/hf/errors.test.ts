import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TokenizerError } from '../errors';
import { Tokenizer } from './tokenizer';

// biome-ignore lint/suspicious/noExplicitAny: the test edits arbitrary fields of a tokenizer.json to make it hostile
const trained = JSON.parse(readFileSync(new URL('../__fixtures__/trained-bpe.tokenizer.json', import.meta.url), 'utf8')) as Record<string, any>;

function errorOf(json: unknown): TokenizerError {
  try {
    Tokenizer.fromJSON(typeof json === 'string' ? json : JSON.stringify(json));
  } catch (e) {
    return e as TokenizerError;
  }
  throw new Error('loaded without error');
}

describe('malformed tokenizer.json', () => {
  it('not JSON', () => {
    const e = errorOf('{"model": ');
    expect(e.code).toBe('E_MALFORMED_TOKENIZER_JSON');
    expect(e.message).toMatch(/^tokenizer: Tokenizer.fromJSON: expected tokenizer.json to be valid JSON, got a parse error/);
  });

  it('unknown model type lists the supported ones', () => {
    const e = errorOf({ ...trained, model: { type: 'Unigram' } });
    expect(e.code).toBe('E_UNKNOWN_CHOICE');
    expect(e.message).toContain("expected model.type to be one of 'BPE', 'WordPiece', got 'Unigram'");
  });

  it('a merge whose tokens are not in the vocab', () => {
    const e = errorOf({ ...trained, model: { ...trained['model'], merges: [['Ġ', 'zzz']] } });
    expect(e.message).toContain('expected model.merges[0] to join two vocab tokens into a vocab token, got ["Ġ","zzz"]');
  });

  it('wrong field types name the path', () => {
    expect(errorOf({ ...trained, added_tokens: [{ id: -1, content: 'x' }] }).message).toContain(
      'expected added_tokens[0].id to be a non-negative integer, got number -1',
    );
    expect(errorOf({ ...trained, pre_tokenizer: { type: 'Split', pattern: {}, behavior: 'Isolated' } }).message).toContain('pre_tokenizer.pattern');
  });

  it('decode rejects ids outside the vocabulary', () => {
    const tokenizer = Tokenizer.fromJSON(trained);
    expect(() => tokenizer.decode([5, 1000])).toThrow(/expected ids in this tokenizer's vocabulary \(0\.\.999\), got 1000 at index 1/);
  });
});
