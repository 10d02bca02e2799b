import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openMetricsLog } from './metrics-log';

const work = mkdtempSync(join(tmpdir(), 'wattformer-metrics-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const steps = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { step: number }).step);

describe('metrics.jsonl on resume (#12 run folders: "metrics.jsonl repeats the steps after the last checkpoint; a truncated last line is appended to")', () => {
  it('#12: truncates back to the resumed step, so a kill between checkpoints repeats no step', async () => {
    const path = join(work, 'between.jsonl');
    // Steps 1..7 logged, checkpoint at 6, then killed: the resumed run redoes step 7.
    writeFileSync(path, [1, 2, 3, 4, 5, 6, 7].map((step) => `{"step":${step},"loss":${10 - step}}\n`).join('') + '{"step":6,"valLoss":3}\n');
    const log = await openMetricsLog(path, 6);
    expect(log.dropped).toBe(1);
    await log.append({ step: 7, loss: 2.5 });
    expect(steps(path)).toEqual([1, 2, 3, 4, 5, 6, 6, 7]);
    expect(readFileSync(path, 'utf8')).toMatch(/\{"step":7,"loss":2.5\}\n$/);
  });

  it('#12: drops a truncated last line (kill or disk full mid-write) instead of appending to it', async () => {
    const path = join(work, 'partial.jsonl');
    writeFileSync(path, '{"step":1,"loss":3}\n{"step":2,"loss":2.9}\n{"step":3,"lo');
    const log = await openMetricsLog(path, 2);
    await log.append({ step: 3, loss: 2.8 });
    expect(readFileSync(path, 'utf8')).toBe('{"step":1,"loss":3}\n{"step":2,"loss":2.9}\n{"step":3,"loss":2.8}\n');
    expect(log.dropped).toBe(1);
  });

  it('drops unreadable lines, keeps a clean file as it is, starts a new run empty, and creates a missing file', async () => {
    const path = join(work, 'garbage.jsonl');
    writeFileSync(path, '{"step":1}\nnot json\n{"no":"step"}\n{"step":2}\n');
    expect((await openMetricsLog(path, 5)).dropped).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe('{"step":1}\n{"step":2}\n');
    expect((await openMetricsLog(path, 5)).dropped).toBe(0);
    await openMetricsLog(path, 0);
    expect(readFileSync(path, 'utf8')).toBe('');
    const missing = join(work, 'missing.jsonl');
    await (await openMetricsLog(missing, 3)).append({ step: 4 });
    expect(steps(missing)).toEqual([4]);
  });
});
