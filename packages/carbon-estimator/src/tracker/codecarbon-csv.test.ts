import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CarbonEstimatorError } from '../errors';
import { exact } from '../interval';
import { CODECARBON_COLUMNS, EXTRA_COLUMNS, parseEmissionsCsv, toEmissionsCsv } from './codecarbon-csv';
import { buildMeasurement } from './measurement';
import { appendEmissionsCsv } from './node-tracker';

const record = buildMeasurement({
  title: 't',
  projectName: 'p,"q"',
  runId: 'r1',
  startedAt: new Date(0),
  durationSeconds: 10,
  cpu: { energyKWh: exact(0.001), basis: 'modelled', method: 'm' },
  ram: { energyKWh: exact(0.0001), basis: 'modelled', method: 'm', totalGb: 16 },
  intensity: 100,
  pue: 1,
  environment: { os: 'linux', runtime: 'node', cpuCount: 4 },
  trackingMode: 'process',
  toolVersion: 'x 0.0.0',
}).record;

let work = '';
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'wattformer-csv-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('parseEmissionsCsv: outside bytes get clear errors', () => {
  it('round-trips our rows, quotes included', () => {
    const [row] = parseEmissionsCsv(toEmissionsCsv([record]));
    expect(row?.project_name).toBe('p,"q"');
    expect(Object.keys(row ?? {})).toEqual([...CODECARBON_COLUMNS, ...EXTRA_COLUMNS]);
  });

  it.each([
    ['a,b\n"1,2\n', /every quoted cell closed, got a quote opened on line 2/],
    ['a,b\n1,2,3\n', /at most 2 cells per row \(the header's\), got 3 in data row 1/],
    ['a,a\n1,2\n', /unique column names in the header, got 'a' twice/],
    [`${Array.from({ length: 300 }, (_, i) => `c${i}`).join(',')}\n`, /at most 256 header columns/],
  ])('%j', (text, message) => {
    expect(() => parseEmissionsCsv(text)).toThrow(CarbonEstimatorError);
    expect(() => parseEmissionsCsv(text)).toThrow(message);
  });

  it('checks the size before reading, and a __proto__ column is just a column', () => {
    expect(() => parseEmissionsCsv('x'.repeat(101), { maxChars: 100 })).toThrow(/at most 100 characters, got 101/);
    const [row] = parseEmissionsCsv('__proto__,b\n1,2\n');
    // biome-ignore lint/suspicious/noProto: reads the CSV column literally named __proto__ (prototype-pollution test)
    expect(row?.['__proto__']).toBe('1');
    expect(Object.getPrototypeOf(row)).toBeNull();
  });
});

describe('appendEmissionsCsv into an existing file', () => {
  it("appends in the file's column order, leaves our extras out of a CodeCarbon-only file, and closes a cut-short line", async () => {
    const path = join(work, 'codecarbon-only.csv');
    const reversed = [...CODECARBON_COLUMNS].reverse();
    // A CodeCarbon file (columns in another order) whose last row was cut short by a crash.
    await writeFile(path, `${reversed.join(',')}\n${reversed.map(() => '0').join(',')}`);
    await appendEmissionsCsv(path, [record]);
    const rows = parseEmissionsCsv(await readFile(path, 'utf8'));
    expect(rows).toHaveLength(2);
    expect(rows[1]?.run_id).toBe('r1');
    expect(rows[1]?.project_name).toBe('p,"q"');
    expect(Object.keys(rows[1] ?? {})).toEqual(reversed);
  });

  it("keeps an older file's columns (no gpu_utilization_percent), with empty cells for columns it does not know", async () => {
    const path = join(work, 'older.csv');
    const older = [...CODECARBON_COLUMNS.filter((c) => c !== 'gpu_utilization_percent'), 'some_future_column'];
    await writeFile(path, `${older.join(',')}\n`);
    await appendEmissionsCsv(path, [record]);
    const [row] = parseEmissionsCsv(await readFile(path, 'utf8'));
    expect(Object.keys(row ?? {})).toEqual(older);
    expect(row?.run_id).toBe('r1');
    expect(row?.some_future_column).toBe('');
  });

  it('refuses a file that is not an emissions.csv instead of writing misaligned rows', async () => {
    const path = join(work, 'other.csv');
    await writeFile(path, 'name,value\nx,1\n');
    await expect(appendEmissionsCsv(path, [record])).rejects.toThrow(
      /expected .* to be an emissions.csv \(with timestamp, .*\), got a header without timestamp, project_name, run_id/,
    );
    expect(await readFile(path, 'utf8')).toBe('name,value\nx,1\n');
  });

  it('refuses a file whose first 64 KiB hold no header line', async () => {
    const path = join(work, 'binary.csv');
    await writeFile(path, Buffer.alloc(70_000, 0x41));
    await expect(appendEmissionsCsv(path, [record])).rejects.toThrow(/a header line within the first 65536 bytes/);
  });
});
