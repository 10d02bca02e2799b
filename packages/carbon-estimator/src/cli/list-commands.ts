import { formatNumber } from '../report/format';
import { listHardware } from '../hardware';
import { devicePowerRange } from '../hardware';
import { listLocations } from '../region';
import type { CliIo } from './io';

export function runHardware(options: { json?: boolean }, io: CliIo): void {
  const devices = listHardware();
  if (options.json) {
    io.stdout(`${JSON.stringify(devices.map((d) => ({ ...d, powerRangeWatts: devicePowerRange(d) })), null, 2)}\n`);
    return;
  }
  io.stdout(`${'id'.padEnd(22)}${'kind'.padEnd(6)}${'TDP W'.padStart(7)}${'typical W'.padStart(11)}  ${'peak TFLOP/s (dense)'.padEnd(34)}aliases\n`);
  for (const d of devices) {
    const peaks = Object.entries(d.peakFlops).map(([dtype, flops]) => `${dtype} ${formatNumber((flops ?? 0) / 1e12)}`).join(', ') || 'n/r';
    io.stdout(`${d.id.padEnd(22)}${d.kind.padEnd(6)}${String(d.tdpWatts).padStart(7)}${String(d.typicalWatts).padStart(11)}  ${peaks.padEnd(34)}${d.aliases.join(', ')}\n`);
  }
  io.stdout('\nSources: carbon-reference data (NVIDIA/AMD datasheets, stas00/ml-engineering, Patterson 2021, CodeCarbon cpu_power.csv); --json lists them per device.\n');
}

export function runRegions(options: { json?: boolean }, io: CliIo): void {
  const locations = listLocations();
  if (options.json) {
    io.stdout(`${JSON.stringify(locations, null, 2)}\n`);
    return;
  }
  io.stdout(`${'id'.padEnd(32)}${'gCO2e/kWh'.padStart(10)}${'range'.padStart(14)}  ${'PUE'.padEnd(6)}name\n`);
  for (const l of locations) {
    const spanText = `${formatNumber(l.intensity.low)}-${formatNumber(l.intensity.high)}`;
    io.stdout(`${l.id.padEnd(32)}${formatNumber(l.intensity.value).padStart(10)}${spanText.padStart(14)}  ${formatNumber(l.defaultPue.value).padEnd(6)}${l.name}\n`);
  }
  io.stdout('\nCountries: Ember via co2.js (2025-08) and OWID via CodeCarbon (2024-07); GCP: Google via CodeCarbon (2024-07); AWS/Azure: mlco2/impact (stale). --json lists every observation with year and source.\n');
}
