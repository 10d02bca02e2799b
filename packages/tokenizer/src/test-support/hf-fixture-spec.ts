import { MIXED_SCRIPT_LINES, gutenbergBook } from './corpus';

/**
 * What the HF round-trip fixtures were built from. `scripts/write-trained-fixture.ts` trains
 * with exactly these settings; the test retrains and checks it gets the committed file back.
 */
export const TRAINED_FIXTURE_OPTIONS = {
  vocabSize: 1000,
  minFrequency: 2,
  specialTokens: ['<|endoftext|>', '<|pad|>'],
  pattern: 'cl100k',
} as const;

export function trainedFixtureCorpus(): string {
  return gutenbergBook('carroll-alice');
}

/** Texts HF encodes in scripts/make-hf-fixtures.py; ours must give the same ids. */
export function hfSampleTexts(): string[] {
  const hamlet = gutenbergBook('shakespeare-hamlet');
  const alice = gutenbergBook('carroll-alice');
  return [
    '',
    'Hello world',
    ' leading space and trailing  ',
    "Alice's sister said: \"I'm sure you'll see, we've READ it all.\"",
    'Numbers: 1, 12, 123, 1234567 and 3.14159.',
    'tabs\tand\nnew\r\nlines\n\n\n  indented',
    'end of text<|endoftext|>next document<|pad|><|pad|>',
    ...MIXED_SCRIPT_LINES,
    hamlet.slice(5000, 7000),
    alice.slice(20000, 23000),
  ];
}
