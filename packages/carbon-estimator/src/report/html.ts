import { escapeHtml, formatMass, formatNumber } from './format';
import { chartFor, figureRows, reductionsFor, type RenderOptions } from './markdown';
import type { CarbonReport } from './schema';

/** A self-contained HTML page (inline CSS and SVG, no scripts). */
export function renderHtml(report: CarbonReport, options: RenderOptions = {}): string {
  const e = escapeHtml;
  const reductions = reductionsFor(report, options)
    .map(
      (r) =>
        `<li>${e(r.change)}: <strong>${formatMass(r.co2eKg.value)} CO2e</strong> (${formatMass(r.co2eKg.low)} – ${formatMass(r.co2eKg.high)}), −${formatMass(r.savedKg)} (−${Math.round(r.savedFraction * 100)}%)</li>`,
    )
    .join('\n');
  const rows = figureRows(report)
    .map(
      ({ label, figure }) =>
        `<tr><td>${e(label)}</td><td>${formatNumber(figure.value)}</td><td>${formatNumber(figure.low)}</td><td>${formatNumber(figure.high)}</td><td class="${figure.basis}">${figure.basis}</td><td>${e(figure.method)}</td><td>${e(figure.scope)}</td></tr>`,
    )
    .join('\n');
  const assumptions = report.assumptions
    .map(
      (a) =>
        `<tr><td>${e(a.name)}${a.unit ? ` (${e(a.unit)})` : ''}</td><td>${e(typeof a.value === 'number' ? formatNumber(a.value) : a.value)}</td><td>${a.low === undefined ? '' : formatNumber(a.low)}</td><td>${a.high === undefined ? '' : formatNumber(a.high)}</td><td class="${a.basis}">${a.basis}</td><td>${e(a.source)}</td></tr>`,
    )
    .join('\n');
  const equivalences = report.equivalences
    .map(
      (q) =>
        `<li>${formatNumber(q.amount.value)} ${e(q.unit)} (${formatNumber(q.amount.low)} – ${formatNumber(q.amount.high)}): ${e(q.label)}. <small>Source: ${e(q.source)}</small></li>`,
    )
    .join('\n');
  const total = report.figures.totalCo2eKg;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(report.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse;width:100%;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;font-size:.9rem}td:nth-child(n+2):nth-child(-n+4){text-align:right}.measured{color:#2f7d4a;font-weight:bold}.modelled{color:#8a5a00}small{color:#555}</style>
</head><body>
<h1>${e(report.title)}</h1>
<p><em>${report.kind === 'projection' ? 'Projection' : 'Measurement'}</em> · ${e(report.createdAt)} · ${e(report.location.name)} (${formatNumber(report.location.intensity.value)} gCO2e/kWh, PUE ${formatNumber(report.location.pue.value)})</p>
<p><strong>Total: ${formatMass(total.value)} CO2e</strong> (${formatMass(total.low)} – ${formatMass(total.high)})</p>
<table><thead><tr><th>Figure</th><th>Value</th><th>Low</th><th>High</th><th>Basis</th><th>Method</th><th>Scope</th></tr></thead><tbody>
${rows}
</tbody></table>
<figure>${chartFor(report)}</figure>
<h2>Equivalences</h2><ul>${equivalences}</ul>
<h2>Assumptions</h2>
<table><thead><tr><th>Input</th><th>Value</th><th>Low</th><th>High</th><th>Basis</th><th>Source</th></tr></thead><tbody>
${assumptions}
</tbody></table>
<h2>Notes</h2><ul>${report.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>
${reductions ? `<h2>How to cut it</h2><ul>${reductions}</ul>\n` : ''}</body></html>
`;
}
