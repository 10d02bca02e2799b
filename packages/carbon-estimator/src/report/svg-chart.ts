import type { Range } from '../interval';
import { escapeHtml, formatMass } from './format';

/** One bar of `renderBarChartSvg`: label, range and whether it was measured (solid) or modelled (hatched). */
export interface ChartBar {
  readonly label: string;
  readonly value: Range;
  /** Bars from modelled figures are hatched; measured ones solid. */
  readonly measured: boolean;
}

/**
 * A horizontal bar chart as inline SVG (no library, no scripts): one bar per component at its
 * central value, with a whisker from low to high. Works in HTML and in Markdown viewers that
 * allow inline SVG.
 */
export function renderBarChartSvg(bars: readonly ChartBar[], title = 'CO2e by component (kg)'): string {
  const width = 640;
  const labelWidth = 190;
  const rowHeight = 34;
  const top = 34;
  const plotWidth = width - labelWidth - 90;
  const height = top + rowHeight * Math.max(1, bars.length) + 12;
  const max = Math.max(1e-12, ...bars.map((bar) => bar.value.high));
  const x = (v: number) => labelWidth + (Math.max(0, v) / max) * plotWidth;
  const rows = bars.map((bar, i) => {
    const y = top + i * rowHeight;
    const mid = y + rowHeight / 2 - 4;
    const fill = bar.measured ? '#2f7d4a' : 'url(#modelled)';
    return [
      `<text x="${labelWidth - 8}" y="${mid + 4}" text-anchor="end" font-size="12">${escapeHtml(bar.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 6}" width="${(x(bar.value.value) - labelWidth).toFixed(2)}" height="${rowHeight - 20}" fill="${fill}" stroke="#2f7d4a"/>`,
      `<line x1="${x(bar.value.low).toFixed(2)}" x2="${x(bar.value.high).toFixed(2)}" y1="${mid}" y2="${mid}" stroke="#222" stroke-width="1.5"/>`,
      `<line x1="${x(bar.value.low).toFixed(2)}" x2="${x(bar.value.low).toFixed(2)}" y1="${mid - 5}" y2="${mid + 5}" stroke="#222"/>`,
      `<line x1="${x(bar.value.high).toFixed(2)}" x2="${x(bar.value.high).toFixed(2)}" y1="${mid - 5}" y2="${mid + 5}" stroke="#222"/>`,
      `<text x="${(x(bar.value.high) + 6).toFixed(2)}" y="${mid + 4}" font-size="11">${escapeHtml(formatMass(bar.value.value))}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}" font-family="system-ui, sans-serif">`,
    '<defs><pattern id="modelled" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#cfe8d6"/><line x1="0" y1="0" x2="0" y2="6" stroke="#2f7d4a" stroke-width="2"/></pattern></defs>',
    `<text x="8" y="20" font-size="14" font-weight="bold">${escapeHtml(title)}</text>`,
    ...rows,
    `<text x="${width - 8}" y="${height - 2}" text-anchor="end" font-size="10" fill="#555">bar: central value; whisker: low-high; hatched: modelled</text>`,
    '</svg>',
  ].join('\n');
}
