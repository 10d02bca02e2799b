/**
 * JSON from outside bytes (safetensors headers, `config.json`, `model.safetensors.index.json`,
 * `adapter_config.json`, `trainer-state.json`), read with bounds: a size limit checked before
 * decoding, nesting depth limited, and duplicate keys refused (JSON.parse keeps the last one
 * silently, so a file could say two things about one tensor). One linear pre-scan over the text
 * does both checks; JSON.parse then builds the value. Every failure is the package's error.
 */
import { modelError } from './errors';

/** Limits `parseBoundedJson` enforces before parsing: the longest text and the deepest nesting. */
export interface BoundedJsonLimits {
  /** Longest text accepted, in UTF-16 code units (≈ bytes for the ASCII these files hold). */
  readonly maxLength: number;
  /** Deepest nesting of arrays and objects accepted. */
  readonly maxDepth: number;
}

/** Limits for config-sized files (config.json, adapter_config.json, index and state files). */
export const CONFIG_JSON_LIMITS: BoundedJsonLimits = { maxLength: 16 * 2 ** 20, maxDepth: 64 };

/**
 * Parses `text` as JSON after checking its length, depth and keys. `op` and `what` name the
 * caller and the file in the error, e.g. `('loadGptCheckpoint', 'config.json')`.
 */
export function parseBoundedJson(text: string, op: string, what: string, limits: BoundedJsonLimits = CONFIG_JSON_LIMITS): unknown {
  if (typeof text !== 'string') throw modelError(op, `${what} as text`, typeof text);
  if (text.length > limits.maxLength) {
    throw modelError(
      op,
      `${what} of at most ${limits.maxLength} characters`,
      `${text.length}`,
      `${what} is far larger than any real one; is it the right file?`,
    );
  }
  scanJson(text, op, what, limits.maxDepth);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw modelError(op, `${what} to be JSON`, (error as Error).message);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * One pass over the text: depth of `[`/`{` outside strings, and the keys of each open object.
 * It does not validate the grammar (JSON.parse does that next); on malformed text it may report
 * a duplicate or a depth that JSON.parse would have reported otherwise, which is still an error.
 */
function scanJson(text: string, op: string, what: string, maxDepth: number): void {
  // For each open container: null for an array, the keys seen so far for an object.
  const stack: (Set<string> | null)[] = [];
  // In an object, the next string is a key right after `{` or `,`.
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let j = i + 1;
      let escaped = false;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (d === BACKSLASH) {
          escaped = true;
          j++;
        } else if (d === QUOTE) break;
      }
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        const raw = text.slice(i + 1, j);
        let key = raw;
        if (escaped) {
          try {
            key = JSON.parse(text.slice(i, j + 1)) as string;
          } catch {
            // malformed string: JSON.parse of the whole text reports it
          }
        }
        if (top.has(key)) {
          throw modelError(
            op,
            `${what} with each key once per object`,
            `'${key.length > 80 ? `${key.slice(0, 80)}…` : key}' twice`,
            'a repeated key would silently keep only its last value; is the file corrupted or crafted?',
          );
        }
        top.add(key);
      }
      expectKey = false;
      i = j;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= maxDepth) {
        throw modelError(
          op,
          `${what} nested at most ${maxDepth} levels deep`,
          `more than ${maxDepth} levels`,
          'no real file of this kind nests this deep; is it the right file?',
        );
      }
      stack.push(c === 0x7b ? new Set() : null);
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
}

/**
 * A short description of a parsed JSON value for an error message: JSON, but at most 3 levels
 * and about 120 characters deep into the value (so a deep or huge value can neither overflow the
 * stack nor flood the message); deeper parts read `…`.
 */
export function describeJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = preview(value, 3, { left: 120 });
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

function preview(value: unknown, depth: number, budget: { left: number }): string {
  if (budget.left <= 0) return '…';
  let text: string;
  if (Array.isArray(value)) {
    if (depth === 0) text = value.length === 0 ? '[]' : '[…]';
    else {
      const parts: string[] = [];
      for (const item of value) {
        if (budget.left <= 0) {
          parts.push('…');
          break;
        }
        parts.push(preview(item, depth - 1, budget));
      }
      text = `[${parts.join(',')}]`;
    }
  } else if (value !== null && typeof value === 'object') {
    if (depth === 0) text = '{…}';
    else {
      const parts: string[] = [];
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        if (budget.left <= 0) {
          parts.push('…');
          break;
        }
        parts.push(`${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}:${preview((value as Record<string, unknown>)[key], depth - 1, budget)}`);
      }
      text = `{${parts.join(',')}}`;
    }
  } else if (typeof value === 'string') text = JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  else if (typeof value === 'number' || typeof value === 'boolean' || value === null) text = String(value);
  else text = typeof value;
  budget.left -= text.length;
  return text;
}
