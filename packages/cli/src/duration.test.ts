import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration';

describe('formatDuration (#13 item 6: the ETA read `1m60s`)', () => {
  it.each([
    [0, '0s'],
    [0.4, '0s'],
    [59.4, '59s'],
    [59.6, '1m00s'],
    [60, '1m00s'],
    [61, '1m01s'],
    [119.4, '1m59s'],
    [119.5, '2m00s'],
    [3570, '59m30s'],
    [3599.4, '59m59s'],
    [3599.6, '1h00m'],
    [3629, '1h00m'],
    [3631, '1h01m'],
    [7170, '2h00m'], // 119.5 minutes
    [86_369, '23h59m'],
    [86_399, '1d00h'],
    [90_000, '1d01h'],
    [3 * 86_400 + 4 * 3600 + 1799, '3d04h'],
    [3 * 86_400 + 23.5 * 3600, '4d00h'],
  ])('%s s → %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });

  it('never shows 60 of a unit, for any value up to 10 days', () => {
    const wrong: string[] = [];
    for (let s = 0; s < 10 * 86_400; s += s < 4000 ? 0.1 : 7.3) if (/(^|\D)(60[ms]|24h)/.test(formatDuration(s))) wrong.push(`${s}: ${formatDuration(s)}`);
    expect(wrong).toEqual([]);
  });

  it('gives `-` for what is not a duration', () => {
    expect([Number.NaN, Infinity, -1].map(formatDuration)).toEqual(['-', '-', '-']);
  });
});
