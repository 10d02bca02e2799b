import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { limitCharacters, resolveDataSource, type DataSource, type TextPiece } from './data-source';

const dir = mkdtempSync(join(tmpdir(), 'wattformer-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(source: DataSource): Promise<TextPiece[]> {
  const pieces: TextPiece[] = [];
  for await (const piece of source.pieces()) pieces.push(piece);
  return pieces;
}

describe('--data sources', () => {
  it('stream a large file in pieces of about 1 MiB cut where a line starts, CRLF as LF, BOM dropped, nothing lost', async () => {
    // 3.5 MB of lines with runs of blank lines and indentation (cuts never split a whitespace run).
    const line = (i: number) => `${i % 7 === 0 ? '\r\n\r\n' : ''}${i % 5 === 0 ? '  ' : ''}line ${i}: 春眠不覺曉 — résumé 😀\r\n`;
    const text = Array.from({ length: 80_000 }, (_, i) => line(i)).join('');
    writeFileSync(join(dir, 'big.txt'), `\uFEFF${text}`);
    const pieces = await collect(await resolveDataSource(join(dir, 'big.txt')));
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces.slice(0, -1)) {
      expect(piece.text.length).toBeLessThanOrEqual(2 << 20);
      expect(piece.endOfDocument).toBe(false);
      expect(piece.text.endsWith('\n')).toBe(true);
      expect(piece.text).not.toMatch(/\r/);
    }
    expect(pieces.at(-1)!.endOfDocument).toBe(true);
    expect(pieces.map((p) => p.text).join('')).toBe(text.replace(/\r\n/g, '\n'));
    // Each piece after the first starts a line with a non-space character.
    for (const piece of pieces.slice(1)) expect(piece.text[0]).toMatch(/\S/);
  });

  it('cut a file of one long line too, so no piece grows past ~2 MiB', async () => {
    const text = Array.from({ length: 600_000 }, (_, i) => `w${i % 97}`).join(' ') + '😀'.repeat(1_500_000);
    writeFileSync(join(dir, 'one-line.txt'), text);
    const pieces = await collect(await resolveDataSource(join(dir, 'one-line.txt')));
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) expect(piece.text.length).toBeLessThanOrEqual(2 << 20);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    for (const piece of pieces) expect(piece.text).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/); // no surrogate pair split
  });

  it('walk a folder recursively in sorted order (.txt, .md, .jsonl), one document per file or JSON line', async () => {
    mkdirSync(join(dir, 'corpus/b'), { recursive: true });
    mkdirSync(join(dir, 'corpus/.hidden'), { recursive: true });
    writeFileSync(join(dir, 'corpus/b/z.md'), '# z');
    writeFileSync(join(dir, 'corpus/a.txt'), 'a');
    writeFileSync(join(dir, 'corpus/c.jsonl'), '{"text":"c1"}\n\n{"text":"c2\\r\\nx"}\n');
    writeFileSync(join(dir, 'corpus/.hidden/h.txt'), 'hidden');
    writeFileSync(join(dir, 'corpus/skip.csv'), 'x,y');
    const source = await resolveDataSource(join(dir, 'corpus'));
    expect(source.description).toMatch(/corpus \(3 files, /);
    expect(await collect(source)).toEqual([
      { text: 'a', endOfDocument: true },
      { text: '# z', endOfDocument: true },
      { text: 'c1', endOfDocument: true },
      { text: 'c2\nx', endOfDocument: true },
    ]);
    const limited = await collect(limitCharacters(source, 3));
    expect(limited).toEqual([
      { text: 'a', endOfDocument: true },
      { text: '# ', endOfDocument: true },
    ]);
  });

  it('refuse what is not text, clearly', async () => {
    writeFileSync(join(dir, 'bad.jsonl'), '{"text":"ok"}\n{"text": 3}\n');
    await expect(collect(await resolveDataSource(join(dir, 'bad.jsonl')))).rejects.toThrow(
      /^cli: --data: expected a string "text" field on every line of .*bad.jsonl, got line 2 with text\nhelp: name the field with --text-field/,
    );
    writeFileSync(join(dir, 'broken.jsonl'), '{"text":\n');
    await expect(collect(await resolveDataSource(join(dir, 'broken.jsonl')))).rejects.toThrow(
      /expected one JSON object per line in .*broken.jsonl, got unparsable JSON at line 1/,
    );
    await expect(resolveDataSource('no-such-corpus')).rejects.toThrow(
      /^cli: --data: expected a text file, a folder of .txt\/.md\/.jsonl files, or one of shakespeare, chinese-poetry, imdb, got 'no-such-corpus' \(no such file or folder\)/,
    );
  });
});
