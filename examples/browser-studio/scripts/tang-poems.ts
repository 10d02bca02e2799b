/**
 * The studio's built-in Chinese text, made at build time (vite.config.ts serves it as the module
 * `virtual:tang-poems`): the first 2,000 five-character quatrains (五言絕句) of the Tang poems
 * in the `chinese-poetry` npm package (全唐詩, `dist/quantangshi/poet.tang.*.json`, MIT), each
 * as `《title》`, two lines of two five-character halves, a blank line. About 210 KB as JSON,
 * so the repository holds no copy and the page needs no network.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface TangPoemsCorpus {
  readonly source: string;
  readonly poems: number;
  readonly text: string;
}

export const TANG_POEMS_SOURCE = 'chinese-poetry@2.0.1 (npm, MIT): 全唐詩, the first 2,000 five-character quatrains';
const QUATRAINS = 2000;
const MAX_FILE_BYTES = 16 * 1024 * 1024;
const HALF_LINES = /^[^，。？！\s]{5}，[^，。？！\s]{5}[。？！]$/u;

function fail(expected: string, got: string, help?: string): Error {
  return new Error(`browser-studio: tang-poems: expected ${expected}, got ${got}${help ? `\nhelp: ${help}` : ''}`);
}

export function tangPoemsCorpus(): TangPoemsCorpus {
  let folder: string;
  try {
    folder = join(dirname(createRequire(import.meta.url).resolve('chinese-poetry/package.json')), 'dist', 'quantangshi');
  } catch {
    throw fail('the chinese-poetry npm package installed', 'none', 'run `npm ci` at the repo root');
  }
  const files = readdirSync(folder)
    .map((name) => ({ name, number: /^poet\.tang\.(\d{1,7})\.json$/.exec(name)?.[1] }))
    .filter((file): file is { name: string; number: string } => file.number !== undefined)
    .sort((a, b) => Number(a.number) - Number(b.number));
  const poems: string[] = [];
  for (const { name } of files) {
    const path = join(folder, name);
    const size = statSync(path).size;
    if (size > MAX_FILE_BYTES) throw fail(`${name} of at most ${MAX_FILE_BYTES} bytes`, `${size} bytes`);
    const entries: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!Array.isArray(entries)) throw fail(`${name} to hold a JSON array`, typeof entries);
    for (const entry of entries as { title?: unknown; paragraphs?: unknown }[]) {
      const lines = entry?.paragraphs;
      if (!Array.isArray(lines) || lines.length !== 2 || !lines.every((line) => typeof line === 'string' && HALF_LINES.test(line.trim()))) continue;
      const title = typeof entry.title === 'string' ? entry.title.replace(/\s+/g, ' ').trim() : '';
      poems.push(`《${title}》\n${(lines as string[]).map((line) => line.trim()).join('\n')}\n\n`);
      if (poems.length === QUATRAINS) return { source: TANG_POEMS_SOURCE, poems: poems.length, text: poems.join('') };
    }
  }
  throw fail(`${QUATRAINS} five-character quatrains`, String(poems.length), 'reinstall chinese-poetry@2.0.1');
}
