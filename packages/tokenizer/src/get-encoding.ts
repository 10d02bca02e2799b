import { Encoding } from './encoding';
import type { EncodingSpec } from './encodings/encoding-spec';
import { unknownChoiceError } from './errors';

/**
 * Built-in encodings load lazily through the package's own subpath entries, so an app that
 * uses cl100k_base never loads o200k_base's 3.6 MB of ranks. Static specifiers keep bundlers
 * able to see (and split) each one.
 */
const LOADERS: Readonly<Record<string, () => Promise<{ default: EncodingSpec }>>> = {
  r50k_base: () => import('@wattformer/tokenizer/encodings/r50k_base'),
  gpt2: () => import('@wattformer/tokenizer/encodings/r50k_base'),
  p50k_base: () => import('@wattformer/tokenizer/encodings/p50k_base'),
  p50k_edit: () => import('@wattformer/tokenizer/encodings/p50k_edit'),
  cl100k_base: () => import('@wattformer/tokenizer/encodings/cl100k_base'),
  o200k_base: () => import('@wattformer/tokenizer/encodings/o200k_base'),
};

/** Names of the built-in tiktoken encodings (`gpt2` is an alias of `r50k_base`). */
export type EncodingName = 'r50k_base' | 'gpt2' | 'p50k_base' | 'p50k_edit' | 'cl100k_base' | 'o200k_base';
/** The built-in encoding names, in the order `getEncoding` lists them. */
export const ENCODING_NAMES = Object.keys(LOADERS) as readonly EncodingName[];

const cache = new Map<string, Promise<Encoding>>();

/** A tiktoken encoding by name; the same instance is returned on later calls. */
export function getEncoding(name: EncodingName): Promise<Encoding> {
  const load = Object.hasOwn(LOADERS, name) ? LOADERS[name] : undefined;
  if (!load) {
    return Promise.reject(
      unknownChoiceError(
        'getEncoding',
        'encoding name',
        String(name),
        ENCODING_NAMES,
        'for your own rank file use loadTiktoken(text, { pattern, specialTokens })',
      ),
    );
  }
  let pending = cache.get(name);
  if (!pending) {
    pending = load().then((module) => new Encoding(module.default));
    pending.catch(() => cache.delete(name));
    cache.set(name, pending);
  }
  return pending;
}

/** Builds an encoding from a spec object (e.g. a subpath entry imported directly). */
export function createEncoding(spec: EncodingSpec): Encoding {
  return new Encoding(spec);
}

/** Options of `loadTiktoken`: the pattern the rank file was made with, its special tokens and a name. */
export interface LoadTiktokenOptions {
  readonly name?: string;
  /** Built-in pattern name ('gpt2' | 'cl100k' | 'o200k') or a regex source in tiktoken syntax. */
  readonly pattern: string;
  readonly specialTokens?: Readonly<Record<string, number>>;
}

/** An encoding from any `.tiktoken` rank file (text or bytes). */
export function loadTiktoken(ranks: string | Uint8Array, options: LoadTiktokenOptions): Encoding {
  return new Encoding({ name: options.name ?? 'custom', pattern: options.pattern, specialTokens: options.specialTokens ?? {}, ranks });
}
