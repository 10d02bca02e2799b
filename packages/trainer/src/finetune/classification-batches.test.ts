import { describe, expect, it } from 'vitest';
import { ClassificationBatches, encodeExamples, padBatch } from './classification-batches';

const byChar = (text: string) => [...text].map((c) => c.charCodeAt(0));

describe('classification batches', () => {
  it('truncates long texts to their first or last maxLength tokens', () => {
    const examples = [
      { text: 'abcdef', label: 1 },
      { text: 'xy', label: 0 },
    ];
    const start = encodeExamples(examples, byChar, { maxLength: 4 });
    expect([...start[0]!.tokens]).toEqual(byChar('abcd'));
    expect([...start[1]!.tokens]).toEqual(byChar('xy'));
    expect([...encodeExamples(examples, byChar, { maxLength: 4, truncation: 'end' })[0]!.tokens]).toEqual(byChar('cdef'));
  });

  it('right-pads to the longest row with a 1/0 key mask and the labels as targets', () => {
    const batch = padBatch(
      [
        { tokens: Int32Array.from([5, 6, 7]), label: 1 },
        { tokens: Int32Array.from([8]), label: 0 },
      ],
      0,
    );
    expect(batch.length).toBe(3);
    expect([...batch.tokens]).toEqual([5, 6, 7, 8, 0, 0]);
    expect([...batch.keyMask]).toEqual([1, 1, 1, 1, 0, 0]);
    expect([...batch.targets]).toEqual([1, 0]);
  });

  it('each epoch visits every example once in a seeded order; state() and restore() resume the stream', () => {
    const examples = Array.from({ length: 10 }, (_, i) => ({ tokens: Int32Array.from([i + 1]), label: i % 2 }));
    const batches = new ClassificationBatches(examples, { batchSize: 3, seed: 5 });
    const epoch = [batches.next(), batches.next(), batches.next()].flatMap((b) => [...b.tokens]);
    expect(new Set(epoch).size).toBe(9); // 3 full batches; the 10th example waits for a later epoch
    expect(batches.epochs).toBeCloseTo(0.9);
    const saved = batches.state();
    const after = [batches.next(), batches.next()].map((b) => [...b.tokens]);
    expect(batches.epochs).toBeCloseTo(1.6);
    const resumed = new ClassificationBatches(examples, { batchSize: 3, seed: 5 });
    resumed.restore(saved);
    expect([resumed.next(), resumed.next()].map((b) => [...b.tokens])).toEqual(after);
    const other = new ClassificationBatches(examples, { batchSize: 3, seed: 6 });
    expect([...other.next().tokens, ...other.next().tokens, ...other.next().tokens]).not.toEqual(epoch);
  });

  it('refuses a bad maxLength, truncation, batch size, an empty text and too few examples', () => {
    expect(() => encodeExamples([{ text: 'a', label: 0 }], byChar, { maxLength: 0 })).toThrow(
      /trainer: encodeExamples: expected maxLength to be a positive integer, got 0/,
    );
    expect(() => encodeExamples([{ text: 'a', label: 0 }], byChar, { maxLength: 2, truncation: 'middle' as 'start' })).toThrow(
      /truncation among start, end, got 'middle'/,
    );
    expect(() => encodeExamples([{ text: '', label: 0 }], byChar, { maxLength: 2 })).toThrow(/example 0 to have at least one token/);
    const one = [{ tokens: Int32Array.from([1]), label: 0 }];
    expect(() => new ClassificationBatches(one, { batchSize: 0, seed: 1 })).toThrow(/batchSize to be a positive integer, got 0/);
    expect(() => new ClassificationBatches(one, { batchSize: 2, seed: 1 })).toThrow(/at least batchSize = 2 examples, got 1/);
  });
});
