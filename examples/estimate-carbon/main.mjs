// What did training GPT-3 emit, and what would the same run emit on H100s in France?
// Usage: node main.mjs [--h100s 1024] [--report gpt3-h100-fr.html]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { compare, estimate, estimateTraining, renderHtml, suggestReductions } from '@wattformer/carbon-estimator';

const { values } = parseArgs({ options: { h100s: { type: 'string', default: '1024' }, report: { type: 'string' } } });
const h100s = Number(values.h100s);
if (!Number.isInteger(h100s) || h100s <= 0) {
  console.error(`example-estimate-carbon: expected --h100s to be a positive integer, got '${values.h100s}'`);
  process.exit(2);
}

const gpt3 = { params: 175e9, tokens: 300e9 };
const t = (kg) => `${(kg / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} t`;
const span = (f) => `${t(f.value)}  (${t(f.low)} – ${t(f.high)})`;

// 1. As published: Patterson et al. 2021 Table 4 — 10,000 V100 for 14.8 days at ~330 W per chip,
//    PUE 1.1, 429 gCO2e/kWh (US average used by the paper). Published: 1,287 MWh, 552.1 t.
const asReported = estimateTraining({
  ...gpt3,
  hardware: 'v100',
  devices: 10_000,
  hours: 14.8 * 24,
  powerWatts: 330,
  pue: 1.1,
  intensity: 429,
  embodiedKgPerDevice: 0,
  title: 'GPT-3 as reported (Patterson 2021)',
});

// 2. The same run projected from what anyone knows: size, tokens, hardware, count, country.
const projected = estimateTraining({ ...gpt3, hardware: 'v100', devices: 10_000, region: 'US', title: 'GPT-3 projected on V100 in the US' });

// 3. The same training on H100s in a Paris cloud region (Google's europe-west9, PUE 1.10-1.12),
//    and on an unknown French data centre (country average, PUE 1.10-1.67).
const parisCloud = estimateTraining({
  ...gpt3,
  hardware: 'h100',
  devices: h100s,
  region: 'gcp:europe-west9',
  title: `GPT-3 on ${h100s} H100 in gcp:europe-west9`,
});
const france = estimateTraining({ ...gpt3, hardware: 'h100', devices: h100s, region: 'FR', title: `GPT-3 on ${h100s} H100 in France` });

console.log('GPT-3 (175B parameters, 300B tokens)\n');
console.log(
  `As reported, reproduced:      ${t(asReported.figures.co2eKg.value)} operational (published 552.1 t), ${(asReported.figures.energyKWh.value / 1000).toFixed(0)} MWh (published 1,287)`,
);
console.log(
  `Projected, V100 x 10,000, US: ${span(projected.figures.co2eKg)} operational; published value inside: ${projected.figures.co2eKg.low < 552_100 && 552_100 < projected.figures.co2eKg.high}`,
);
for (const r of [parisCloud, france]) {
  const f = r.figures;
  console.log(`\n${r.title}`);
  console.log(`  wall clock     ${f.wallClockHours.value.toFixed(0)} h  (${f.wallClockHours.low.toFixed(0)} – ${f.wallClockHours.high.toFixed(0)})`);
  console.log(
    `  energy         ${(f.energyKWh.value / 1000).toFixed(0)} MWh  (${(f.energyKWh.low / 1000).toFixed(0)} – ${(f.energyKWh.high / 1000).toFixed(0)}), PUE applied`,
  );
  console.log(`  operational    ${span(f.co2eKg)}`);
  console.log(`  embodied       ${span(f.embodiedCo2eKg)}`);
  console.log(`  total          ${span(f.totalCo2eKg)}`);
  console.log(`  ≈ ${Math.round(r.equivalences[1].amount.value)} one-passenger NY–SF round trips (${r.equivalences[1].source.split(',')[0]})`);
}
const ratio = projected.figures.totalCo2eKg.value / france.figures.totalCo2eKg.value;
console.log(`\nCentral estimates: H100s in France emit about ${ratio.toFixed(0)}x less than V100s in the US for the same training.`);
console.log(`Intervals: ${france.interval.description}`);

// 4. Accounting: a run you did, from device-hours alone (no FLOPs): 8 A100s for a day in France.
const day = estimate({ hardware: 'a100-80gb', devices: 8, hours: 24, region: 'FR', title: '8 x A100 for 24 h in France' });
const kg = (f) => `${f.value.toFixed(2)} kg  (${f.low.toFixed(2)} – ${f.high.toFixed(2)})`;
console.log(`\n${day.title}: ${day.figures.energyKWh.value.toFixed(0)} kWh, ${kg(day.figures.co2eKg)} operational`);

// 5. How to cut it: the biggest changes for GPT-3 on V100s in the US, each re-estimated.
console.log('\nHow to cut GPT-3 on V100 x 10,000 in the US:');
for (const r of suggestReductions({ ...gpt3, hardware: 'v100', devices: 10_000, region: 'US' })) {
  console.log(`  - ${r.change}: ${t(r.co2eKg.value)} (−${Math.round(r.savedFraction * 100)}%)`);
}

// 6. The same job across three GPUs and three places, ranked.
console.log('\nGPT-3 across hardware and places (lowest CO2e first):');
for (const row of compare({ ...gpt3, devices: h100s }, { hardware: ['h100', 'a100-80gb', 'v100'], regions: ['US', 'FR', 'DE'] }).slice(0, 5)) {
  console.log(`  ${row.rank}. ${row.hardware.padEnd(10)} ${row.region.padEnd(3)} ${span(row.co2eKg)}`);
}

if (values.report) {
  writeFileSync(values.report, renderHtml(france));
  console.log(`\nHTML report with chart: ${values.report}`);
}
