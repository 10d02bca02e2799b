/**
 * Calibration against published footprints (data/footprints.json).
 * (1) From each paper's reported inputs the estimator reproduces the published figure within 5%.
 * (2) Held out: each run's interval is fitted on the other runs (leave-one-out); the coverage and
 *     width are those of the committed bench-results/calibration.json (npm run calibrate).
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { leaveOneOut, renderCalibrationTable, type LooRun, type LooSummary } from './calibration/evaluate';
import { co2eResidual, conformalEnds, fitCalibration, fittedMfu, mfuDeviceOf, residual } from './calibration/fit';
import { co2eComparable, FOOTPRINTS, planningInput, publishedCo2eScope, type Footprint } from './calibration/footprints';
import { centralEnergy, defaultCalibration, estimateTraining, estimateWithCalibration } from './projection';
import type { CliIo } from './cli/io';
import { runCli } from './cli/program';

const within5 = (computed: number, published: number) => Math.abs(computed / published - 1);
const T = 1000; // kg per tonne

describe('calibration: reported inputs reproduce published footprints within 5%', () => {
  it('GPT-3: 10,000 V100 x 14.8 d, 330 W measured, PUE 1.1, 429 g -> 552.1 t (Patterson 2021)', () => {
    const r = estimateTraining({
      params: 175e9,
      tokens: 300e9,
      hardware: 'v100',
      devices: 10_000,
      hours: 14.8 * 24,
      powerWatts: 330,
      pue: 1.1,
      intensity: 429,
    });
    expect(within5(r.figures.co2eKg.value, 552.1 * T)).toBeLessThan(0.05);
    expect(within5(r.figures.energyKWh.value, 1287e3)).toBeLessThan(0.05);
  });

  it('BLOOM: 1,082,990 A100-h at 400 W, no PUE, 57 g -> 24.7 t dynamic; + idle 256.6 MWh + embodied -> 50.5 t (Luccioni 2022)', () => {
    const r = estimateTraining({
      params: 176e9,
      tokens: 366e9,
      hardware: 'a100-80gb',
      devices: 384,
      deviceHours: 1_082_990,
      powerWatts: 400,
      pue: 1,
      intensity: 57,
      idleEnergyKWh: 256_600,
      embodiedKgPerDevice: 3700 / 8,
      serviceLifeYears: 6,
      lifetimeUtilisation: 0.85,
    });
    expect(within5(r.figures.dynamicCo2eKg.value, 24.7 * T)).toBeLessThan(0.05);
    expect(within5(r.figures.embodiedCo2eKg.value, 11.2 * T)).toBeLessThan(0.05);
    expect(within5(r.figures.totalCo2eKg.value, 50.5 * T)).toBeLessThan(0.05);
  });

  it('T5: 512 TPU v3 x 20 d, 310 W measured, PUE 1.12, 545 g -> 46.7 t (Patterson 2021)', () => {
    const r = estimateTraining({ params: 11e9, tokens: 1e12, hardware: 'tpu-v3', devices: 512, hours: 20 * 24, powerWatts: 310, pue: 1.12, intensity: 545 });
    expect(within5(r.figures.co2eKg.value, 46.7 * T)).toBeLessThan(0.05);
  });

  it('Llama 2 70B: 1,720,320 A100-h at 400 W, PUE 1.1, 385 g -> 291.42 t (Touvron 2023)', () => {
    const r = estimateTraining({ params: 69e9, tokens: 2e12, hardware: 'a100-80gb', deviceHours: 1_720_320, powerWatts: 400, pue: 1.1, intensity: 385 });
    expect(within5(r.figures.co2eKg.value, 291.42 * T)).toBeLessThan(0.05);
  });

  it('OLMo 2 7B: 131 MWh measured GPU energy, PUE 1.2, 332 g -> 52 t (Morrison 2025)', () => {
    const r = estimateTraining({ params: 7.3e9, tokens: 4.05e12, hardware: 'h100', energyKWh: 131_000, pue: 1.2, intensity: 332 });
    expect(within5(r.figures.co2eKg.value, 52 * T)).toBeLessThan(0.05);
  });
});

describe("calibration: leave-one-out (each run's interval fitted without that run)", () => {
  it('projection mode: the held-out fit never contains the run it is tested on, and coverage matches the committed table', async () => {
    const { summary, runs } = leaveOneOut(FOOTPRINTS, 'projection');
    expect(runs).toHaveLength(FOOTPRINTS.length);
    expect(FOOTPRINTS.length).toBeGreaterThanOrEqual(15);
    for (const run of runs.slice(0, 3)) {
      const fit = fitCalibration(
        FOOTPRINTS.filter((r) => r.id !== run.id),
        centralEnergy,
      );
      expect(fit.runs).not.toContain(run.id);
      expect(run.lowKWh).toBeCloseTo(run.centralKWh * fit.projection.low, 6);
    }
    const committed = JSON.parse(await readFile(new URL('../../../bench-results/calibration.json', import.meta.url), 'utf8')) as { summary: LooSummary[] };
    expect(committed.summary.find((s) => s.mode === 'projection')).toEqual(summary);
    // What the README states: held-out coverage >= the nominal 80% for device energy and for CO2e
    // from the place tables (location-based published figures only); the widths are reported, not
    // asserted (the <= 3x target is not met on this set: see the README).
    expect(summary.coverage).toBeGreaterThanOrEqual(0.8);
    expect(summary.co2eCoverage).toBeGreaterThanOrEqual(0.8);
    // CO2e with the reported intensity given (and PUE not): its own conformal fit, held out.
    expect(summary.givenIntensityCoverage).toBeGreaterThanOrEqual(0.8);
    expect(summary.givenIntensityMethod).toBe('two-tailed');
    expect(summary.method).toBe('two-tailed');
    expect(summary.guaranteed).toBeGreaterThanOrEqual(0.8);
    expect(summary.co2eRuns).toBe(FOOTPRINTS.filter(co2eComparable).length);
    // With the reported intensity and PUE given only device energy is estimated: each run's CO2e
    // interval is its held-out device-energy interval times exact factors (same width).
    expect(summary.givenSiteRuns).toBeGreaterThanOrEqual(15);
    expect(summary.givenSiteCoverage).toBeGreaterThanOrEqual(0.8);
    for (const run of runs.filter((r) => r.givenSite !== null)) {
      const site = run.givenSite as NonNullable<LooRun['givenSite']>;
      expect(site.co2eHighKg / site.co2eLowKg).toBeCloseTo(run.highKWh / run.lowKWh, 9);
    }
  });

  it('projection: the MFU centre is refitted in every fold, so a held-out run shapes neither its central value nor its ends', () => {
    const { runs } = leaveOneOut(FOOTPRINTS, 'projection');
    for (const id of ['llama-3.1-8b', 'gpt-3', 'bloom-176b']) {
      const row = FOOTPRINTS.find((r) => r.id === id) as Footprint;
      const others = FOOTPRINTS.filter((r) => r.id !== id);
      const fold = fitCalibration(others, centralEnergy);
      const model = fold.projection.mfu;
      expect(model?.n).toBe(others.length);
      // Held-out central = unfitted reference central x reference MFU / the fold's fitted MFU.
      const reference = centralEnergy(planningInput(row)).devicesKWh;
      const run = runs.find((r) => r.id === id);
      expect(run?.centralKWh).toBeCloseTo(
        (reference * 0.35) / fittedMfu(model as NonNullable<typeof model>, { ...mfuDeviceOf(row.hardware), params: row.params as number }),
        6,
      );
      // The fold's model differs from the one fitted with the run (it was not used).
      expect(model?.weights).not.toEqual(fitCalibration(FOOTPRINTS, centralEnergy).projection.mfu?.weights);
    }
  });

  it("projection 'constant' MFU: the fitted centre is the reference times exp(-mean log residual), ends from jackknife residuals", () => {
    const fit = fitCalibration(FOOTPRINTS, centralEnergy, 0.8, 'constant');
    const rs = FOOTPRINTS.map((r) => residual(r, 'projection', centralEnergy) as number);
    const mean = rs.reduce((a, b) => a + b, 0) / rs.length;
    expect(fittedMfu(fit.projection.mfu as NonNullable<typeof fit.projection.mfu>, { peakFlops: 1e15, tpu: false })).toBeCloseTo(0.35 * Math.exp(-mean), 12);
    // Jackknife residual of run i: r_i - mean of the others.
    const jack = rs.map((r, i) => r - (rs.reduce((a, b) => a + b, 0) - rs[i]!) / (rs.length - 1)).sort((a, b) => a - b);
    const ends = conformalEnds(jack, 0.8);
    expect(fit.projection.low).toBeCloseTo(Math.min(1, Math.exp(ends.low)), 12);
    expect(fit.projection.high).toBeCloseTo(Math.max(1, Math.exp(ends.high)), 12);
  });

  it('CO2e residuals leave out net (market-based) figures and compare BLOOM on its dynamic-only scope', () => {
    const palm = FOOTPRINTS.find((r) => r.id === 'palm-540b');
    const bloom = FOOTPRINTS.find((r) => r.id === 'bloom-176b');
    expect(palm && co2eComparable(palm)).toBe(false);
    expect(palm && co2eResidual(palm, 'projection', centralEnergy)).toBeUndefined();
    expect(bloom && publishedCo2eScope(bloom)).toBe('dynamic');
    const c = centralEnergy(planningInput(bloom as Footprint));
    expect(co2eResidual(bloom as Footprint, 'projection', centralEnergy)).toBeCloseTo(Math.log(24_700 / c.dynamicCo2eKg), 12);
  });

  it('conformal ends are finite-sample: two-tailed with enough runs, |residual| quantile with few, and say what they guarantee', () => {
    const xs = Array.from({ length: 24 }, (_, i) => i - 12).sort((a, b) => a - b);
    // n = 24, c = 0.8: k1 = floor(25 x 0.1) = 2, k2 = ceil(25 x 0.9) = 23 -> covers (23 - 2)/25 = 84%.
    expect(conformalEnds(xs, 0.8)).toEqual({ low: -11, high: 10, method: 'two-tailed', guaranteed: 21 / 25 });
    // n = 6: k1 = 0 (no lower order statistic): symmetric |r|, k = ceil(7 x 0.8) = 6 -> max |r|, covers 6/7.
    expect(conformalEnds([-0.3, -0.1, 0, 0.05, 0.2, 0.25], 0.8)).toEqual({ low: -0.3, high: 0.3, method: 'absolute', guaranteed: 6 / 7 });
    // n = 3: ceil(4 x 0.8) = 4 > 3: the range of |r| can only promise 3/4 < 80%.
    expect(conformalEnds([-0.2, 0.1, 0.4], 0.8)).toEqual({ low: -0.4, high: 0.4, method: 'range', guaranteed: 3 / 4 });
    // Monte Carlo check of the guarantee: 4000 draws of 7 exchangeable residuals, fit on 6, test the 7th.
    let seed = 20261206;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let hits = 0;
    for (let t = 0; t < 4000; t++) {
      const draw = Array.from({ length: 7 }, () => Math.log(rand() + 1e-9) - Math.log(rand() + 1e-9));
      const ends = conformalEnds(
        draw.slice(0, 6).sort((a, b) => a - b),
        0.8,
      );
      if ((draw[6] as number) >= ends.low && (draw[6] as number) <= ends.high) hits++;
    }
    expect(hits / 4000).toBeGreaterThan(0.8);
  });

  it('accounting mode (runs with measured power only): held-out coverage and width as committed', async () => {
    const { summary } = leaveOneOut(FOOTPRINTS, 'accounting');
    const committed = JSON.parse(await readFile(new URL('../../../bench-results/calibration.json', import.meta.url), 'utf8')) as { summary: LooSummary[] };
    expect(committed.summary.find((s) => s.mode === 'accounting')).toEqual(summary);
    expect(summary.runs).toBeGreaterThanOrEqual(7);
    // With 6 runs per held-out fit, two-tailed ends cannot reach 80% (k1 = 0); the |residual|
    // quantile (6th of 6) guarantees 6/7 for energy; CO2e has 5 location-based runs per fit: 5/6.
    expect(summary.method).toBe('absolute');
    expect(summary.guaranteed).toBeCloseTo(6 / 7, 12);
    expect(summary.coverage).toBeGreaterThanOrEqual(0.8);
  });

  it('CO2e with the reported intensity given: each run is its held-out estimate with --intensity, scored only where the source states an intensity', async () => {
    const { summary, runs } = leaveOneOut(FOOTPRINTS, 'projection');
    const withIntensity = FOOTPRINTS.filter((r) => co2eComparable(r) && r.intensity !== null);
    expect(summary.givenIntensityRuns).toBe(withIntensity.length);
    // Meta's Llama 3.x cards state no intensity: not scored here (they are in the place-table row).
    for (const id of ['llama-3-8b', 'llama-3.2-1b']) expect(runs.find((r) => r.id === id)?.givenIntensity).toBeNull();
    expect(runs.find((r) => r.id === 'palm-540b')?.givenIntensity).toBeNull();
    for (const id of ['gshard-600b', 'bloom-176b', 'olmo-2-7b']) {
      const row = FOOTPRINTS.find((r) => r.id === id) as Footprint;
      const fold = fitCalibration(
        FOOTPRINTS.filter((r) => r.id !== id),
        centralEnergy,
      );
      const report = estimateWithCalibration({ ...planningInput(row), intensity: row.intensity as number }, fold);
      const f = publishedCo2eScope(row) === 'dynamic' ? report.figures.dynamicCo2eKg : report.figures.co2eKg;
      const run = runs.find((r) => r.id === id)?.givenIntensity;
      expect(run?.intensity).toBe(row.intensity);
      expect(run?.co2eLowKg).toBeCloseTo(f.low, 6);
      expect(run?.co2eHighKg).toBeCloseTo(f.high, 6);
      // Facility figures: the fold's own conformal spread of the given-intensity residual, fitted on
      // the facility-scope runs only. Device-only figures (BLOOM): no PUE in them, so the fold's
      // device-energy spread times the exact intensity.
      const spread = publishedCo2eScope(row) === 'dynamic' ? fold.projection : fold.projection.co2eGivenIntensity;
      expect(run?.co2eLowKg).toBeCloseTo(f.value * spread.low, 6);
      expect(run?.co2eHighKg).toBeCloseTo(f.value * spread.high, 6);
      expect(fold.projection.co2eGivenIntensity.n).toBe(withIntensity.filter((w) => w.id !== id && publishedCo2eScope(w) === 'facility').length);
      expect(report.interval?.description).toMatch(/each estimated with its reported grid intensity given/);
    }
    const share = runs.filter((r) => r.givenIntensity?.covered).length / withIntensity.length;
    expect(summary.givenIntensityCoverage).toBeCloseTo(share, 12);
  });

  it('the CLI gives the same CO2e interval as the calibration row: estimate --region US --intensity 429 (GPT-3, full fit)', async () => {
    let stdout = '';
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => undefined, cwd: process.cwd() };
    const code = await runCli(
      [
        'estimate',
        '--params',
        '175e9',
        '--flops',
        '3.14e23',
        '--hardware',
        'v100-sxm2',
        '--devices',
        '10000',
        '--region',
        'US',
        '--intensity',
        '429',
        '--json',
      ],
      io,
    );
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { co2eKg: number; co2eKgLow: number; co2eKgHigh: number; intervalMethod: string };
    const gpt3 = FOOTPRINTS.find((r) => r.id === 'gpt-3') as Footprint;
    const lib = estimateWithCalibration({ ...planningInput(gpt3), intensity: 429 }, defaultCalibration()).figures.co2eKg;
    expect(json.intervalMethod).toBe('calibrated');
    expect(json.co2eKg).toBeCloseTo(lib.value, 6);
    expect(json.co2eKgLow).toBeCloseTo(lib.low, 6);
    expect(json.co2eKgHigh).toBeCloseTo(lib.high, 6);
  });

  it('the README calibration table is the one npm run calibrate prints', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const table = renderCalibrationTable((['projection', 'accounting'] as const).map((mode) => leaveOneOut(FOOTPRINTS, mode).summary));
    expect(readme).toContain(table);
  });

  it('a calibrated projection is narrower than the uncalibrated input ranges and says what it means', () => {
    const input = { params: 7e9, tokens: 2e12, hardware: 'h100', devices: 256, region: 'FR' };
    const calibrated = estimateTraining(input);
    const ranges = estimateWithCalibration(input, null);
    const width = (f: { low: number; high: number }) => f.high / f.low;
    expect(width(calibrated.figures.dynamicEnergyKWh)).toBeLessThan(width(ranges.figures.dynamicEnergyKWh));
    expect(calibrated.interval?.method).toBe('calibrated');
    expect(calibrated.interval?.coverage).toBe(0.8);
    expect(ranges.interval?.method).toBe('input-ranges');
  });

  it('the footprint rows are internally consistent: energy x the intensity the source used = its CO2e (within 2%, or within the rounding of the printed CO2e)', () => {
    // Half a unit of the last digit the source printed: Morrison 2025 Table 2 prints whole tonnes (1 t for 0.8 t computed).
    const halfUlp = (x: number) => 0.5 * 10 ** -(String(x).split('.')[1]?.length ?? 0);
    for (const row of FOOTPRINTS) {
      if (row.intensity === null || row.energyScope !== 'facility') continue;
      const computed = (row.energyMWh * row.intensity) / 1000;
      const ok = Math.abs(computed / row.co2eT - 1) < 0.02 || Math.abs(computed - row.co2eT) <= halfUlp(row.co2eT) + 1e-9;
      expect(ok, `${row.id}: ${computed.toFixed(3)} t computed vs ${row.co2eT} t published`).toBe(true);
    }
  });

  it('rows whose source states no intensity (Meta Llama 3.x cards): CO2e / energy, the intensity the card implies, agrees within 2% across the rows of one card', () => {
    const bySource = new Map<string, number[]>();
    for (const row of FOOTPRINTS) {
      if (row.intensity !== null) continue;
      bySource.set(row.url, [...(bySource.get(row.url) ?? []), (row.co2eT * 1000) / (row.energyMWh * 1000)]);
    }
    expect(bySource.size).toBeGreaterThanOrEqual(3);
    for (const [url, implied] of bySource) {
      expect(implied.length, url).toBeGreaterThanOrEqual(2);
      expect(Math.max(...implied) / Math.min(...implied), url).toBeLessThan(1.02);
    }
  });

  it('footprints.json names the runs of the cited sources it leaves out, with the reason', async () => {
    const raw = JSON.parse(await readFile(new URL('../data/footprints.json', import.meta.url), 'utf8')) as {
      leftOut: Array<{ runs: string; source: string; why: string }>;
    };
    expect(raw.leftOut.map((x) => x.runs)).toEqual(expect.arrayContaining(['Gemma (2B, 7B)', 'Gemma 2 (2B, 9B, 27B)', 'Llama 3.3 70B']));
    for (const x of raw.leftOut) expect(x.why.length, x.runs).toBeGreaterThan(40);
    for (const id of ['llama-2-34b', 'llama-3.2-1b', 'llama-3.2-3b', 'llama-3.1-405b', 'llama-3-70b']) expect(FOOTPRINTS.map((r) => r.id)).toContain(id);
  });

  it('every footprint row says where its figures were read (table or section) or that the source could not be reached', () => {
    for (const row of FOOTPRINTS) {
      expect(row.url, row.id).toMatch(/^https:\/\//);
      expect(row.checked, row.id).toMatch(/^2026-12-06: /);
      expect(row.checked, row.id).toMatch(/Table|§|Appendix|table|card|NOT re-confirmed/);
      expect(row.source, row.id).toMatch(/Table|§|Section|card/);
    }
  });

  it("projection 'family-size' MFU: on H100 the fitted centre rises with model size, unknown size counts as 10B", () => {
    const fit = fitCalibration(FOOTPRINTS, centralEnergy, 0.8, 'family-size');
    const model = fit.projection.mfu as NonNullable<typeof fit.projection.mfu>;
    expect(model.weights).toHaveLength(5);
    const h100 = mfuDeviceOf('h100');
    expect(fittedMfu(model, { ...h100, params: 405e9 })).toBeGreaterThan(fittedMfu(model, { ...h100, params: 8e9 }));
    expect(fittedMfu(model, h100)).toBeCloseTo(fittedMfu(model, { ...h100, params: 1e10 }), 12);
    // The estimator passes the input's parameters through to the centre.
    const small = estimateWithCalibration({ params: 1e9, tokens: 1e12, hardware: 'h100', region: 'US' }, fit);
    const mfu = small.assumptions.find((a) => a.name === 'whole-run MFU');
    expect(mfu?.value).toBeCloseTo(fittedMfu(model, { ...h100, params: 1e9 }), 12);
  });

  it("projection 'family' MFU: a TPU and a GPU with the same peak get centres that differ by the fitted TPU offset, and the held-out TPU central uses it", () => {
    const fit = fitCalibration(FOOTPRINTS, centralEnergy, 0.8, 'family');
    const model = fit.projection.mfu as NonNullable<typeof fit.projection.mfu>;
    expect(model.features).toBe('family');
    expect(model.weights).toHaveLength(3);
    const gpu = fittedMfu(model, { peakFlops: 123e12, tpu: false });
    const tpu = fittedMfu(model, { peakFlops: 123e12, tpu: true });
    expect(tpu / gpu).toBeCloseTo(Math.exp(-(model.weights[2] as number)), 12);
    expect(mfuDeviceOf('tpu-v3')).toEqual({ peakFlops: 123e12, tpu: true });
    expect(mfuDeviceOf('a100-80gb')).toEqual({ peakFlops: 312e12, tpu: false });
    // The estimator uses the same centre as the fit for a TPU projection (held-in here).
    const r = estimateWithCalibration({ flops: 1e22, hardware: 'tpu-v3', region: 'US' }, fit);
    const mfu = r.assumptions.find((a) => a.name === 'whole-run MFU');
    expect(mfu?.value).toBeCloseTo(fittedMfu(model, mfuDeviceOf('tpu-v3')), 12);
  });

  it("projection 'saturating' MFU (the default): falls with parameters per TFLOP/s below the fitted knee, flat above it, TPU offset, used by estimate()", () => {
    const fit = defaultCalibration();
    const model = fit.projection.mfu as NonNullable<typeof fit.projection.mfu>;
    expect(model.features).toBe('saturating');
    expect(model.weights).toHaveLength(3);
    const knee = model.knee as number;
    expect(knee).toBeGreaterThanOrEqual(5);
    expect(knee).toBeLessThanOrEqual(25);
    // Positive slope: fewer parameters per TFLOP/s, lower MFU (the fit finds it; it is not imposed).
    expect(model.weights[2]).toBeGreaterThan(0);
    const h100 = mfuDeviceOf('h100');
    const at = (params: number) => fittedMfu(model, { ...h100, params });
    expect(at(20e6)).toBeLessThan(at(1e9));
    expect(at(1e9)).toBeLessThan(at(70e9));
    // Far above the knee the centre saturates: 10x more parameters changes it by under 1%.
    const big = Math.exp(knee + 8) * (h100.peakFlops / 1e12);
    expect(Math.abs(at(big * 10) / at(big) - 1)).toBeLessThan(0.01);
    // Parameters per TFLOP/s, not parameters alone: the same model on a slower chip sits closer to the plateau.
    expect(fittedMfu(model, { ...mfuDeviceOf('a100-80gb'), params: 1e9 })).toBeGreaterThan(at(1e9));
    // TPU family offset on the plateau level.
    const gpu = fittedMfu(model, { peakFlops: 123e12, tpu: false, params: 1e9 });
    const tpu = fittedMfu(model, { peakFlops: 123e12, tpu: true, params: 1e9 });
    expect(tpu / gpu).toBeCloseTo(Math.exp(-(model.weights[1] as number)), 12);
    // estimate() uses the model's size when given, 10B when only FLOPs are.
    const mfuOf = (r: ReturnType<typeof estimateTraining>) => r.assumptions.find((a) => a.name === 'whole-run MFU')?.value;
    expect(mfuOf(estimateTraining({ params: 1e9, tokens: 2e10, hardware: 'h100', region: 'US' }))).toBeCloseTo(at(1e9), 12);
    expect(mfuOf(estimateTraining({ flops: 1.2e20, hardware: 'h100', region: 'US' }))).toBeCloseTo(at(1e10), 12);
  });

  it("projection 'saturating': every fold refits the knee (on the 0.25 grid 5-25) and the weights on its own runs", () => {
    const all = fitCalibration(FOOTPRINTS, centralEnergy, 0.8, 'saturating').projection.mfu;
    const knees = FOOTPRINTS.map(
      (r) =>
        fitCalibration(
          FOOTPRINTS.filter((q) => q.id !== r.id),
          centralEnergy,
          0.8,
          'saturating',
        ).projection.mfu?.knee as number,
    );
    for (const k of [all?.knee as number, ...knees]) {
      expect(k).toBeGreaterThanOrEqual(5);
      expect(k).toBeLessThanOrEqual(25);
      expect(Number.isInteger(k * 4)).toBe(true);
    }
    // Every fold fits its own weights: none equals the all-runs weights for every held-out run.
    const folds = FOOTPRINTS.map(
      (r) =>
        fitCalibration(
          FOOTPRINTS.filter((q) => q.id !== r.id),
          centralEnergy,
          0.8,
          'saturating',
        ).projection.mfu?.weights,
    );
    expect(folds.filter((w) => JSON.stringify(w) !== JSON.stringify(all?.weights)).length).toBe(FOOTPRINTS.length);
  });
});
