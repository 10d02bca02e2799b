/**
 * CodeCarbon compatibility, checked by CodeCarbon itself: the tracker's emissions.csv is read by
 * CodeCarbon 3.3.2's own EmissionsData schema and FileOutput writer (pinned in the venv that
 * scripts/setup.sh builds at .tmp/codecarbon-venv). In CI a missing venv is a failure, not a skip.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEmissionsCsv } from './tracker/codecarbon-csv';
import { appendEmissionsCsv, NodeTracker } from './tracker/node-tracker';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const python = join(root, '.tmp', 'codecarbon-venv', 'bin', 'python');
const script = fileURLToPath(new URL('../test/codecarbon/check_emissions_csv.py', import.meta.url));
const present = existsSync(python);
const inCi = Boolean(process.env.CI);

interface CheckResult {
  codecarbon: string;
  results: Array<{
    file: string;
    rows: number;
    expected_columns: number;
    missing: string[];
    extra: string[];
    ok: boolean;
    has_valid_headers?: boolean;
    rows_after_codecarbon_append?: number;
  }>;
}

describe('CodeCarbon reads our emissions.csv (Python, codecarbon from PyPI)', () => {
  it.runIf(present || inCi)('every column CodeCarbon expects is there; CodeCarbon appends to our file without backing it up', { timeout: 60_000 }, async () => {
    if (!present) throw new Error(`CodeCarbon venv missing at ${python}: run bash scripts/setup.sh (it installs codecarbon==3.3.2 there)`);
    const dir = await mkdtemp(join(tmpdir(), 'wattformer-codecarbon-'));
    try {
      const tracker = new NodeTracker({
        projectName: 'compat',
        region: 'FR',
        sysfsRoot: join(dir, 'no-sysfs'),
        nvidiaSmi: { command: join(dir, 'no-nvidia-smi') },
        samplingIntervalMs: 50,
      });
      await tracker.start();
      const run = await tracker.stop();
      const exact = join(dir, 'exact', 'emissions.csv');
      const extras = join(dir, 'extras', 'emissions.csv');
      await appendEmissionsCsv(exact, [run.record], false);
      await appendEmissionsCsv(extras, [run.record, run.record], true);
      const output = await new Promise<string>((resolve, reject) => {
        execFile(python, [script, exact, extras], { encoding: 'utf8', timeout: 50_000 }, (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
        );
      });
      const result = JSON.parse(output) as CheckResult;
      expect(result.codecarbon).toBe('3.3.2');
      const [exactResult, extrasResult] = result.results;
      expect(exactResult).toMatchObject({ rows: 1, missing: [], extra: [], has_valid_headers: true, rows_after_codecarbon_append: 2, ok: true });
      expect(exactResult?.expected_columns).toBe(38);
      expect(extrasResult).toMatchObject({ rows: 2, missing: [], ok: true });
      expect(extrasResult?.extra).toEqual(['cpu_energy_basis', 'gpu_energy_basis', 'ram_energy_basis', 'emissions_low', 'emissions_high']);
      // And we append after CodeCarbon's row, in the file's column order.
      await appendEmissionsCsv(exact, [run.record], true);
      const rows = parseEmissionsCsv(await readFile(exact, 'utf8'));
      expect(rows.map((r) => r.run_id)).toEqual([run.record.run_id, 'codecarbon-appended', run.record.run_id]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(present || inCi)('skipped here: no CodeCarbon venv (run bash scripts/setup.sh); in CI this fails instead', () => {});
});
