/**
 * npm run calibrate: leave-one-out evaluation of the calibrated intervals on data/footprints.json.
 * Prints the table and writes bench-results/calibration.json (committed; the README quotes it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { leaveOneOut, renderCalibrationTable } from '../src/calibration/evaluate';
import { FOOTPRINTS } from '../src/calibration/footprints';
import { defaultCalibration } from '../src/projection';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const out = join(root, 'bench-results', 'calibration.json');
const pct = (x: number) => `${Math.round(x * 100)}%`;
const fx = (x: number) => `${x.toFixed(2)}x`;

const results = (['projection', 'accounting'] as const).map((mode) => leaveOneOut(FOOTPRINTS, mode));
const fit = defaultCalibration();

console.log(`Leave-one-out calibration on ${FOOTPRINTS.length} published training runs (data/footprints.json), nominal coverage ${pct(fit.coverage)}\n`);
console.log(renderCalibrationTable(results.map((r) => r.summary)));
const ends = (f: { low: number; high: number; n: number }) => `${fx(f.low)}-${fx(f.high)} (n=${f.n})`;
console.log(`\nFitted on all runs: projection energy ${ends(fit.projection)}, CO2e ${ends(fit.projection.co2e)}; accounting energy ${ends(fit.accounting)}, CO2e ${ends(fit.accounting.co2e)}\n`);
console.log('| run | mode | published device MWh | held-out interval MWh | in | published t | held-out CO2e interval t | in |');
console.log('|---|---|---:|---|:-:|---:|---|:-:|');
for (const { runs } of results) {
  for (const r of runs) {
    const m = (kwh: number) => (kwh / 1000).toFixed(1);
    const t = (kg: number) => (kg / 1000).toFixed(1);
    console.log(`| ${r.id} | ${r.mode} | ${m(r.publishedKWh)} | ${m(r.lowKWh)}–${m(r.highKWh)} | ${r.covered ? 'yes' : 'no'} | ${t(r.publishedCo2eKg)} | ${t(r.co2eLowKg)}–${t(r.co2eHighKg)} | ${!r.co2eComparable ? 'not scored (net figure)' : r.co2eCovered ? 'yes' : 'no'} |`);
  }
}

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({
  command: 'npm run calibrate -w @wattformer/carbon-estimator',
  dataset: 'packages/carbon-estimator/data/footprints.json',
  runs: FOOTPRINTS.length,
  nominalCoverage: fit.coverage,
  fit: { projection: fit.projection, accounting: fit.accounting },
  summary: results.map((r) => r.summary),
  perRun: results.flatMap((r) => r.runs),
}, null, 1)}\n`);
console.log(`\nwrote ${out}`);
