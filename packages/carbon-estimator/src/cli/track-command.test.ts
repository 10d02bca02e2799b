import { describe, expect, it } from 'vitest';
import { parseShellTimes } from './track-command';

describe('parseShellTimes', () => {
  it('reads the children line of dash and bash `times` output', () => {
    expect(parseShellTimes('0m0.004000s 0m0.000000s\n0m1.250000s 0m0.500000s\n')).toBeCloseTo(1.75, 9);
    expect(parseShellTimes('0m0.001s 0m0.002s\n1m2.500s 0m0.250s\n')).toBeCloseTo(62.75, 9);
  });

  it('returns undefined when the output is missing or cut short', () => {
    expect(parseShellTimes('')).toBeUndefined();
    expect(parseShellTimes('0m0.001s 0m0.002s\n')).toBeUndefined();
  });
});
