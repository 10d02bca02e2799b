import { CarbonEstimatorError } from '../errors';

/**
 * CodeCarbon's `emissions.csv` columns, in CodeCarbon's order: the fields of its `EmissionsData`
 * dataclass (`mlco2/codecarbon: codecarbon/output_methods/emissions_data.py`, v3.3.2), which its
 * FileOutput writes and checks an existing file's header against. A Python test runs CodeCarbon
 * itself over our file (`test/codecarbon/check_emissions_csv.py`). Our extra columns come after
 * them and say, per component, whether the energy was measured or modelled, plus the interval.
 */
export const CODECARBON_COLUMNS = [
  'timestamp',
  'project_name',
  'run_id',
  'experiment_id',
  'duration',
  'emissions',
  'emissions_rate',
  'cpu_power',
  'gpu_power',
  'ram_power',
  'cpu_energy',
  'gpu_energy',
  'ram_energy',
  'energy_consumed',
  'water_consumed',
  'country_name',
  'country_iso_code',
  'region',
  'cloud_provider',
  'cloud_region',
  'os',
  'python_version',
  'codecarbon_version',
  'cpu_count',
  'cpu_model',
  'gpu_count',
  'gpu_model',
  'longitude',
  'latitude',
  'ram_total_size',
  'tracking_mode',
  'cpu_utilization_percent',
  'gpu_utilization_percent',
  'ram_utilization_percent',
  'ram_used_gb',
  'on_cloud',
  'pue',
  'wue',
] as const;

/**
 * Columns wattformer adds after CodeCarbon's in emissions.csv (what each energy figure is based on, intervals).
 */
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
  /** Write exactly these columns in this order (an existing file's header); overrides extraColumns. */
  readonly columns?: readonly string[];
}

/**
 * The emissions.csv header: CodeCarbon's columns, then wattformer's own (`EXTRA_COLUMNS`) unless `extraColumns` is false.
 */
export function emissionsCsvColumns(extraColumns = true): readonly string[] {
  return extraColumns ? [...CODECARBON_COLUMNS, ...EXTRA_COLUMNS] : CODECARBON_COLUMNS;
}

/** Records as CSV text (trailing newline). */
export function toEmissionsCsv(records: readonly EmissionsRecord[], options: CsvOptions = {}): string {
  const columns = (options.columns ?? emissionsCsvColumns(options.extraColumns !== false)) as readonly (keyof EmissionsRecord)[];
  const lines = options.header === false ? [] : [columns.join(',')];
  for (const record of records) lines.push(columns.map((column) => csvCell(record[column] ?? '')).join(','));
  return `${lines.join('\n')}\n`;
}

/** Largest emissions.csv text parseEmissionsCsv reads (64 MiB: ~200,000 rows). */
export const MAX_EMISSIONS_CSV_CHARS = 64 * 1024 * 1024;
/** Most columns a header may have (CodeCarbon has 38, we add 5). */
export const MAX_EMISSIONS_CSV_COLUMNS = 256;

/** Options of `parseEmissionsCsv`: the largest input accepted, in characters. */
export interface ParseCsvOptions {
  readonly maxChars?: number;
}

const csvError = (expected: string, got: string, help = 'pass an emissions.csv written by CodeCarbon or wattformer-carbon track') =>
  new CarbonEstimatorError('E_ARGUMENT', { op: 'parseEmissionsCsv', expected, got, help });

/**
 * Parses emissions.csv text (RFC 4180 quoting) into column -> text maps. The text is outside
 * bytes: its length is checked before any work, the scan is one pass (linear time), and a
 * malformed file (unterminated quote, a row wider than the header, duplicate or too many header
 * names) is a CarbonEstimatorError, never a silent mix-up of columns.
 */
export function parseEmissionsCsv(text: string, options: ParseCsvOptions = {}): Array<Record<string, string>> {
  const [header, ...body] = parseRows(text, options);
  if (!header) return [];
  return body.map((values, index) => {
    if (values.length > header.length) throw csvError(`at most ${header.length} cells per row (the header's)`, `${values.length} in data row ${index + 1}`);
    // Object.create(null): a column named __proto__ is a column, not a prototype.
    const record: Record<string, string> = Object.create(null) as Record<string, string>;
    header.forEach((name, i) => {
      record[name] = values[i] ?? '';
    });
    return record;
  });
}

/** The column names of an emissions.csv header line (checked as parseEmissionsCsv checks them). */
export function parseEmissionsCsvHeader(firstLine: string): string[] {
  return parseRows(firstLine)[0] ?? [];
}

function parseRows(text: string, options: ParseCsvOptions = {}): string[][] {
  if (typeof text !== 'string') throw csvError('CSV text', typeof text);
  const maxChars = options.maxChars ?? MAX_EMISSIONS_CSV_CHARS;
  if (text.length > maxChars) throw csvError(`at most ${maxChars} characters`, `${text.length}`, 'split the file, or pass maxChars');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let cellWasQuoted = false;
  let line = 1;
  let quoteLine = 0;
  const endRow = () => {
    row.push(cell);
    if (!(row.length === 1 && row[0] === '' && !cellWasQuoted)) rows.push(row);
    row = [];
    cell = '';
    cellWasQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"') {
      quoted = true;
      cellWasQuoted = true;
      quoteLine = line;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
      cellWasQuoted = false;
      if (rows.length === 0 && row.length > MAX_EMISSIONS_CSV_COLUMNS) throw csvError(`at most ${MAX_EMISSIONS_CSV_COLUMNS} header columns`, `more on line 1`);
    } else if (ch === '\n') {
      endRow();
      line++;
    } else if (ch !== '\r') cell += ch;
  }
  if (quoted) throw csvError('every quoted cell closed', `a quote opened on line ${quoteLine} and never closed`);
  if (cell.length > 0 || row.length > 0 || cellWasQuoted) endRow();
  const header = rows[0];
  if (!header) return [];
  if (header.length > MAX_EMISSIONS_CSV_COLUMNS) throw csvError(`at most ${MAX_EMISSIONS_CSV_COLUMNS} header columns`, `${header.length}`);
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw csvError('unique column names in the header', `'${name.slice(0, 64)}' twice`);
    seen.add(name);
  }
  return rows;
}
