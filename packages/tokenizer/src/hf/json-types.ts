import { TokenizerError, unknownChoiceError } from '../errors';

/** Loose shape of one `tokenizer.json` component; each stage validates its own fields. */
export type JsonObject = Record<string, unknown>;

export function malformed(path: string, expected: string, got: unknown): TokenizerError {
  return new TokenizerError('E_MALFORMED_TOKENIZER_JSON', {
    op: 'Tokenizer.fromJSON',
    expected: `${path} to be ${expected}`,
    got: describe(got),
    help: 'pass a tokenizer.json written by Hugging Face tokenizers or by Tokenizer.toJSON()',
  });
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

export function asObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(path, 'an object', value);
  return value as JsonObject;
}

export function asString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw malformed(path, 'a string', value);
  return value;
}

export function asBoolean(value: unknown, path: string, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw malformed(path, 'a boolean', value);
  return value;
}

export function asInteger(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw malformed(path, 'a non-negative integer', value);
  return value;
}

export function asArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw malformed(path, 'an array', value);
  return value;
}

/** A field of a parsed JSON object, own properties only (never `__proto__`, `constructor`...). */
export function field(json: JsonObject, key: string): unknown {
  return Object.hasOwn(json, key) ? json[key] : undefined;
}

/** Deepest nesting of `Sequence` stages a tokenizer.json may have (real files use 1 or 2). */
export const MAX_STAGE_DEPTH = 16;

/** Dispatches on the `type` field to one builder per variant (own keys only; nesting bounded). */
export function buildByType<T>(
  value: unknown,
  path: string,
  builders: Readonly<Record<string, (json: JsonObject, path: string, depth: number) => T>>,
  depth = 0,
): T {
  if (depth > MAX_STAGE_DEPTH) {
    throw new TokenizerError('E_MALFORMED_TOKENIZER_JSON', {
      op: 'Tokenizer.fromJSON',
      expected: `${path} to be nested at most ${MAX_STAGE_DEPTH} Sequence stages deep`,
      got: `a deeper nesting`,
      help: 'flatten nested Sequence stages into one Sequence',
    });
  }
  const json = asObject(value, path);
  const type = asString(field(json, 'type'), `${path}.type`);
  const build = Object.hasOwn(builders, type) ? builders[type] : undefined;
  if (!build) {
    throw unknownChoiceError(
      'Tokenizer.fromJSON',
      `${path}.type`,
      type,
      Object.keys(builders),
      'this loader supports the byte-level BPE and BERT WordPiece families',
    );
  }
  return build(json, path, depth);
}
