/**
 * npm run calibrate: leave-one-out evaluation of the calibrated intervals on data/footprints.json.
 * Prints the table and writes bench-results/calibration.json (committed; the README quotes it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { leaveOneOut, renderCalibrationTable } from '../src/calibration/evaluate';
import { fittedMfu, MFU_FEATURES, mfuDeviceOf, type MfuFeatures } from '../src/calibration/fit';
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
console.log(
  `\nFitted on all runs: projection energy ${ends(fit.projection)}, CO2e ${ends(fit.projection.co2e)}, CO2e with intensity ${ends(fit.projection.co2eGivenIntensity)}; accounting energy ${ends(fit.accounting)}, CO2e ${ends(fit.accounting.co2e)}, CO2e with intensity ${ends(fit.accounting.co2eGivenIntensity)}\n`,
);
// The MFU centre as a function: what the fit on all runs gives per hardware, and how the held-out
// figures compare with the simpler functions (one MFU for every run; peak only), printed so the
// choice is visible: it was made after seeing these leave-one-out figures on this same set.
const mfu = fit.projection.mfu;
const hardware = [...new Set(FOOTPRINTS.map((r) => r.hardware))];
const fittedCentres = mfu ? Object.fromEntries(hardware.map((h) => [h, Number(fittedMfu(mfu, mfuDeviceOf(h)).toFixed(3))])) : {};
const runCentres = mfu
  ? Object.fromEntries(
      FOOTPRINTS.map((r) => [r.id, Number(fittedMfu(mfu, { ...mfuDeviceOf(r.hardware), ...(r.params !== null ? { params: r.params } : {}) }).toFixed(3))]),
    )
  : {};
if (mfu)
  console.log(
    `Projection MFU centre (${mfu.features}${mfu.knee !== undefined ? `, knee ln(params per TFLOP/s) ${mfu.knee}` : ''}, fitted on all ${mfu.n} runs; each held-out fit refits it; parameters unknown count as 10B): ${hardware.map((h) => `${h} ${fittedCentres[h]}`).join(', ')}\nPer run: ${Object.entries(
      runCentres,
    )
      .map(([id, m]) => `${id} ${m}`)
      .join(', ')}\n`,
  );
const alternatives = Object.fromEntries(
  (['constant', 'peak', 'family', 'family-size', 'family-params', 'saturating'] as const)
    .filter((f) => f !== MFU_FEATURES)
    .map((f: MfuFeatures) => [f, leaveOneOut(FOOTPRINTS, 'projection', fit.coverage, f).summary]),
);
const used = results[0]!.summary;
const line = (name: string, s: typeof used) =>
  `'${name}' energy ${pct(s.coverage)} at ${fx(s.medianWidth)} (central off ${fx(s.medianErrorFactor)}), CO2e ${pct(s.co2eCoverage)} at ${fx(s.co2eMedianWidth)} (central off ${fx(s.co2eMedianErrorFactor)}), CO2e with intensity ${pct(s.givenIntensityCoverage)} at ${fx(s.givenIntensityMedianWidth)} (central off ${fx(s.givenIntensityMedianErrorFactor)})`;
console.log(
  `Held-out projection by MFU function (each refitted per fold): used ${line(MFU_FEATURES, used)}; ${Object.entries(alternatives)
    .map(([name, s]) => line(name, s))
    .join('; ')}\n`,
);
console.log(
  '| run | mode | published device MWh | held-out interval MWh | in | published t | held-out CO2e interval t (place tables) | in | with --intensity: g/kWh, interval t | in |',
);
console.log('|---|---|---:|---|:-:|---:|---|:-:|---|:-:|');
for (const { runs } of results) {
  for (const r of runs) {
    const m = (kwh: number) => (kwh / 1000).toFixed(1);
    const t = (kg: number) => (kg / 1000).toFixed(1);
    console.log(
      `| ${r.id} | ${r.mode} | ${m(r.publishedKWh)} | ${m(r.lowKWh)}–${m(r.highKWh)} | ${r.covered ? 'yes' : 'no'} | ${t(r.publishedCo2eKg)} | ${t(r.co2eLowKg)}–${t(r.co2eHighKg)} | ${!r.co2eComparable ? 'not scored (net figure)' : r.co2eCovered ? 'yes' : 'no'} | ${r.givenIntensity ? `${r.givenIntensity.intensity}: ${t(r.givenIntensity.co2eLowKg)}–${t(r.givenIntensity.co2eHighKg)}` : 'no intensity reported'} | ${r.givenIntensity ? (r.givenIntensity.covered ? 'yes' : 'no') : ''} |`,
    );
  }
}

mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      command: 'npm run calibrate -w @wattformer/carbon-estimator',
      dataset: 'packages/carbon-estimator/data/footprints.json',
      runs: FOOTPRINTS.length,
      nominalCoverage: fit.coverage,
      fit: { projection: fit.projection, accounting: fit.accounting },
      projectionMfuCentre: { features: MFU_FEATURES, ...(mfu?.knee !== undefined ? { knee: mfu.knee } : {}), byHardware: fittedCentres, byRun: runCentres },
      projectionAlternatives: alternatives,
      summary: results.map((r) => r.summary),
      perRun: results.flatMap((r) => r.runs),
    },
    null,
    1,
  )}\n`,
);
console.log(`\nwrote ${out}`);
