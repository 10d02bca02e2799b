// Reads the Tang poems of the `chinese-poetry` npm package (全唐詩, `dist/quantangshi/poet.tang.*.json`,
// traditional characters, about 57,600 poems) from the app's node_modules. The files are outside
// bytes: each one's size is checked before it is read, and every poem's fields are type-checked.
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const POETRY_SOURCE = 'chinese-poetry@2.0.1 (npm, MIT): 全唐詩 dist/quantangshi/poet.tang.*.json';
const MAX_FILE_BYTES = 16 * 1024 * 1024; // the largest file is about 1 MB
const FORMS = {
  // Every line two five-character halves: 五言 poems (jueju, lüshi, pailü).
  five: /^[^，。？！\s]{5}，[^，。？！\s]{5}[。？！]$/u,
  // Every line two seven-character halves: 七言 poems.
  seven: /^[^，。？！\s]{7}，[^，。？！\s]{7}[。？！]$/u,
  all: null,
};
/** Forms that also fix the number of lines (a paragraph of the package is two lines). */
const PARAGRAPHS = { quatrain: 2 };
FORMS.quatrain = FORMS.five; // 五言絕句: four five-character lines
export const POEM_FORMS = Object.keys(FORMS);

function poetryError(expected, got, help) {
  return new Error(`chinese-poetry example: read poems: expected ${expected}, got ${got}${help ? `\nhelp: ${help}` : ''}`);
}

/** Folder of the Tang poem files, resolved from this example's node_modules. */
export function tangFolder() {
  let packageJson;
  try {
    packageJson = createRequire(import.meta.url).resolve('chinese-poetry/package.json');
  } catch {
    throw poetryError('the chinese-poetry npm package installed', 'none', 'run `npm ci` at the repo root (it is a devDependency of this example)');
  }
  return join(dirname(packageJson), 'dist', 'quantangshi');
}

/**
 * Poems `{ title, author, lines }` in the package's order (file number, then position), keeping
 * those of `form`: 'quatrain' (五言絕句: two lines of two five-character halves), 'five' (every
 * line two five-character halves), 'seven' (two seven-character halves) or 'all'.
 */
export async function readTangPoems({ form = 'five', folder = tangFolder() } = {}) {
  if (!(form in FORMS)) throw poetryError(`a form in ${POEM_FORMS.join(', ')}`, JSON.stringify(form));
  const pattern = FORMS[form];
  const files = (await readdir(folder))
    .map((name) => ({ name, match: /^poet\.tang\.(\d{1,7})\.json$/.exec(name) }))
    .filter((f) => f.match)
    .sort((a, b) => Number(a.match[1]) - Number(b.match[1]));
  if (files.length === 0) throw poetryError(`poet.tang.*.json files in ${folder}`, 'none', 'reinstall chinese-poetry@2.0.1');
  const poems = [];
  for (const { name } of files) {
    const path = join(folder, name);
    const { size } = await stat(path);
    if (size > MAX_FILE_BYTES) throw poetryError(`${name} of at most ${MAX_FILE_BYTES} bytes`, `${size} bytes`);
    const entries = JSON.parse(await readFile(path, 'utf8'));
    if (!Array.isArray(entries)) throw poetryError(`${name} to hold a JSON array`, typeof entries);
    for (const entry of entries) {
      const lines = entry?.paragraphs;
      if (!Array.isArray(lines) || lines.length === 0 || !lines.every((l) => typeof l === 'string')) continue;
      const trimmed = lines.map((l) => l.trim()).filter((l) => l.length > 0);
      if (trimmed.length === 0 || (pattern && !trimmed.every((l) => pattern.test(l)))) continue;
      if (form in PARAGRAPHS && trimmed.length !== PARAGRAPHS[form]) continue;
      const title = typeof entry.title === 'string' ? entry.title.replace(/\s+/g, ' ').trim() : '';
      const author = typeof entry.author === 'string' ? entry.author.trim() : '';
      poems.push({ title, author, lines: trimmed });
    }
  }
  return poems;
}

/** One poem as training text: `《title》`, its lines, a blank line (the end-of-poem mark). */
export function poemText(poem) {
  return `《${poem.title}》\n${poem.lines.join('\n')}\n\n`;
}
