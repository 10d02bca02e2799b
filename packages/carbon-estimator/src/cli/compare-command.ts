import { compare, CHINCHILLA_TOKENS_PER_PARAM, type CompareAxes } from '../compare';
import type { Dtype } from '../data/accelerators';
import { argumentError } from '../errors';
import { formatCount, formatMass, formatNumber } from '../report/format';
import { textTable } from '../report/text-table';
import { optionsToInput, type EstimateOptions } from './estimate-command';
import type { CliIo } from './io';
import { parseCliNumber } from './parse-number';

const DTYPES: readonly Dtype[] = ['bf16', 'fp16', 'tf32', 'fp32'];
/** Longest comma list we split. */
const MAX_LIST = 64;

function list(flag: string, raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw argumentError('cli', `${flag} <a,b,c>`, 'no value');
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0 || items.length > MAX_LIST) throw argumentError('cli', `${flag} to be a comma list of 1-${MAX_LIST} items`, `'${raw.slice(0, 80)}'`);
  return items;
}

/** `2T,140B` or `20x` (tokens per parameter, needs --params). */
export function parseBudgets(raw: string[] | undefined, params: number | undefined): number[] | undefined {
  return raw?.map((item) => {
    const perParam = /^(\d+(\.\d+)?)x$/i.exec(item);
    if (!perParam) return parseCliNumber('--token-budgets', item, { positive: true });
    if (params === undefined)
      throw argumentError(
        'cli',
        '--params with a tokens-per-parameter budget',
        `'${item}' without --params`,
        'pass --params 7B, or give budgets as token counts (2T)',
      );
    return Number(perParam[1]) * params;
  });
}

export function runCompare(options: EstimateOptions, io: CliIo): void {
  const hardware = list('--hardware', options.hardware);
  const regions = list('--regions', options.regions) ?? list('--region', options.region);
  const dtypeList = list('--dtypes', options.dtypes);
  const dtypes = dtypeList?.map((d) => {
    const lower = d.toLowerCase() as Dtype;
    if (!DTYPES.includes(lower)) throw argumentError('cli', `--dtypes from ${DTYPES.join(', ')}`, `'${d}'`);
    return lower;
  });
  const base = optionsToInput({ ...options, hardware: hardware?.[0], region: regions?.[0], dtypes: undefined });
  const budgetItems =
    list('--token-budgets', options.tokenBudgets) ??
    (options.chinchilla ? [...(base.tokens !== undefined ? [String(base.tokens)] : []), `${CHINCHILLA_TOKENS_PER_PARAM}x`] : undefined);
  const tokens = parseBudgets(budgetItems, base.params);
  const axes: CompareAxes = {
    ...(hardware ? { hardware } : {}),
    ...(regions ? { regions } : {}),
    ...(dtypes ? { dtypes } : {}),
    ...(tokens ? { tokens } : {}),
  };
  const rows = compare(base, axes);
  if (options.json) {
    io.stdout(
      `${JSON.stringify(
        rows.map(({ input: _input, ...row }) => row),
        null,
        2,
      )}\n`,
    );
    return;
  }
  const span = (f: { value: number; low: number; high: number }, fmt: (n: number) => string) => `${fmt(f.value)} (${fmt(f.low)}–${fmt(f.high)})`;
  const table = rows.map((r) => [
    String(r.rank),
    r.hardware,
    r.region,
    r.dtype,
    r.tokens === null ? 'n/a' : formatCount(r.tokens),
    r.wallClockHours ? formatNumber(r.wallClockHours.value / 24) : 'n/a',
    span({ value: r.energyKWh.value / 1000, low: r.energyKWh.low / 1000, high: r.energyKWh.high / 1000 }, formatNumber),
    span(r.co2eKg, formatMass),
    `${r.timesBest.toFixed(1)}x`,
  ]);
  io.stdout(
    `${rows.length} variants of one job, lowest operational CO2e first (interval: ${rows[0] ? 'calibrated 80%: device energy, and CO2e from the place tables' : ''}).\n\n`,
  );
  io.stdout(textTable(['#', 'hardware', 'region', 'dtype', 'tokens', 'days', 'energy MWh', 'CO2e', 'vs best'], table, [0, 4, 5, 8]));
  io.stdout(
    '\ndays: wall clock with --devices (n/a without). Every row: `wattformer-carbon estimate` with the same flags and that hardware/region/dtype/tokens.\n',
  );
}
