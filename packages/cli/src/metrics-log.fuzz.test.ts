import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDuration } from './duration';
import { openMetricsLog } from './metrics-log';

const runs = Number(process.env.WATTFORMER_FUZZ_RUNS ?? 200);
const seed = Number(process.env.WATTFORMER_FUZZ_SEED ?? 20261206);
const work = mkdtempSync(join(tmpdir(), 'wattformer-metrics-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// A metrics.jsonl as a crashed run may leave it: good lines, any garbage, a cut-off tail.
const line = fc.oneof(
  fc.record({ step: fc.integer({ min: 0, max: 50 }), loss: fc.double({ noNaN: true, noDefaultInfinity: true }) }).map((r) => JSON.stringify(r)),
  fc.string({ maxLength: 40 }).map((s) => s.replace(/\n/g, ' ')),
  fc.constantFrom('{"step":-1}', '{"step":1.5}', '{"step":"3"}', 'null', '[]', '{"step":1e400}', '{"__proto__":{"step":1}}'),
);
const file = fc
  .tuple(fc.array(line, { maxLength: 30 }), fc.string({ maxLength: 20 }))
  .map(([lines, tail]) => lines.map((l) => `${l}\n`).join('') + tail.replace(/\n/g, ''));

describe('metrics.jsonl on resume, fuzzed (#12)', () => {
  it('keeps exactly the well-formed lines with step ≤ the resume step, in order, and appends on a fresh line', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(file, fc.integer({ min: 1, max: 50 }), async (content, resumeStep) => {
        const path = join(work, `m${n++}.jsonl`);
        writeFileSync(path, content);
        const log = await openMetricsLog(path, resumeStep);
        await log.append({ step: resumeStep + 1, loss: 1 });
        const lines = readFileSync(path, 'utf8').split('\n');
        expect(lines.pop()).toBe('');
        const expected = content
          .split('\n')
          .slice(0, -1)
          .filter((l) => {
            try {
              const step = (JSON.parse(l) as { step?: unknown } | null)?.step;
              return typeof step === 'number' && Number.isInteger(step) && step >= 0 && step <= resumeStep;
            } catch {
              return false;
            }
          });
        expect(lines).toEqual([...expected, JSON.stringify({ step: resumeStep + 1, loss: 1 })]);
      }),
      { numRuns: runs, seed },
    );
  }, 300_000); // long runs: WATTFORMER_FUZZ_RUNS
});

describe('formatDuration, fuzzed', () => {
  it('is within half a unit of the value and never shows a full unit', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e8, noNaN: true }), (seconds) => {
        const text = formatDuration(seconds);
        const m = /^(?:(\d+)d(\d\d)h|(\d+)h(\d\d)m|(\d+)m(\d\d)s|(\d+)s)$/.exec(text);
        expect(m, text).not.toBeNull();
        const [, d, dh, h, hm, mi, ms, s] = m!;
        const [value, unit, small] =
          d !== undefined
            ? [Number(d) * 86400 + Number(dh) * 3600, 3600, Number(dh) < 24]
            : h !== undefined
              ? [Number(h) * 3600 + Number(hm) * 60, 60, Number(hm) < 60]
              : mi !== undefined
                ? [Number(mi) * 60 + Number(ms), 1, Number(ms) < 60]
                : [Number(s), 1, Number(s) < 60];
        expect(small, text).toBe(true);
        expect(Math.abs(value - seconds), text).toBeLessThanOrEqual(unit / 2 + 1e-6);
      }),
      { numRuns: runs * 5, seed },
    );
  }, 300_000);
});
