import { formatMass, formatNumber } from './format';
import { suggestReductions, type Reduction } from '../reductions';
import type { CarbonReport, Figure } from './schema';
import { renderBarChartSvg } from './svg-chart';

const FIGURE_LABELS: ReadonlyArray<readonly [keyof CarbonReport['figures'], string]> = [
  ['flops', 'Training FLOPs'],
  ['deviceHours', 'Device-hours'],
  ['wallClockHours', 'Wall-clock hours'],
  ['durationSeconds', 'Duration (s)'],
  ['dynamicEnergyKWh', 'Energy, dynamic (kWh)'],
  ['idleEnergyKWh', 'Energy, idle (kWh)'],
  ['energyKWh', 'Energy, facility (kWh)'],
  ['dynamicCo2eKg', 'CO2e, dynamic (kg)'],
  ['co2eKg', 'CO2e, operational (kg)'],
  ['embodiedCo2eKg', 'CO2e, embodied (kg)'],
  ['totalCo2eKg', 'CO2e, total (kg)'],
];

export function figureRows(report: CarbonReport): Array<{ label: string; figure: Figure }> {
  return FIGURE_LABELS.flatMap(([key, label]) => {
    const figure = report.figures[key];
    return figure ? [{ label, figure }] : [];
  });
}

export function chartFor(report: CarbonReport): string {
  return renderBarChartSvg(report.components.map((c) => ({ label: c.name, value: c.co2eKg, measured: c.basis === 'measured' })));
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Options of `renderMarkdown` / `renderHtml`: the chart, and the reductions shown under "How to cut it". */
export interface RenderOptions {
  /** Include the SVG chart (default true). */
  readonly chart?: boolean;
  /**
   * The changes that would cut this run's footprint most, shown as "How to cut it". Default:
   * suggestReductions(report) (place and facility); pass suggestReductions(input) for a projection's
   * full list, or [] to leave the section out.
   */
  readonly reductions?: readonly Reduction[];
}

/** The changes to show at the end of a report (empty when none saves anything). */
export function reductionsFor(report: CarbonReport, options: RenderOptions): readonly Reduction[] {
  return options.reductions ?? suggestReductions(report);
}

/** The report as GitHub-flavoured Markdown, with the chart as inline SVG. */
export function renderMarkdown(report: CarbonReport, options: RenderOptions = {}): string {
  const lines: string[] = [];
  lines.push(`# ${report.title}`, '');
  lines.push(
    `*${report.kind === 'projection' ? 'Projection' : 'Measurement'}* · ${report.createdAt} · location ${report.location.name} (${formatNumber(report.location.intensity.value)} gCO2e/kWh, PUE ${formatNumber(report.location.pue.value)})`,
    '',
  );
  lines.push(
    `**Total: ${formatMass(report.figures.totalCo2eKg.value)} CO2e** (${formatMass(report.figures.totalCo2eKg.low)} – ${formatMass(report.figures.totalCo2eKg.high)})`,
    '',
  );
  lines.push('| Figure | Value | Low | High | Basis | Method | Scope |', '|---|---:|---:|---:|---|---|---|');
  for (const { label, figure } of figureRows(report)) {
    lines.push(
      `| ${cell(label)} | ${formatNumber(figure.value)} | ${formatNumber(figure.low)} | ${formatNumber(figure.high)} | ${figure.basis} | ${cell(figure.method)} | ${cell(figure.scope)} |`,
    );
  }
  lines.push('');
  if (options.chart !== false) lines.push(chartFor(report), '');
  lines.push('## Components', '', '| Component | CO2e | Low | High | Basis | Method |', '|---|---:|---:|---:|---|---|');
  for (const c of report.components) {
    lines.push(
      `| ${cell(c.name)} | ${formatMass(c.co2eKg.value)} | ${formatMass(c.co2eKg.low)} | ${formatMass(c.co2eKg.high)} | ${c.basis} | ${cell(c.method)} |`,
    );
  }
  lines.push('', '## Equivalences', '');
  for (const e of report.equivalences) {
    lines.push(`- ${formatNumber(e.amount.value)} ${e.unit} (${formatNumber(e.amount.low)} – ${formatNumber(e.amount.high)}): ${e.label}. Source: ${e.source}`);
  }
  lines.push('', '## Assumptions', '', '| Input | Value | Low | High | Basis | Source |', '|---|---:|---:|---:|---|---|');
  for (const a of report.assumptions) {
    const value = typeof a.value === 'number' ? formatNumber(a.value) : a.value;
    lines.push(
      `| ${cell(a.name)}${a.unit ? ` (${cell(a.unit)})` : ''} | ${cell(value)} | ${a.low === undefined ? '' : formatNumber(a.low)} | ${a.high === undefined ? '' : formatNumber(a.high)} | ${a.basis} | ${cell(a.source)} |`,
    );
  }
  lines.push('', '## Notes', '', ...report.notes.map((n) => `- ${n}`), '');
  const reductions = reductionsFor(report, options);
  if (reductions.length > 0) {
    lines.push('## How to cut it', '');
    for (const r of reductions) {
      lines.push(
        `- ${cell(r.change)}: ${formatMass(r.co2eKg.value)} CO2e (${formatMass(r.co2eKg.low)} – ${formatMass(r.co2eKg.high)}), −${formatMass(r.savedKg)} (−${Math.round(r.savedFraction * 100)}%)`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
