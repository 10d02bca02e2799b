/**
 * CodeCarbon's `emissions.csv` columns, in CodeCarbon's order (EmissionsData in
 * `mlco2/codecarbon: codecarbon/output_methods/emissions_data.py`, read 2026), so existing
 * dashboards read our files. Our extra columns come after them and say, per component, whether
 * the energy was measured or modelled, plus the CO2e interval.
 */
export const CODECARBON_COLUMNS = [
  'timestamp', 'project_name', 'run_id', 'experiment_id', 'duration', 'emissions', 'emissions_rate',
  'cpu_utilization_percent', 'ram_utilization_percent', 'ram_used_gb', 'cpu_power', 'gpu_power', 'ram_power',
  'cpu_energy', 'gpu_energy', 'ram_energy', 'energy_consumed', 'water_consumed', 'country_name',
  'country_iso_code', 'region', 'cloud_provider', 'cloud_region', 'os', 'python_version', 'codecarbon_version',
  'cpu_count', 'cpu_model', 'gpu_count', 'gpu_model', 'longitude', 'latitude', 'ram_total_size', 'tracking_mode',
  'on_cloud', 'pue', 'wue',
] as const;

export const EXTRA_COLUMNS = ['cpu_energy_basis', 'gpu_energy_basis', 'ram_energy_basis', 'emissions_low', 'emissions_high'] as const;

export type CodeCarbonColumn = (typeof CODECARBON_COLUMNS)[number];
export type ExtraColumn = (typeof EXTRA_COLUMNS)[number];

/** One row: CodeCarbon units (duration s, emissions kg, power W, energy kWh, RAM GB). */
export type EmissionsRecord = Readonly<Record<CodeCarbonColumn | ExtraColumn, string | number>>;

function csvCell(value: string | number): string {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface CsvOptions {
  /** Include the header line (default true). */
  readonly header?: boolean;
  /** Append our measured/modelled columns after CodeCarbon's (default true). */
  readonly extraColumns?: boolean;
}

export function emissionsCsvColumns(extraColumns = true): readonly string[] {
  return extraColumns ? [...CODECARBON_COLUMNS, ...EXTRA_COLUMNS] : CODECARBON_COLUMNS;
}

/** Records as CSV text (trailing newline). */
export function toEmissionsCsv(records: readonly EmissionsRecord[], options: CsvOptions = {}): string {
  const columns = emissionsCsvColumns(options.extraColumns !== false) as readonly (keyof EmissionsRecord)[];
  const lines = options.header === false ? [] : [columns.join(',')];
  for (const record of records) lines.push(columns.map((column) => csvCell(record[column])).join(','));
  return `${lines.join('\n')}\n`;
}

/** Parses a CSV written by toEmissionsCsv (quoted cells supported) into column → text maps. */
export function parseEmissionsCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (ch !== '\r') cell += ch;
  }
  if (cell.length > 0 || row.length > 0) rows.push([...row, cell]);
  const [header, ...body] = rows;
  if (!header) return [];
  return body.map((values) => Object.fromEntries(header.map((name, i) => [name, values[i] ?? ''])));
}
