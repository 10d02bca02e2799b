import { formatNumber } from '../report/format';
import { listHardware } from '../hardware';
import { devicePowerRange } from '../hardware';
import { listLocations } from '../region';
import { textTable } from '../report/text-table';
import type { CliIo } from './io';

export function runHardware(options: { json?: boolean }, io: CliIo): void {
  const devices = listHardware();
  if (options.json) {
    io.stdout(
      `${JSON.stringify(
        devices.map((d) => ({ ...d, powerRangeWatts: devicePowerRange(d) })),
        null,
        2,
      )}\n`,
    );
    return;
  }
  const rows = devices.map((d) => [
    d.id,
    d.kind,
    String(d.tdpWatts),
    String(d.typicalWatts),
    Object.entries(d.peakFlops)
      .map(([dtype, flops]) => `${dtype} ${formatNumber((flops ?? 0) / 1e12)}`)
      .join(', ') || 'n/r',
    d.aliases.join(', '),
  ]);
  io.stdout(textTable(['id', 'kind', 'TDP W', 'typical W', 'peak TFLOP/s (dense)', 'aliases'], rows, [2, 3]));
  io.stdout(
    '\nSources: carbon-reference data (NVIDIA/AMD datasheets, stas00/ml-engineering, Patterson 2021, CodeCarbon cpu_power.csv); --json lists them per device.\n',
  );
}

export function runRegions(options: { json?: boolean }, io: CliIo): void {
  const locations = listLocations();
  if (options.json) {
    io.stdout(`${JSON.stringify(locations, null, 2)}\n`);
    return;
  }
  const rows = locations.map((l) => [
    l.id,
    formatNumber(l.intensity.value),
    `${formatNumber(l.intensity.low)}-${formatNumber(l.intensity.high)}`,
    formatNumber(l.defaultPue.value),
    l.name,
  ]);
  io.stdout(textTable(['id', 'gCO2e/kWh', 'range', 'PUE', 'name'], rows, [1, 2, 3]));
  io.stdout(
    '\nCountries: Ember via co2.js (2025-08) and OWID via CodeCarbon (2024-07); GCP: Google via CodeCarbon (2024-07); AWS/Azure: mlco2/impact (stale). --json lists every observation with year and source.\n',
  );
}
