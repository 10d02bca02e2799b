/**
 * The HTML report a `wattformer train` run leaves in its folder: the loss curves (an inline SVG,
 * no script), the sample the model wrote, and the carbon summary with its interval and method.
 */
export interface ReportInput {
  readonly title: string;
  readonly steps: { step: number; loss: number }[];
  readonly evaluations: { step: number; loss: number }[];
  readonly sample: string;
  readonly carbon: { energyKWh: number; co2eKg: number; co2eKgLow: number; co2eKgHigh: number; location: string; method: string };
  readonly facts: Record<string, string>;
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Two polylines (training and validation loss) over a shared step axis, with labelled axes. */
export function lossChartSvg(steps: { step: number; loss: number }[], evaluations: { step: number; loss: number }[]): string {
  const [width, height, left, bottom, top, right] = [640, 300, 52, 36, 16, 16];
  const all = [...steps, ...evaluations];
  if (all.length === 0) return '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="40"><text x="8" y="24">no steps</text></svg>';
  const maxStep = Math.max(...all.map((p) => p.step), 1);
  const losses = all.map((p) => p.loss).filter(Number.isFinite);
  const [low, high] = [Math.min(...losses), Math.max(...losses)];
  const span = high - low || 1;
  const x = (step: number) => left + ((width - left - right) * step) / maxStep;
  const y = (loss: number) => top + (height - top - bottom) * (1 - (loss - low) / span);
  const line = (points: { step: number; loss: number }[], colour: string) =>
    `<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${points.map((p) => `${x(p.step).toFixed(1)},${y(p.loss).toFixed(1)}`).join(' ')}"/>`;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const value = low + f * span;
    return `<text x="${left - 6}" y="${y(value) + 4}" text-anchor="end" font-size="11">${value.toFixed(2)}</text><line x1="${left}" x2="${width - right}" y1="${y(value)}" y2="${y(value)}" stroke="#eee"/>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="loss curve" font-family="system-ui, sans-serif">`,
    ...ticks,
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${height - bottom}" stroke="#444"/><line x1="${left}" x2="${width - right}" y1="${height - bottom}" y2="${height - bottom}" stroke="#444"/>`,
    `<text x="${width - right}" y="${height - 8}" text-anchor="end" font-size="11">step ${maxStep}</text><text x="${left}" y="${height - 8}" font-size="11">0</text>`,
    line(steps, '#2f6db5'),
    evaluations.length > 1 ? line(evaluations, '#d9822b') : '',
    `<text x="${left + 8}" y="${top + 12}" font-size="12" fill="#2f6db5">training loss</text>`,
    evaluations.length ? `<text x="${left + 110}" y="${top + 12}" font-size="12" fill="#d9822b">validation loss</text>` : '',
    '</svg>',
  ].join('\n');
}

export function renderRunReport(input: ReportInput): string {
  const { carbon } = input;
  const grams = (kg: number) => `${(kg * 1000).toPrecision(3)} g`;
  const rows = Object.entries(input.facts)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:760px;margin:2em auto;padding:0 1em;color:#222}th{text-align:left;padding-right:1em;font-weight:600}pre{background:#f6f6f6;padding:1em;white-space:pre-wrap}</style></head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<h2>Loss</h2>
${lossChartSvg(input.steps, input.evaluations)}
<h2>Run</h2>
<table>${rows}</table>
<h2>Sample</h2>
<pre>${escapeHtml(input.sample)}</pre>
<h2>Carbon</h2>
<p><strong>${grams(carbon.co2eKg)} CO2e</strong> (${grams(carbon.co2eKgLow)} – ${grams(carbon.co2eKgHigh)}), ${(carbon.energyKWh * 1000).toPrecision(3)} Wh, at ${escapeHtml(carbon.location)}.</p>
<p>${escapeHtml(carbon.method)}</p>
<p>Full carbon report: <a href="carbon-report.html">carbon-report.html</a> · CodeCarbon-format row: <code>emissions.csv</code> · metrics: <code>metrics.jsonl</code></p>
</body></html>
`;
}
