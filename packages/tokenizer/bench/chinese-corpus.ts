import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Chinese text from the `chinese-poetry` npm package (root devDependency): Tang poems
 * (quantangshi, traditional characters), one line per poem line, poems separated by a blank
 * line, in file order, until `bytes` UTF-8 bytes.
 */
export function chinesePoetry(bytes: number): string {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('chinese-poetry/package.json')), 'dist', 'quantangshi');
  const files = readdirSync(dir)
    .filter((f) => /^poet\.tang\.\d+\.json$/.test(f))
    .sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]));
  const parts: string[] = [];
  let size = 0;
  for (const file of files) {
    const poems = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Array<{ paragraphs: string[] }>;
    for (const poem of poems) {
      const text = `${poem.paragraphs.join('\n')}\n\n`;
      parts.push(text);
      size += Buffer.byteLength(text);
      if (size >= bytes)
        return Buffer.from(parts.join(''))
          .subarray(0, bytes)
          .toString('utf8')
          .replace(/\ufffd+$/, '');
    }
  }
  return parts.join('');
}
